import Diagnostics

/// One serving configuration to estimate: a model, a batch of requests and a device count.
///
/// The batch is static: `batch` requests with `promptTokens` each arrive together, are
/// prefilled together (that time is the TTFT) and then decode `outputTokens` tokens in
/// lock step (the first output token comes out of the prefill).
public struct ServingWorkload: Equatable, Sendable {
    /// The model's shape (KV cache, attention, communication).
    public var shape: ModelShape
    /// Parameters N used for weight bytes and the 2N FLOPs per token.
    public var parameters: Double
    /// Weight precision.
    public var precision: Precision
    /// KV-cache precision (default `precision.defaultKVCache`).
    public var kvCachePrecision: Precision
    /// Concurrent sequences B, ≥ 1.
    public var batch: Int
    /// Prompt length P in tokens, ≥ 1.
    public var promptTokens: Int
    /// Output length O in tokens, ≥ 1.
    public var outputTokens: Int
    /// Tensor-parallel degree k (devices per replica), ≥ 1.
    public var devices: Int
    /// Most tokens one prefill forward pass processes: the batch's prompts are prefilled in
    /// chunks of this many tokens (chunked prefill). Default 8192, vLLM's
    /// `max_num_batched_tokens` for its OpenAI server on GPUs with at least 70 GiB
    /// (vllm/engine/arg_utils.py, V1 engine defaults).
    public var prefillChunkTokens: Int
    /// Parameters kept in bf16 whatever `precision` is (attention or the LM head of an FP8
    /// model, as FP8 checkpoints often keep them: `ModelShape.attentionParameters`,
    /// `outputProjectionParameters`); 0 by default. They are stored and multiplied in bf16
    /// (bf16 peak), the rest in `precision`.
    public var highPrecisionParameters: Double = 0
    /// Expert-parallel degree K of a mixture-of-experts model: the routed experts are spread
    /// whole over K groups of `devices / K` devices (vLLM's `--enable-expert-parallel`, where
    /// K is every device of the replica) instead of every expert being split over all devices
    /// (tensor parallelism, K = 1, the default). Memory and bytes per device are the same
    /// either way; with K > 1 the busiest group's expert load is `routingImbalance` times the
    /// mean.
    public var expertParallel: Int = 1
    /// Data-parallel attention degree G: the replica's devices form G attention groups of
    /// `devices / G`, each serving B / G of the sequences with its own copy of the non-expert
    /// weights and its own KV cache, and the MoE layers exchange tokens between groups by
    /// all-to-all (SGLang's `--enable-dp-attention`, vLLM's `--data-parallel-size` with
    /// expert parallelism). 1 (the default) runs attention tensor-parallel over all devices.
    public var attentionDataParallel: Int = 1
    /// Pipeline-parallel stages P: the layers are split into P stages of `devices / P` devices
    /// each, and the running sequences into P micro-batches that follow one another through the
    /// stages (vLLM's `--pipeline-parallel-size`). A device holds 1 / P of the layers, and a
    /// step reads each stage's weights once per micro-batch; the all-reduces run within a stage,
    /// and a micro-batch's activations cross the P − 1 stage boundaries. 1 (the default) runs
    /// every layer on every device.
    public var pipelineStages: Int = 1
    /// The busiest expert-parallel group's share of the routed-expert tokens over the mean
    /// share, ≥ 1: the step waits for it. 1 (the default) is uniform routing; measured MoE
    /// deployments balance experts to within a few tens of percent (DeepSeek-V3 Technical
    /// Report, section 3.4, redundant experts for that reason). Only used with expert parallelism.
    public var routingImbalance: Double = 1
    /// The requests' output lengths, when they vary (`OutputLengths`): the continuous-batching
    /// steady state then uses the distribution (length-biased context, mean decode steps, the
    /// longest length's memory, the TPOT mixture), and `outputTokens` must be its mean rounded
    /// to a whole token (what the static batch and the token counts use). nil (the default):
    /// every request decodes `outputTokens`.
    public var outputLengths: OutputLengths? = nil
    /// Fraction h of each prompt's tokens found in the KV cache (automatic prefix caching:
    /// vLLM's "prefix cache hit rate", SGLang's RadixAttention), in [0, 1); 0 (the default)
    /// prefills every prompt token. A hit skips the prefix's forward pass: only the
    /// P (1 − h) new tokens are computed (`prefillPromptTokens`), attending over the whole
    /// prompt and reading the cached prefix's KV cache once. Decode is unchanged, and every
    /// running sequence holds its whole context in memory, but for the prefix every request
    /// shares (`sharedPrefixTokens`). The rate is taken as given: it depends on the traffic
    /// and on how long the cache keeps prefixes.
    public var prefixCacheHitRate: Double = 0
    /// Tokens S at the start of every prompt that are the same in every request (a system
    /// prompt), 0 ≤ S < P; 0 (the default) for none. The engine holds their KV blocks once
    /// per replica and every running sequence refers to them (vLLM's automatic prefix caching
    /// shares a block by its hash and counts its references; SGLang's radix tree shares the
    /// nodes): memory holds the prefix once (`sharedPrefixKVBytesPerDevice`) and each sequence
    /// only its other positions (`ModelShape.unsharedKVCacheBytes`). Every prompt after the
    /// first finds the prefix in the cache, so the hit rate is at least S / P. Decode still
    /// reads the whole context of every sequence (paged attention reads the shared blocks once
    /// per sequence; kernels that read a shared prefix once for the whole batch, such as
    /// FlashInfer's cascade attention, are not modelled).
    public var sharedPrefixTokens: Int = 0

