/// Roofline times of the prefill and decode phases for one replica (all per device).
///
/// FLOPs: 2 N_m per token for the matrix multiplies (Kaplan et al. 2020), where N_m is N
/// less the input embedding table (`ServingWorkload.matmulParameters`: a lookup, not a
/// multiply), plus attention `4 q × attended layer-positions` per token
/// (`ModelShape.attentionFLOPs`; `4 L d × context` without sliding windows).
/// Bytes: the multiplied weights are read once per forward pass, plus one embedding row per
/// token; decode also reads the whole batch's KV cache, prefill writes the prompts' KV cache.
/// Prefill runs in ⌈B P / chunk⌉ passes (chunked prefill, `ServingWorkload.prefillChunkTokens`),
/// each reading the weights; the re-reads of earlier chunks' KV cache are not counted. Tensor parallelism over k devices divides FLOPs and weight bytes by k and adds
/// two ring all-reduces of the activations per layer (Megatron-LM, Shoeybi et al. 2019):
/// each takes `α + 2 (k − 1) / k × tokens × d × 2 bytes / linkBW`.
public enum Roofline {
    /// The prefill of the whole batch (B × P tokens); its time is the TTFT.
    public static func prefill(profile: HardwareProfile, workload w: ServingWorkload) throws(HardwareError) -> PhaseCost {
        let (peak, k) = try setup(profile, w)
        let p = Double(w.promptTokens), b = Double(w.batch)
        let tokens = b * p
        // Causal attention: token t attends over t positions (min(t, window) in local layers).
        let attention = b * w.shape.prefillAttentionFLOPs(prompt: p)
        let kvWrite = tokens * w.shape.kvCacheBytesPerToken(w.kvCachePrecision)
        let weights = Double(w.prefillPasses) * w.matmulWeightBytes
        let lookups = tokens * embeddingRowBytes(w)
        let e = profile.efficiency
        let flops = 2 * w.matmulParameters * tokens + attention
        return PhaseCost(
            flops: flops / k,
            bytes: (weights + lookups + kvWrite) / k,
            peakFLOPS: effectivePeak(profile, w, peak: peak, flops: flops, highFLOPs: 2 * w.keptHigh * tokens), bandwidth: profile.memoryBandwidth,
            computeEfficiency: e.prefillCompute.value, bandwidthEfficiency: e.prefillBandwidth.value,
            communicationSeconds: allReduceSeconds(profile: profile, workload: w, tokens: tokens),
            overheadSeconds: e.prefillOverheadMS.value / 1000, powerFactor: e.prefillPowerFactor.value)
    }

    /// One decode step of the whole batch at `context` tokens per sequence (default: the mean
    /// context over the output, P + O / 2); its time is the TPOT.
    public static func decodeStep(profile: HardwareProfile, workload w: ServingWorkload,
                                  context: Double? = nil) throws(HardwareError) -> PhaseCost {
        let (peak, k) = try setup(profile, w)
        let c = context ?? meanDecodeContext(w)
        let b = Double(w.batch)
        let kvRead = b * w.shape.kvCacheBytes(context: c, precision: w.kvCachePrecision)
        let e = profile.efficiency
        let flops = b * (2 * w.matmulParameters + w.shape.attentionFLOPs(context: c))
        return PhaseCost(
            flops: flops / k,
            bytes: (w.matmulWeightBytes + b * embeddingRowBytes(w) + kvRead) / k,
            peakFLOPS: effectivePeak(profile, w, peak: peak, flops: flops, highFLOPs: 2 * w.keptHigh * b), bandwidth: profile.memoryBandwidth,
            computeEfficiency: e.decodeCompute.value, bandwidthEfficiency: e.decodeBandwidth.value,
            communicationSeconds: allReduceSeconds(profile: profile, workload: w, tokens: b),
            overheadSeconds: e.decodeOverheadMS.value / 1000, powerFactor: e.decodePowerFactor.value)
    }

    /// The peak that runs `flops` in the time of running `highFLOPs` of them at the bf16 peak
    /// (the layers kept in bf16) and the rest at `peak`; `peak` when none are kept high.
    static func effectivePeak(_ profile: HardwareProfile, _ w: ServingWorkload, peak: Double, flops: Double, highFLOPs: Double) -> Double {
        guard highFLOPs > 0, let bf16 = profile.peakFLOPS(for: .bf16), bf16 != peak else { return peak }
        return flops / ((flops - highFLOPs) / peak + highFLOPs / bf16)
    }

    /// Mean context length over the decode steps: step j (1...O−1) attends over P + j tokens,
    /// whose mean is P + O / 2.
    public static func meanDecodeContext(_ w: ServingWorkload) -> Double {
        Double(w.promptTokens) + Double(w.outputTokens) / 2
    }

    /// Bytes of one input-embedding row looked up per token (none extra when tied: the
    /// matrix is streamed whole as the output projection).
    static func embeddingRowBytes(_ w: ServingWorkload) -> Double {
        w.shape.tiedEmbeddings ? 0 : Double(w.shape.hidden) * w.precision.bytesPerValue
    }

    /// Time of the 2 L all-reduces of one pass over `tokens` tokens; 0 for one device.
    public static func allReduceSeconds(profile: HardwareProfile, workload w: ServingWorkload, tokens: Double) -> Double {
        guard w.devices > 1 else { return 0 }
        let k = Double(w.devices)
        let message = tokens * Double(w.shape.hidden) * 2
        let one = profile.interconnectLatency + 2 * (k - 1) / k * message / profile.interconnectBandwidth
        return 2 * Double(w.shape.layers) * one
    }

    private static func setup(_ profile: HardwareProfile, _ w: ServingWorkload) throws(HardwareError) -> (Double, Double) {
        try w.validate()
        guard let peak = profile.peakFLOPS(for: w.precision) else {
            throw .noComputePeak(profile: profile.name, precision: w.precision)
        }
        return (peak, Double(w.devices))
    }
}
