/// The shape of a decoder-only transformer: what the KV cache, attention FLOPs and
/// tensor-parallel communication depend on.
///
/// Parameter count (Llama-style blocks, no biases): per layer `2 d q + 2 d (kvHeads × h)` for
/// attention (Q and O of width q = heads × h, K and V) plus `3 d f` for the gated MLP, and
/// `2 V d` for the input and output embeddings (`V d` when they are tied), where h is the head
/// dimension (d / heads unless a config states another, as Qwen3 and Gemma 3 do). Norm
/// weights and attention biases are ignored (< 0.1% of N).
///
/// Sliding-window attention (Gemma 3's local layers, Mistral 7B): `localLayers` of the layers
/// attend only over the last `slidingWindow` tokens, so their KV cache and attention FLOPs
/// stop growing past the window (Gemma Team 2025, Gemma 3 Technical Report, section 2.1:
/// five local layers of window 1024 per global layer).
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
    /// MLP inner width f of the gated (SwiGLU or GeGLU) MLP.
    public var intermediate: Int
    /// Whether the output projection shares the input embedding matrix (Llama 3.2 1B/3B,
    /// small Qwen 2.5 models, Gemma 3).
    public var tiedEmbeddings: Bool
    /// Width of one attention head h; d / heads unless the published config says otherwise.
    public var headDimension: Int
    /// The attention window of the local layers, tokens; nil when every layer attends over
    /// the whole context.
    public var slidingWindow: Int?
    /// How many of the layers use the sliding window (0 without one).
    public var localLayers: Int

    /// A shape; callers validate with `validate()` (the initialiser accepts anything).
    public init(layers: Int, hidden: Int, heads: Int, kvHeads: Int, vocabulary: Int, intermediate: Int? = nil,
                tiedEmbeddings: Bool = false, headDimension: Int? = nil, slidingWindow: Int? = nil, localLayers: Int = 0) {
        self.layers = layers
        self.hidden = hidden
        self.heads = heads
        self.kvHeads = kvHeads
        self.vocabulary = vocabulary
        self.intermediate = intermediate ?? Self.llamaIntermediate(hidden: hidden)
        self.tiedEmbeddings = tiedEmbeddings
        self.headDimension = headDimension ?? hidden / max(heads, 1)
        self.slidingWindow = slidingWindow
        self.localLayers = slidingWindow == nil ? 0 : localLayers
    }

    /// Width of the query (and attention output) projection, heads × h.
    public var queryDimension: Int { heads * headDimension }

    /// Width of the K (or V) projection, kvHeads × h.
    public var kvDimension: Int { kvHeads * headDimension }

    /// Layers that attend over the whole context.
    public var globalLayers: Int { layers - localLayers }

    /// Parameter count from the shape (see the type's documentation).
    public var parameterCount: Double {
        let d = Double(hidden), q = Double(queryDimension), kv = Double(kvDimension), f = Double(intermediate)
        let perLayer = 2 * d * q + 2 * d * kv + 3 * d * f
        return Double(layers) * perLayer + (tiedEmbeddings ? 1 : 2) * Double(vocabulary) * d
    }

    /// Parameters of the attention projections (Q, K, V and O) over all layers:
    /// `L (2 d q + 2 d kvHeads h)`.
    public var attentionParameters: Double {
        let d = Double(hidden)
        return Double(layers) * (2 * d * Double(queryDimension) + 2 * d * Double(kvDimension))
    }

    /// Parameters of the output projection (the LM head), V d; with tied embeddings the
    /// shared matrix.
    public var outputProjectionParameters: Double { Double(vocabulary) * Double(hidden) }

    /// The fraction of the parameters that multiply every token: all but the input embedding
    /// table, which is looked up (no FLOPs, and only the batch's rows are read). 1 for tied
    /// embeddings, whose matrix is also the output projection.
    public var matmulFraction: Double {
        tiedEmbeddings ? 1 : 1 - Double(vocabulary) * Double(hidden) / parameterCount
    }

    /// Layer-positions of KV cache one token at `context` keeps, summed over layers: every
    /// global layer holds the whole context, a local layer at most its window.
    func attendedPositions(context: Double) -> Double {
        let window = slidingWindow.map(Double.init) ?? context
        return Double(globalLayers) * context + Double(localLayers) * min(context, window)
    }

    /// KV-cache bytes written per token of context in every layer: `2 (K and V) × L × kvHeads ×
    /// h × bytes`. A sequence's cache at context c is `kvCacheBytes(context:)`, which is less
    /// with sliding-window layers.
    public func kvCacheBytesPerToken(_ precision: Precision) -> Double {
        2 * Double(layers) * Double(kvDimension) * precision.bytesPerValue
    }

    /// KV-cache bytes one sequence holds at `context` tokens: `2 × kvHeads × h × bytes` per
    /// attended layer-position (`globalLayers × c + localLayers × min(c, window)`).
    public func kvCacheBytes(context: Double, precision: Precision) -> Double {
        2 * Double(kvDimension) * precision.bytesPerValue * attendedPositions(context: context)
    }

    /// Attention-score FLOPs for one new token that attends over `context` tokens:
    /// `4 q × (attended layer-positions)` (QKᵀ and the weighted sum of V, 2 FLOPs per
    /// multiply-add over the q = heads × h query width; Kaplan et al. 2020, Table 1, counting
    /// both products, there with q = d and every layer global: `4 L d × context`).
    public func attentionFLOPs(context: Double) -> Double {
        4 * Double(queryDimension) * attendedPositions(context: context)
    }

    /// Attention-score FLOPs of the causal prefill of one `prompt`-token sequence: token t
    /// attends over t positions in a global layer and min(t, window) in a local one.
    public func prefillAttentionFLOPs(prompt: Double) -> Double {
        let full = prompt * (prompt + 1) / 2
        var positions = Double(globalLayers) * full
        if let w = slidingWindow.map(Double.init) {
            let local = prompt <= w ? full : w * (w + 1) / 2 + (prompt - w) * w
            positions += Double(localLayers) * local
        }
        return 4 * Double(queryDimension) * positions
    }

    /// Checks that the shape is usable.
    ///
    /// - Throws: `HardwareError.invalidShape` when a size is not positive, `hidden` is not a
    ///   multiple of `heads`, or `heads` is not a multiple of `kvHeads`.
    public func validate() throws(HardwareError) {
        // The planner's innermost loop validates every estimate: test the sizes without
        // building the named list unless one fails.
        if min(layers, hidden, heads, kvHeads, vocabulary, intermediate) <= 0 {
            for (name, v) in [("layers", layers), ("hidden", hidden), ("heads", heads), ("kv-heads", kvHeads),
                              ("vocab", vocabulary), ("intermediate", intermediate)] where v <= 0 {
                throw .invalidShape("\(name) must be a positive whole number, found \(v)")
            }
        }
        guard headDimension > 0 else { throw .invalidShape("head-dim must be a positive whole number, found \(headDimension)") }
        guard hidden % heads == 0 || headDimension != hidden / heads else {
            throw .invalidShape("hidden (\(hidden)) must be a multiple of heads (\(heads)), or give the head dimension")
        }
        if let w = slidingWindow {
            guard w > 0 else { throw .invalidShape("the sliding window must be a positive number of tokens, found \(w)") }
            guard localLayers >= 0, localLayers <= layers else {
                throw .invalidShape("local (sliding-window) layers must be between 0 and the \(layers) layers, found \(localLayers)")
            }
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
