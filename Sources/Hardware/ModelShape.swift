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
///
/// Mixture-of-experts shapes (`experts`, see `ExpertLayout`) replace the MLP of their MoE
/// layers with routed and shared experts: `parameterCount` counts every expert (what memory
/// holds), `activeParameterCount` the ones a token runs (what it costs). Multi-head latent
/// attention (`latentAttention`) replaces the Q/K/V/O projections and the KV cache with
/// DeepSeek's compressed form.
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
    /// The mixture-of-experts layout, or nil for a dense model.
    public var experts: ExpertLayout?
    /// Multi-head latent attention, or nil for (grouped-query) multi-head attention.
    public var latentAttention: LatentAttention?

    /// A shape; callers validate with `validate()` (the initialiser accepts anything).
    public init(layers: Int, hidden: Int, heads: Int, kvHeads: Int, vocabulary: Int, intermediate: Int? = nil,
                tiedEmbeddings: Bool = false, headDimension: Int? = nil, slidingWindow: Int? = nil, localLayers: Int = 0,
                experts: ExpertLayout? = nil, latentAttention: LatentAttention? = nil) {
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
        self.experts = experts
        self.latentAttention = latentAttention
    }

    /// Whether the shape routes tokens to experts.
    public var isMixtureOfExperts: Bool { experts != nil }

    /// Layers with a dense MLP of width `intermediate` (all of them without experts).
    public var denseLayers: Int { layers - (experts?.moeLayers ?? 0) }

    /// Width of the query (and attention output) projection, heads × h.
    public var queryDimension: Int { heads * headDimension }

    /// Width of the K (or V) projection, kvHeads × h.
    public var kvDimension: Int { kvHeads * headDimension }

    /// Layers that attend over the whole context.
    public var globalLayers: Int { layers - localLayers }

    /// Parameter count from the shape, every expert included (see the type's documentation).
    public var parameterCount: Double {
        nonRoutedParameters + (experts?.routedParameters(hidden: hidden) ?? 0)
    }

    /// Parameters one token runs: all but the routed experts it is not sent to, so
    /// `parameterCount` for a dense shape; embeddings included (both tables when untied).
    public var activeParameterCount: Double {
        nonRoutedParameters + (experts.map { $0.routedParameters(hidden: hidden) * $0.activeFraction } ?? 0)
    }

    /// Parameters outside the routed experts: attention, dense MLPs, shared experts, routers
    /// and embeddings. Every pass reads all of them.
    public var nonRoutedParameters: Double {
        let d = Double(hidden)
        let mlp = Double(denseLayers) * 3 * d * Double(intermediate) + (experts?.alwaysOnParameters(hidden: hidden) ?? 0)
        return attentionParameters + mlp + (tiedEmbeddings ? 1 : 2) * Double(vocabulary) * d
    }

    /// Routed-expert parameters over all MoE layers (0 for a dense shape).
    public var routedExpertParameters: Double { experts?.routedParameters(hidden: hidden) ?? 0 }

    /// Parameters of the attention projections over all layers: `L (2 d q + 2 d kvHeads h)`
    /// (Q, K, V and O), or the latent projections of `LatentAttention`.
    public var attentionParameters: Double {
        if let mla = latentAttention { return Double(layers) * mla.parametersPerLayer(hidden: hidden, heads: heads) }
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

    /// The fraction of the parameters one token multiplies: its active parameters less the
    /// input embedding table, over `parameterCount` (`matmulFraction` for a dense shape). Two
    /// FLOPs per such parameter per token.
    public var activeMatmulFraction: Double {
        let lookup = tiedEmbeddings ? 0 : Double(vocabulary) * Double(hidden)
        return (activeParameterCount - lookup) / parameterCount
    }

    /// The fraction of the parameters every pass reads whatever the routing: the non-routed
    /// parameters less the input embedding table, over `parameterCount` (`matmulFraction` for a
    /// dense shape).
    public var alwaysReadFraction: Double {
        let lookup = tiedEmbeddings ? 0 : Double(vocabulary) * Double(hidden)
        return (nonRoutedParameters - lookup) / parameterCount
    }

    /// The routed experts' share of the parameters (0 for a dense shape).
    public var routedFraction: Double { routedExpertParameters / parameterCount }

    /// Layer-positions of KV cache one token at `context` keeps, summed over layers: every
    /// global layer holds the whole context, a local layer at most its window.
    func attendedPositions(context: Double) -> Double {
        let window = slidingWindow.map(Double.init) ?? context
        return Double(globalLayers) * context + Double(localLayers) * min(context, window)
    }

    /// Values cached per token per layer: K and V, `2 × kvHeads × h`, or the latent and rotary
    /// key of latent attention, `r_kv + r`.
    public var cachedValuesPerPosition: Double {
        latentAttention?.cachedValuesPerPosition ?? 2 * Double(kvDimension)
    }

    /// KV-cache bytes written per token of context in every layer: `2 (K and V) × L × kvHeads ×
    /// h × bytes` (`L (r_kv + r) × bytes` with latent attention). A sequence's cache at context c
    /// is `kvCacheBytes(context:)`, which is less with sliding-window layers.
    public func kvCacheBytesPerToken(_ precision: Precision) -> Double {
        Double(layers) * cachedValuesPerPosition * precision.bytesPerValue
    }

    /// KV-cache bytes one sequence holds at `context` tokens: `cachedValuesPerPosition × bytes`
    /// per attended layer-position (`globalLayers × c + localLayers × min(c, window)`).
    public func kvCacheBytes(context: Double, precision: Precision) -> Double {
        cachedValuesPerPosition * precision.bytesPerValue * attendedPositions(context: context)
    }

    /// KV-cache bytes a sequence at `context` tokens holds beyond the first `sharedPrefix`
    /// tokens, whose blocks every running sequence shares (held once, `kvCacheBytes(context:
    /// sharedPrefix)`): a global layer's c − S positions; a sliding-window layer keeps its last
    /// min(c, W) positions, of which max(0, min(S, c) − max(0, c − W)) are the prefix's. With
    /// no shared prefix it is `kvCacheBytes(context:precision:)`.
    public func unsharedKVCacheBytes(context c: Double, sharedPrefix s: Double, precision: Precision) -> Double {
        guard s > 0 else { return kvCacheBytes(context: c, precision: precision) }
        var positions = Double(globalLayers) * max(0, c - min(s, c))
        if localLayers > 0 {
            let window = slidingWindow.map(Double.init) ?? c
            let kept = min(c, window)
            let sharedKept = max(0, min(s, c) - max(0, c - window))
            positions += Double(localLayers) * (kept - sharedKept)
        }
        return cachedValuesPerPosition * precision.bytesPerValue * positions
    }

    /// Attention-score FLOPs for one new token that attends over `context` tokens:
    /// `4 q × (attended layer-positions)` (QKᵀ and the weighted sum of V, 2 FLOPs per
    /// multiply-add over the q = heads × h query width; Kaplan et al. 2020, Table 1, counting
    /// both products, there with q = d and every layer global: `4 L d × context`).
    /// With latent attention the absorbed form's `2 H (2 r_kv + r)` per position.
    public func attentionFLOPs(context: Double) -> Double {
        let perPosition = latentAttention?.decodeFLOPsPerPosition(heads: heads) ?? 4 * Double(queryDimension)
        return perPosition * attendedPositions(context: context)
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
        let perPosition = latentAttention?.prefillFLOPsPerPosition(heads: heads) ?? 4 * Double(queryDimension)
        return perPosition * positions
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
        try experts?.validate(layers: layers)
        try latentAttention?.validate()
    }

    /// The Llama 3 MLP width for model width d: 3.5 d rounded up to a multiple of 256
    /// (Llama 3 8B: d 4096 -> 14336; 70B: 8192 -> 28672; Meta Llama 3 model cards / config.json).
    public static func llamaIntermediate(hidden: Int) -> Int {
        let raw = 3.5 * Double(hidden)
        return Int((raw / 256).rounded(.up)) * 256
    }
}