    public init(shape: ModelShape, parameters: Double? = nil, precision: Precision = .bf16,
                kvCachePrecision: Precision? = nil, batch: Int, promptTokens: Int, outputTokens: Int, devices: Int = 1,
                prefillChunkTokens: Int = 8192) {
        self.shape = shape
        self.parameters = parameters ?? shape.parameterCount
        self.precision = precision
        self.kvCachePrecision = kvCachePrecision ?? precision.defaultKVCache
        self.batch = batch
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
        self.devices = devices
        self.prefillChunkTokens = prefillChunkTokens
    }

    /// Context length of one sequence when it has finished, P + O tokens.
    public var contextTokens: Int { promptTokens + outputTokens }

    /// Decode steps of a request on average: E[O − 1] (O − 1 without a distribution).
    public var meanDecodeSteps: Double { outputLengths?.meanDecodeSteps ?? Double(outputTokens - 1) }

    /// Output tokens of a request on average: E[O] (O without a distribution).
    public var meanOutputTokens: Double { outputLengths?.mean ?? Double(outputTokens) }

    /// Prompt tokens a request's prefill computes, P (1 − h) (all P without prefix caching).
    public var prefillPromptTokens: Double { Double(promptTokens) * (1 - prefixCacheHitRate) }

    /// Prompt tokens a request finds in the prefix cache, P h.
    public var cachedPromptTokens: Double { Double(promptTokens) - prefillPromptTokens }

    /// Context of the longest request when it has finished: P + the longest output length.
    public var longestContextTokens: Int { promptTokens + (outputLengths?.longest ?? outputTokens) }

    /// Weight bytes of the whole model: N × bytes per weight, the high-precision parameters
    /// at bf16's 2 bytes (or the weights' own when those are wider).
    public var weightBytes: Double {
        (parameters - keptHigh) * precision.bytesPerValue + keptHigh * highPrecisionBytes
    }

    /// Bytes per weight of the parameters kept in high precision.
    var highPrecisionBytes: Double { max(precision.bytesPerValue, Precision.bf16.bytesPerValue) }

