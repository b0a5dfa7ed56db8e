/// The shape of a decoder-only transformer: what the KV cache, attention FLOPs and
/// tensor-parallel communication depend on.
///
/// Parameter count (Llama-style blocks, no biases, untied embeddings):
/// per layer `2 d² + 2 d (kvHeads × headDim)` for attention (Q, O and K, V) plus `3 d f`
/// for the gated MLP, and `2 V d` for the input and output embeddings (`V d` when they are
/// tied). Norm weights and attention biases are ignored (< 0.1% of N).
public struct ModelShape: Equatable, Sendable {
    /// Number of transformer blocks L.
    public var layers: Int
    /// Model (residual) width d.
    public var hidden: Int
    /// Attention (query) heads.
    public var heads: Int
    /// Key/value heads (grouped-query attention); equals `heads` for multi-head attention.
    public var kvHeads: Int
    /// Vocabulary size V.
    public var vocabulary: Int
    /// MLP inner width f of the gated (SwiGLU) MLP.
    public var intermediate: Int
    /// Whether the output projection shares the input embedding matrix (Llama 3.2 1B/3B,
    /// small Qwen 2.5 models).
    public var tiedEmbeddings: Bool

    /// A shape; callers validate with `validate()` (the initialiser accepts anything).
    public init(layers: Int, hidden: Int, heads: Int, kvHeads: Int, vocabulary: Int, intermediate: Int? = nil,
                tiedEmbeddings: Bool = false) {
        self.layers = layers
        self.hidden = hidden
        self.heads = heads
        self.kvHeads = kvHeads
        self.vocabulary = vocabulary
        self.intermediate = intermediate ?? Self.llamaIntermediate(hidden: hidden)
        self.tiedEmbeddings = tiedEmbeddings
    }

    /// Width of one attention head, d / heads.
    public var headDimension: Int { hidden / max(heads, 1) }

    /// Width of the K (or V) projection, kvHeads × headDim.
    public var kvDimension: Int { kvHeads * headDimension }

    /// Parameter count from the shape (see the type's documentation).
    public var parameterCount: Double {
        let d = Double(hidden), kv = Double(kvDimension), f = Double(intermediate)
        let perLayer = 2 * d * d + 2 * d * kv + 3 * d * f
        return Double(layers) * perLayer + (tiedEmbeddings ? 1 : 2) * Double(vocabulary) * d
    }

    /// The fraction of the parameters that multiply every token: all but the input embedding
    /// table, which is looked up (no FLOPs, and only the batch's rows are read). 1 for tied
    /// embeddings, whose matrix is also the output projection.
    public var matmulFraction: Double {
        tiedEmbeddings ? 1 : 1 - Double(vocabulary) * Double(hidden) / parameterCount
    }

    /// KV-cache bytes per token of context: `2 (K and V) × L × kvHeads × headDim × bytes`.
    public func kvCacheBytesPerToken(_ precision: Precision) -> Double {
        2 * Double(layers) * Double(kvDimension) * precision.bytesPerValue
    }

    /// Attention-score FLOPs for one new token that attends over `context` tokens:
    /// `4 L d × context` (QKᵀ and the weighted sum of V, 2 FLOPs per multiply-add;
    /// Kaplan et al. 2020, Table 1, counting both products).
    public func attentionFLOPs(context: Double) -> Double {
        4 * Double(layers) * Double(hidden) * context
    }

    /// Checks that the shape is usable.
    ///
    /// - Throws: `HardwareError.invalidShape` when a size is not positive, `hidden` is not a
    ///   multiple of `heads`, or `heads` is not a multiple of `kvHeads`.
    public func validate() throws(HardwareError) {
        for (name, v) in [("layers", layers), ("hidden", hidden), ("heads", heads), ("kv-heads", kvHeads),
                          ("vocab", vocabulary), ("intermediate", intermediate)] where v <= 0 {
            throw .invalidShape("\(name) must be a positive whole number, found \(v)")
        }
        guard hidden % heads == 0 else {
            throw .invalidShape("hidden (\(hidden)) must be a multiple of heads (\(heads))")
        }
        guard heads % kvHeads == 0 else {
            throw .invalidShape("heads (\(heads)) must be a multiple of kv-heads (\(kvHeads))")
        }
    }

    /// The Llama 3 MLP width for model width d: 3.5 d rounded up to a multiple of 256
    /// (Llama 3 8B: d 4096 -> 14336; 70B: 8192 -> 28672; Meta Llama 3 model cards / config.json).
    public static func llamaIntermediate(hidden: Int) -> Int {
        let raw = 3.5 * Double(hidden)
        return Int((raw / 256).rounded(.up)) * 256
    }
}
