extension ModelShape {
    /// The family used to derive a shape from a parameter count.
    public static let llamaFamilyDescription =
        "Llama 3 family: head dim 128, hidden/layers = 128, MLP 3.5 d, 8 KV heads (GQA), vocabulary 128256 (Meta Llama 3 8B config.json: d 4096, 32 layers, 32 heads, 8 KV heads, f 14336)"

    /// Vocabulary of the Llama 3 tokenizer.
    public static let llamaVocabulary = 128_256

    /// A Llama-3-style shape whose parameter count is as close as the family allows to `n`.
    ///
    /// The family fixes head dimension 128, aspect ratio d / L = 128 (Llama 3 8B), MLP width
    /// 3.5 d (rounded to 256), gcd(heads, 8) KV heads and V = 128256. The width is searched
    /// over multiples of 128 for the smallest |parameters − n|. From a width of 1024 up it is
    /// then rounded to a multiple of 1024 and the layer count re-chosen to come closest to n,
    /// so every model of 8 heads or more has 8 KV heads as the family does (a width such as
    /// 8832 would otherwise give 69 heads and a single KV head).
    /// Llama 3 8B is recovered exactly: `llama(parameters: 8.03e9)` gives d 4096, 32 layers.
    ///
    /// - Parameter n: parameters, > 0.
    /// - Throws: `HardwareError.invalidShape` for a non-finite or non-positive `n`.
    public static func llama(parameters n: Double) throws(HardwareError) -> ModelShape {
        guard n.isFinite, n > 0 else { throw .invalidShape("the parameter count must be a positive finite number, found \(n)") }
        func shape(width d: Int) -> ModelShape {
            let heads = d / 128
            return ModelShape(layers: max(1, d / 128), hidden: d, heads: heads, kvHeads: gcd(heads, 8),
                              vocabulary: llamaVocabulary)
        }
        var best = shape(width: 128)
        var width = 128
        // Parameters grow as d³/128 · 13.5, so 1e5 units of 128 covers any realistic n.
        while width <= 128 * 100_000 {
            let candidate = shape(width: width)
            if abs(candidate.parameterCount - n) < abs(best.parameterCount - n) { best = candidate }
            if candidate.parameterCount > n { break }
            width += 128
        }
        // Keep the head count a multiple of 8 (8 KV heads, as in the family): round the width
        // to a multiple of 1024 and take the layer count that comes closest to n.
        guard best.hidden >= 1024, best.hidden % 1024 != 0 else { return best }
        let d = Int((Double(best.hidden) / 1024).rounded()) * 1024
        func layered(_ layers: Int) -> ModelShape {
            ModelShape(layers: layers, hidden: d, heads: d / 128, kvHeads: 8, vocabulary: llamaVocabulary)
        }
        let one = layered(1).parameterCount, perLayer = layered(2).parameterCount - one
        let layers = max(1, Int(((n - one) / perLayer).rounded()) + 1)
        return layered(layers)
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
