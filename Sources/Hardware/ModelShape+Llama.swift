extension ModelShape {
    /// The family used to derive a shape from a parameter count.
    public static let llamaFamilyDescription =
        "Llama 3 family: head dim 128, hidden/layers = 128, MLP 3.5 d, 8 KV heads (GQA), vocabulary 128256 (Meta Llama 3 8B config.json: d 4096, 32 layers, 32 heads, 8 KV heads, f 14336)"

    /// Vocabulary of the Llama 3 tokenizer.
    public static let llamaVocabulary = 128_256

    /// A Llama-3-style shape whose parameter count is as close as the family allows to `n`.
    ///
    /// The family fixes head dimension 128, aspect ratio d / L = 128 (Llama 3 8B), MLP width
    /// 3.5 d (rounded to 256), gcd(heads, 8) KV heads (8 when heads is a multiple of 8) and V = 128256. The width is searched
    /// over multiples of 128 (at least 128, one layer) for the smallest |parameters − n|.
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
        return best
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