    /// The high-precision parameters that are actually wider than the rest (none in bf16 or
    /// fp32), at most the ones every pass reads (never routed experts).
    var keptHigh: Double {
        precision.bytesPerValue < Precision.bf16.bytesPerValue ? min(highPrecisionParameters, alwaysReadParameters) : 0
    }

    /// Bytes of the weights a forward pass streams whatever the routing, all devices together:
    /// for a dense model every multiplied weight.
    public var matmulWeightBytes: Double {
        (alwaysReadParameters - keptHigh) * precision.bytesPerValue + keptHigh * highPrecisionBytes
    }

    /// Parameters one token multiplies, N × `shape.activeMatmulFraction` (the input embedding
    /// table is looked up, not multiplied; routed experts count k / E): 2 of these FLOPs per
    /// token. For a dense model also the weights a forward pass streams.
    public var matmulParameters: Double { parameters * shape.activeMatmulFraction }

    /// Multiplied parameters every pass reads whatever the routing, N × `shape.alwaysReadFraction`.
    public var alwaysReadParameters: Double { parameters * shape.alwaysReadFraction }

    /// Routed-expert parameters, N × `shape.routedFraction` (0 for a dense model).
    public var routedParameters: Double { parameters * shape.routedFraction }

    /// Routed-expert parameters one token runs, k / E of `routedParameters`.
    public var activeRoutedParameters: Double { routedParameters * (shape.experts?.activeFraction ?? 0) }

    /// Devices of one pipeline stage, `devices / pipelineStages` (all of them without pipeline
    /// parallelism).
    public var stageDevices: Int { max(1, devices / max(pipelineStages, 1)) }

    /// Devices of one attention group within a stage, `stageDevices / attentionDataParallel`:
    /// the tensor-parallel degree of attention and the non-expert weights.
    public var attentionDevices: Int { max(1, stageDevices / max(attentionDataParallel, 1)) }

    /// Tokens of one micro-batch when a pass over `tokens` replica tokens is split into the
    /// pipeline's micro-batches, tokens / P.
    @inline(__always)
    public func microBatch(_ tokens: Double) -> Double { tokens / Double(max(pipelineStages, 1)) }

    /// Weight bytes one device holds: the non-expert weights split over its attention group
    /// (`attentionDevices`), the routed experts over all devices.
    public var weightBytesPerDevice: Double {
        let routed = routedParameters * precision.bytesPerValue
        return ((weightBytes - routed) / Double(attentionDevices) + routed / Double(stageDevices)) / Double(max(pipelineStages, 1))
    }

    /// Weight bytes one device streams in a pass over `tokens` tokens (the whole replica's): its
    /// share of the always-read weights plus the expected fraction of its experts the tokens
    /// reach (`ExpertLayout.touchedFraction`, uniform routing). With pipeline stages a device
    /// holds 1 / P of the layers and reads them once for each of the P micro-batches, whose
    /// tokens reach experts on their own.
    @inline(__always)
    public func streamedWeightBytesPerDevice(tokens: Double) -> Double {
        let always = matmulWeightBytes / Double(attentionDevices)
        guard let layout = shape.experts else { return always }
        return always + routedParameters * precision.bytesPerValue * layout.touchedFraction(tokens: microBatch(tokens)) / Double(stageDevices)
    }

    /// KV-cache bytes of the shared prefix (`sharedPrefixTokens`) on one device: held once for
    /// every sequence of the device's attention group, at the device's share of the heads; 0
    /// without one.
    public var sharedPrefixKVBytesPerDevice: Double {
        guard sharedPrefixTokens > 0 else { return 0 }
        return shape.kvCacheBytes(context: Double(sharedPrefixTokens), precision: kvCachePrecision) * kvSharePerDevice
    }

    /// KV-cache bytes one sequence at `context` tokens holds on one device beyond the shared
    /// prefix (all of its cache without one).
    public func unsharedKVBytesPerDevice(context: Double) -> Double {
        shape.unsharedKVCacheBytes(context: context, sharedPrefix: Double(sharedPrefixTokens), precision: kvCachePrecision) * kvSharePerDevice
    }

