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

    /// Weight bytes of the whole model: N × bytes per weight, the high-precision parameters
    /// at bf16's 2 bytes (or the weights' own when those are wider).
    public var weightBytes: Double {
        (parameters - keptHigh) * precision.bytesPerValue + keptHigh * highPrecisionBytes
    }

    /// Bytes per weight of the parameters kept in high precision.
    var highPrecisionBytes: Double { max(precision.bytesPerValue, Precision.bf16.bytesPerValue) }

    /// The high-precision parameters that are actually wider than the rest (none in bf16 or
    /// fp32), at most the multiplied ones.
    var keptHigh: Double {
        precision.bytesPerValue < Precision.bf16.bytesPerValue ? min(highPrecisionParameters, matmulParameters) : 0
    }

    /// Bytes of the multiplied weights a forward pass streams.
    public var matmulWeightBytes: Double {
        (matmulParameters - keptHigh) * precision.bytesPerValue + keptHigh * highPrecisionBytes
    }

    /// Parameters that multiply every token, N × `shape.matmulFraction` (the input embedding
    /// table is looked up, not multiplied): 2 of these FLOPs per token, and the weight bytes a
    /// forward pass streams.
    public var matmulParameters: Double { parameters * shape.matmulFraction }

    /// Tokens in the first (largest) prefill chunk of the batch, min(B P, chunk).
    public var prefillChunk: Int { min(batch * promptTokens, prefillChunkTokens) }

    /// Prefill forward passes for the batch, ⌈B P / chunk⌉.
    public var prefillPasses: Int { (batch * promptTokens + prefillChunkTokens - 1) / prefillChunkTokens }

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
        guard kvCachePrecision != .int4 else { throw .invalidWorkload("the KV cache cannot be stored in int4") }
        guard highPrecisionParameters >= 0, highPrecisionParameters <= parameters else {
            throw .invalidWorkload("the parameters kept in high precision must be between 0 and N, found \(highPrecisionParameters)")
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

    /// - Throws: `HardwareError.invalidWorkload` for PUE < 1, negative carbon intensity or a
    ///   memory fraction outside (0, 1].
    public func validate() throws(HardwareError) {
        guard pue.isFinite, pue >= 1 else { throw .invalidWorkload("PUE must be at least 1, found \(pue)") }
        if let c = carbonIntensity, !(c.isFinite && c >= 0) {
            throw .invalidWorkload("carbon intensity must be at least 0 gCO2/kWh, found \(c)")
        }
        guard usableMemoryFraction > 0, usableMemoryFraction <= 1 else {
            throw .invalidWorkload("the usable memory fraction must be in (0, 1], found \(usableMemoryFraction)")
        }
    }
}