    /// The fraction of a sequence's KV cache one device holds: its attention group's share
    /// (`MemoryFit.kvShare` over `attentionDevices`).
    public var kvSharePerDevice: Double {
        MemoryFit.kvShare(shape: shape, devices: attentionDevices) / Double(max(pipelineStages, 1))
    }

    /// Tokens in the first (largest) prefill chunk of the batch, min(B P, chunk), of the
    /// prompt tokens computed (B P (1 − h) with prefix caching).
    public var prefillChunk: Double { min(Double(batch) * prefillPromptTokens, Double(prefillChunkTokens)) }

    /// Prefill forward passes for the batch, ⌈B P / chunk⌉ over the prompt tokens computed.
    public var prefillPasses: Int { max(1, Int((Double(batch) * prefillPromptTokens / Double(prefillChunkTokens)).rounded(.up))) }

    /// Prefix-cache hit rates accepted, [0, 1): a request always computes at least its last
    /// prompt token (the one the first output token comes from).
    public static func acceptsPrefixCacheHitRate(_ h: Double) -> Bool { h >= 0 && h < 1 }

    /// Whether `tokens` can be the shared prefix of a `promptTokens`-token prompt: at least 0
    /// and below the prompt (a request computes its last prompt token itself).
    public static func acceptsSharedPrefix(_ tokens: Int, promptTokens: Int) -> Bool { tokens >= 0 && tokens < promptTokens }

    /// The least prefix-cache hit rate a shared prefix of `sharedPrefixTokens` of a
    /// `promptTokens`-token prompt implies, S / P (every prompt after the first finds it
    /// cached); what the scenarios and `estimate` take when no rate is given.
    public static func leastHitRate(sharedPrefixTokens: Int, promptTokens: Int) -> Double {
        promptTokens > 0 ? Double(sharedPrefixTokens) / Double(promptTokens) : 0
    }

    /// - Throws: `HardwareError` when any count is below 1, N is not positive and finite,
    ///   or the shape is invalid.
    public func validate() throws(HardwareError) {
        try shape.validate()
        guard parameters.isFinite, parameters > 0 else {
            throw .invalidWorkload("the parameter count must be positive and finite, found \(parameters)")
        }
        if min(batch, promptTokens, outputTokens, devices, prefillChunkTokens) < 1 {
            for (name, v) in [("batch", batch), ("prompt tokens", promptTokens), ("output tokens", outputTokens),
                              ("devices", devices), ("prefill chunk tokens", prefillChunkTokens)] where v < 1 {
                throw .invalidWorkload("\(name) must be at least 1, found \(v)")
            }
        }
        if let d = outputLengths, outputTokens != Int(d.mean.rounded()) {
            throw .invalidWorkload("the output tokens (\(outputTokens)) must be the output-length distribution's mean rounded, \(Int(d.mean.rounded()))")
        }
        guard Self.acceptsPrefixCacheHitRate(prefixCacheHitRate) else {
            throw .invalidWorkload("the prefix-cache hit rate must be at least 0 and below 1, found \(prefixCacheHitRate)")
        }
        if sharedPrefixTokens != 0 {
            guard Self.acceptsSharedPrefix(sharedPrefixTokens, promptTokens: promptTokens) else {
                throw .invalidWorkload("the shared prefix must be at least 0 tokens and shorter than the \(promptTokens)-token prompt, found \(sharedPrefixTokens)")
            }
            let least = Self.leastHitRate(sharedPrefixTokens: sharedPrefixTokens, promptTokens: promptTokens)
            guard prefixCacheHitRate >= least else {
                throw .invalidWorkload("the prefix-cache hit rate (\(NumberText.short(prefixCacheHitRate))) is below the shared prefix's share of the prompt, \(sharedPrefixTokens) / \(promptTokens) = \(NumberText.short(least)): every prompt after the first finds the shared prefix in the cache")
            }
        }
        guard kvCachePrecision.storesKVCache else { throw .invalidWorkload("the KV cache cannot be stored in \(kvCachePrecision.rawValue)") }
        guard highPrecisionParameters >= 0, highPrecisionParameters <= parameters else {
            throw .invalidWorkload("the parameters kept in high precision must be between 0 and N, found \(highPrecisionParameters)")
        }
        if pipelineStages != 1 {
            guard pipelineStages >= 1, devices % pipelineStages == 0 else {
                throw .invalidWorkload("the pipeline stages (\(pipelineStages)) must divide the \(devices) devices of the replica")
            }
            guard pipelineStages <= shape.layers else {
                throw .invalidWorkload("the pipeline stages (\(pipelineStages)) cannot exceed the \(shape.layers) layers")
            }
        }
        for (name, degree) in [("expert-parallel", expertParallel), ("data-parallel attention", attentionDataParallel)] where degree != 1 {
            guard let layout = shape.experts else {
                throw .invalidWorkload("\(name == "expert-parallel" ? "expert parallelism" : "data-parallel attention") needs a mixture-of-experts model; this one is dense")
            }
            guard degree >= 1, stageDevices % degree == 0 else {
                throw .invalidWorkload("the \(name) degree (\(degree)) must divide the \(stageDevices) devices of \(pipelineStages > 1 ? "a pipeline stage" : "the replica")")
            }
            guard name != "expert-parallel" || degree <= layout.experts else {
                throw .invalidWorkload("the expert-parallel degree (\(degree)) cannot exceed the \(layout.experts) experts")
            }
        }
        guard routingImbalance.isFinite, routingImbalance >= 1 else {
            throw .invalidWorkload("the routing imbalance must be at least 1 (uniform routing), found \(routingImbalance)")
        }
    }
}

/// Settings around the estimate that are not part of the workload.
public struct ServingOptions: Equatable, Sendable {
    /// Power usage effectiveness of the facility, ≥ 1 (1 = device energy only, as ML.ENERGY measures).
    public var pue: Double
    /// Grid carbon intensity in gCO2 per kWh, or nil to skip emissions.
    public var carbonIntensity: Double?
    /// Fraction of device memory the serving engine may use (vLLM's `gpu_memory_utilization`
    /// defaults to 0.9; vLLM engine arguments documentation).
    public var usableMemoryFraction: Double

    public init(pue: Double = 1, carbonIntensity: Double? = nil, usableMemoryFraction: Double = 0.9) {
        self.pue = pue
        self.carbonIntensity = carbonIntensity
        self.usableMemoryFraction = usableMemoryFraction
    }

    /// Grid carbon intensities accepted, gCO2/kWh: 0 to 10,000, ten times the most
    /// carbon-intensive grids (coal-fired, about 1,000); 1e308 made emissions infinite (the
    /// seed-12 soak).
    public static let carbonIntensityRange = 0.0...10_000

    /// - Throws: `HardwareError.invalidWorkload` for PUE < 1, a carbon intensity outside
    ///   `carbonIntensityRange` or a memory fraction outside (0, 1].
    public func validate() throws(HardwareError) {
        guard pue.isFinite, pue >= 1 else { throw .invalidWorkload("PUE must be at least 1, found \(pue)") }
        if let c = carbonIntensity, !Self.carbonIntensityRange.contains(c) {
            let r = Self.carbonIntensityRange
            throw .invalidWorkload("carbon intensity must be between \(Int(r.lowerBound)) and \(Int(r.upperBound)) gCO2/kWh, found \(c)")
        }
        guard usableMemoryFraction > 0, usableMemoryFraction <= 1 else {
            throw .invalidWorkload("the usable memory fraction must be in (0, 1], found \(usableMemoryFraction)")
        }
    }
}
