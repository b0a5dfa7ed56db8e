import Foundation

/// Roofline times of the prefill and decode phases for one replica (all per device).
///
/// FLOPs: 2 N_m per token for the matrix multiplies (Kaplan et al. 2020), where N_m is N
/// less the input embedding table (`ServingWorkload.matmulParameters`: a lookup, not a
/// multiply), plus attention `4 q × attended layer-positions` per token
/// (`ModelShape.attentionFLOPs`; `4 L d × context` without sliding windows).
/// Bytes: the multiplied weights are read once per forward pass, plus one embedding row per
/// token; decode also reads the whole batch's KV cache, prefill writes the prompts' KV cache.
/// With prefix caching (`ServingWorkload.prefixCacheHitRate` h) a prompt computes only its
/// P (1 − h) tokens past the cached prefix: their matmul FLOPs, attention over every earlier
/// position (the causal prefill of P less that of the prefix), their KV writes, and one read
/// of the prefix's KV cache. Prefill runs in ⌈B P (1 − h) / chunk⌉ passes (chunked prefill,
/// `ServingWorkload.prefillChunkTokens`), each reading the weights; the re-reads of earlier
/// chunks' KV cache are not counted. Tensor parallelism over k devices divides FLOPs and weight bytes by k and adds
/// two ring all-reduces of the activations per layer (Megatron-LM, Shoeybi et al. 2019):
/// each takes `α + 2 (k − 1) / k × tokens × d × 2 bytes / linkBW`.
///
/// Mixture of experts: FLOPs count the active parameters (`ServingWorkload.matmulParameters`);
/// a pass over T tokens reads the always-read weights and the expected fraction
/// `1 − (1 − k/E)^T` of the routed experts (`ExpertLayout.touchedFraction`, uniform routing).
/// With expert parallelism (`ServingWorkload.expertParallel` > 1) the busiest group's expert
/// FLOPs are scaled by the routing imbalance. With data-parallel attention G
/// (`attentionDataParallel`) each device keeps its attention group's copy of the non-expert
/// weights (read per device: split over the group's `devices / G`, not over all devices),
/// the all-reduces run within a group over its T / G tokens, and each MoE layer adds two
/// all-to-alls between the groups (dispatch and combine, `allToAllSeconds`).
///
/// Pipeline parallelism P (`ServingWorkload.pipelineStages`): the batch moves through the P
/// stages as P micro-batches, each stage busy with one after another, so a step (every
/// sequence one token further) takes P micro-batch passes of a stage. Per device over the
/// step: the same FLOPs and KV bytes as P times fewer layers on P times the tokens, the
/// stage's weights read once per micro-batch (`streamedWeightBytesPerDevice`), the stage's
/// all-reduces over each micro-batch's tokens, and the P − 1 stage boundaries one micro-batch
/// crosses: `(P − 1)(α + T / P × 2 d / linkBW)` (`pipelineSeconds`).
public enum Roofline {
    /// The prefill of the whole batch (B × P tokens); its time is the TTFT.
    public static func prefill(profile: HardwareProfile, workload w: ServingWorkload) throws(HardwareError) -> PhaseCost {
        let (peak, k) = try setup(profile, w)
        let b = Double(w.batch)
        let tokens = b * w.prefillPromptTokens
        // Causal attention: token t attends over t positions (min(t, window) in local layers);
        // with prefix caching only the tokens past the cached prefix are computed.
        let attention = b * prefillAttentionFLOPs(w)
        // The computed tokens' KV cache is written; a cached prefix's is read once.
        let kvBytes = (tokens + b * w.cachedPromptTokens) * w.shape.kvCacheBytesPerToken(w.kvCachePrecision)
        let weights = Double(w.prefillPasses) * w.streamedWeightBytesPerDevice(tokens: Double(w.prefillChunk))
        let lookups = tokens * embeddingRowBytes(w)
        let e = profile.efficiency
        let flops = 2 * w.matmulParameters * tokens + attention
        return PhaseCost(
            flops: (flops + imbalanceFLOPs(w, tokens: tokens)) / k,
            bytes: weights + (lookups + kvBytes) / k,
            peakFLOPS: effectivePeak(profile, w, peak: peak, flops: flops, highFLOPs: 2 * w.keptHigh * tokens), bandwidth: profile.memoryBandwidth,
            computeEfficiency: e.prefillCompute.value, bandwidthEfficiency: e.prefillBandwidth.value,
            communicationSeconds: communicationSeconds(profile: profile, workload: w, tokens: tokens),
            overheadSeconds: e.prefillOverheadMS.value / 1000,
            computePowerFactor: e.computePowerFactor.value, bandwidthPowerFactor: e.bandwidthPowerFactor.value)
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
            flops: (flops + imbalanceFLOPs(w, tokens: b)) / k,
            bytes: w.streamedWeightBytesPerDevice(tokens: b) + (b * embeddingRowBytes(w) + kvRead) / k,
            peakFLOPS: effectivePeak(profile, w, peak: peak, flops: flops, highFLOPs: 2 * w.keptHigh * b), bandwidth: profile.memoryBandwidth,
            computeEfficiency: e.decodeCompute.value, bandwidthEfficiency: e.decodeBandwidth.value,
            communicationSeconds: communicationSeconds(profile: profile, workload: w, tokens: b),
            overheadSeconds: e.decodeOverheadMS.value / 1000,
            computePowerFactor: e.computePowerFactor.value, bandwidthPowerFactor: e.bandwidthPowerFactor.value)
    }

    /// One engine step of continuous batching: `decodeSequences` running sequences each decode
    /// one token at the mean context (P + O / 2), and `prefillTokens` tokens of newly admitted
    /// prompts are prefilled beside them (chunked prefill, vLLM's mixed batches). The weights
    /// are read once for the whole step; decode tokens read their KV cache, prefill tokens
    /// write theirs and attend over half the prompt on average. Compute time adds each part at
    /// its own efficiency (decode and prefill compute); bandwidth runs at the decode
    /// efficiency; one decode overhead and the all-reduces of all the step's tokens are added.
    /// Counts may be fractional (a mean over steps).
    public static func mixedStep(profile: HardwareProfile, workload w: ServingWorkload,
                                 decodeSequences n: Double, prefillTokens c: Double) throws(HardwareError) -> PhaseCost {
        try MixedStep(profile: profile, workload: w).cost(decodeSequences: n, prefillTokens: c)
    }

    /// `mixedStep` set up once for a profile and workload and evaluated for many decode and
    /// prefill counts (the steady-state model sums over the prompts a step holds); it holds
    /// numbers only, so the planner's innermost loop copies no profile.
    public struct MixedStep: Sendable {
        let k: Double, peak: Double, bf16Peak: Double?, keptHigh: Double
        let decodeFLOPsPerSequence: Double, prefillFLOPsPerToken: Double
        let weightBytes: Double, routedBytesPerDevice: Double, activeFraction: Double, extraRoutedFLOPsPerToken: Double
        let bytesPerSequence: Double, bytesPerPrefillToken: Double
        let idleW: Double, tdpW: Double
        let decodeCompute: Double, prefillCompute: Double, decodeBandwidth: Double, bandwidth: Double
        let linkLatency: Double, linkBandwidth: Double, hidden: Double, layers: Double
        let attentionGroups: Int, moeLayers: Double, activeExperts: Int, stages: Int, stageDevices: Int
        let overhead: Double, computePower: Double, bandwidthPower: Double

        public init(profile: HardwareProfile, workload w: ServingWorkload) throws(HardwareError) {
            let (peak, k) = try setup(profile, w)
            self.k = k
            self.peak = peak
            bf16Peak = profile.peakFLOPS(for: .bf16)
            keptHigh = w.keptHigh
            let context = meanDecodeContext(w), p = w.prefillPromptTokens
            let matmul = 2 * w.matmulParameters
            decodeFLOPsPerSequence = matmul + w.shape.attentionFLOPs(context: context)
            prefillFLOPsPerToken = matmul + prefillAttentionFLOPs(w) / p
            let row = embeddingRowBytes(w)
            weightBytes = w.streamedWeightBytesPerDevice(tokens: 0)
            routedBytesPerDevice = w.routedParameters * w.precision.bytesPerValue / Double(w.stageDevices)
            activeFraction = w.shape.experts?.activeFraction ?? 0
            extraRoutedFLOPsPerToken = imbalanceFLOPs(w, tokens: 1)
            bytesPerSequence = row + w.shape.kvCacheBytes(context: context, precision: w.kvCachePrecision)
            // A computed prompt token writes its KV cache; a cached prefix's is read once per
            // prompt, spread over the prompt's computed tokens.
            bytesPerPrefillToken = row + w.shape.kvCacheBytesPerToken(w.kvCachePrecision) * (1 + w.cachedPromptTokens / p)
            idleW = profile.idleW.value
            tdpW = profile.tdpW.value
            // Read field by field: a copy of `efficiency` would retain every source string,
            // and this runs once per probe of the planner's batch search.
            decodeCompute = profile.efficiency.decodeCompute.value
            prefillCompute = profile.efficiency.prefillCompute.value
            decodeBandwidth = profile.efficiency.decodeBandwidth.value
            bandwidth = profile.memoryBandwidth
            linkLatency = profile.interconnectLatency
            linkBandwidth = profile.interconnectBandwidth
            hidden = Double(w.shape.hidden)
            layers = Double(w.shape.layers)
            attentionGroups = w.attentionDataParallel
            stages = max(w.pipelineStages, 1)
            stageDevices = w.stageDevices
            moeLayers = Double(w.shape.experts?.moeLayers ?? 0)
            activeExperts = w.shape.experts?.activeExperts ?? 0
            overhead = profile.efficiency.decodeOverheadMS.value / 1000
            computePower = profile.efficiency.computePowerFactor.value
            bandwidthPower = profile.efficiency.bandwidthPowerFactor.value
        }

        /// The step with `n` decode sequences and `c` prefill tokens.
        public func cost(decodeSequences n: Double, prefillTokens c: Double) -> PhaseCost {
            let x = parts(n, c)
            return PhaseCost(flops: x.flops / k, bytes: x.bytes / k, peakFLOPS: x.peak, bandwidth: bandwidth,
                             computeEfficiency: x.efficiency, bandwidthEfficiency: decodeBandwidth,
                             communicationSeconds: x.communication, overheadSeconds: overhead,
                             computePowerFactor: computePower, bandwidthPowerFactor: bandwidthPower)
        }

        /// `cost(...).seconds` without building the phase (the steady state's sums need only
        /// the time): the same expressions, so the same number.
        @inline(__always)
        public func seconds(decodeSequences n: Double, prefillTokens c: Double) -> Double {
            let x = parts(n, c)
            return max(x.compute, x.memory) + x.communication + overhead
        }

        /// The step's time as `Calibration` fits it, linear in the reciprocal efficiencies once
        /// the bound is fixed: the decode and prefill parts of the compute time at efficiency 1
        /// (compute time = decode / ηdc + prefill / ηpc), the memory time at efficiency 1
        /// (memory time = memory / ηdb), the communication and the binding limit at this
        /// profile's efficiencies; the overhead adds to all of it. The same expressions as
        /// `seconds`.
        func linearParts(decodeSequences n: Double, prefillTokens c: Double)
            -> (decodeCompute: Double, prefillCompute: Double, memory: Double, communication: Double, bound: Bound) {
            let x = parts(n, c)
            let decodeFLOPs = n * decodeFLOPsPerSequence, prefillFLOPs = c * prefillFLOPsPerToken
            let flops = decodeFLOPs + prefillFLOPs
            // Device FLOPs per model FLOP (expert imbalance, the device share) over the peak.
            let unit = flops > 0 ? x.flops / k / (flops * x.peak) : 0
            return (decodeFLOPs * unit, prefillFLOPs * unit, x.bytes / k / bandwidth, x.communication,
                    x.compute >= x.memory ? .compute : .memory)
        }

        @inline(__always)
        private func parts(_ n: Double, _ c: Double)
            -> (flops: Double, bytes: Double, peak: Double, efficiency: Double, communication: Double, compute: Double, memory: Double) {
            let decodeFLOPs = n * decodeFLOPsPerSequence
            let prefillFLOPs = c * prefillFLOPsPerToken
            let flops = decodeFLOPs + prefillFLOPs
            // One efficiency that gives the same compute time as each part at its own.
            let efficiency = flops > 0 ? flops / (decodeFLOPs / decodeCompute + prefillFLOPs / prefillCompute) : decodeCompute
            let effective = Roofline.effectivePeak(peak: peak, bf16: bf16Peak, flops: flops, highFLOPs: 2 * keptHigh * (n + c))
            let communication = Roofline.communicationSeconds(
                latency: linkLatency, bandwidth: linkBandwidth, devices: stageDevices, attentionGroups: attentionGroups,
                hidden: hidden, layers: layers, moeLayers: moeLayers, activeExperts: activeExperts, tokens: (n + c) / Double(stages))
                + Roofline.pipelineSeconds(latency: linkLatency, bandwidth: linkBandwidth, stages: stages, hidden: hidden, tokens: n + c)
            // Bytes per device: the always-read weights, the experts the step's tokens reach
            // (1 − (1 − k/E)^T, written through log1p and expm1), the KV cache and rows.
            let routed = activeFraction > 0 && n + c > 0 ? routedBytesPerDevice * -expm1((n + c) / Double(stages) * log1p(-activeFraction)) : 0
            let bytes = weightBytes + routed + (n * bytesPerSequence + c * bytesPerPrefillToken) / k
            let deviceFLOPs = (flops + (n + c) * extraRoutedFLOPsPerToken) / k
            return (deviceFLOPs * k, bytes * k, effective, efficiency, communication,
                    deviceFLOPs / (efficiency * effective), bytes / (decodeBandwidth * bandwidth))
        }

        /// Board power during `cost`, W (`PowerModel`, from this profile's idle power and TDP).
        public func watts(_ cost: PhaseCost) -> Double {
            PowerModel.watts(idle: idleW, tdp: tdpW, phase: cost, seconds: cost.seconds)
        }
    }

    /// The peak that runs `flops` in the time of running `highFLOPs` of them at the bf16 peak
    /// (the layers kept in bf16) and the rest at `peak`; `peak` when none are kept high.
    static func effectivePeak(_ profile: HardwareProfile, _ w: ServingWorkload, peak: Double, flops: Double, highFLOPs: Double) -> Double {
        effectivePeak(peak: peak, bf16: highFLOPs > 0 ? profile.peakFLOPS(for: .bf16) : nil, flops: flops, highFLOPs: highFLOPs)
    }

    /// `effectivePeak` from the numbers: `bf16` is the bf16 peak (nil when the profile has none).
    @inline(__always)
    static func effectivePeak(peak: Double, bf16: Double?, flops: Double, highFLOPs: Double) -> Double {
        guard highFLOPs > 0, let bf16, bf16 != peak else { return peak }
        return flops / ((flops - highFLOPs) / peak + highFLOPs / bf16)
    }

    /// Attention-score FLOPs of one request's prefill: the causal prefill of the whole prompt
    /// less that of its cached prefix (`ServingWorkload.prefixCacheHitRate`), whose positions
    /// are not computed again; the new tokens still attend over every earlier position.
    static func prefillAttentionFLOPs(_ w: ServingWorkload) -> Double {
        w.shape.prefillAttentionFLOPs(prompt: Double(w.promptTokens)) - w.shape.prefillAttentionFLOPs(prompt: w.cachedPromptTokens)
    }

    /// Mean context length over the decode steps: step j (1...O−1) attends over P + j tokens,
    /// whose mean is P + O / 2; with a distribution of output lengths
    /// (`ServingWorkload.outputLengths`), the length-biased mean over running sequences,
    /// P + E[O (O − 1)] / (2 E[O − 1]) (`OutputLengths.decodeContextBeyondPrompt`).
    public static func meanDecodeContext(_ w: ServingWorkload) -> Double {
        Double(w.promptTokens) + (w.outputLengths?.decodeContextBeyondPrompt ?? Double(w.outputTokens) / 2)
    }

    /// Bytes of one input-embedding row looked up per token (none extra when tied: the
    /// matrix is streamed whole as the output projection).
    static func embeddingRowBytes(_ w: ServingWorkload) -> Double {
        w.shape.tiedEmbeddings ? 0 : Double(w.shape.hidden) * w.precision.bytesPerValue
    }

    /// FLOPs the busiest expert-parallel group runs beyond its even share, over all devices
    /// (so divided by the device count like the rest): `(imbalance − 1) × tokens × 2 ×` the
    /// active routed parameters; 0 without expert parallelism.
    static func imbalanceFLOPs(_ w: ServingWorkload, tokens: Double) -> Double {
        guard w.expertParallel > 1 else { return 0 }
        return (w.routingImbalance - 1) * tokens * 2 * w.activeRoutedParameters
    }

    /// Communication of one pass over `tokens` tokens (the replica's): the all-reduces within
    /// each attention group over its share of the tokens, and with data-parallel attention the
    /// all-to-alls of the MoE layers.
    public static func communicationSeconds(profile: HardwareProfile, workload w: ServingWorkload, tokens: Double) -> Double {
        communicationSeconds(latency: profile.interconnectLatency, bandwidth: profile.interconnectBandwidth, devices: w.stageDevices,
                             attentionGroups: w.attentionDataParallel, hidden: Double(w.shape.hidden), layers: Double(w.shape.layers),
                             moeLayers: Double(w.shape.experts?.moeLayers ?? 0), activeExperts: w.shape.experts?.activeExperts ?? 0,
                             tokens: w.microBatch(tokens))
            + pipelineSeconds(latency: profile.interconnectLatency, bandwidth: profile.interconnectBandwidth, stages: w.pipelineStages,
                              hidden: Double(w.shape.hidden), tokens: tokens)
    }

    /// The stage boundaries one micro-batch crosses in a pipelined pass over `tokens` replica
    /// tokens: `(P − 1)(α + T / P × 2 d / linkBW)` (bf16 activations, point to point); 0
    /// without pipeline stages.
    @inline(__always)
    public static func pipelineSeconds(latency: Double, bandwidth: Double, stages: Int, hidden: Double, tokens: Double) -> Double {
        guard stages > 1 else { return 0 }
        let p = Double(stages)
        return (p - 1) * (latency + tokens / p * 2 * hidden / bandwidth)
    }

    @inline(__always)
    static func communicationSeconds(latency: Double, bandwidth: Double, devices: Int, attentionGroups: Int, hidden: Double,
                                     layers: Double, moeLayers: Double, activeExperts: Int, tokens: Double) -> Double {
        let groups = max(attentionGroups, 1)
        let reduce = allReduceSeconds(latency: latency, bandwidth: bandwidth, devices: max(1, devices / groups),
                                      hidden: hidden, layers: layers, tokens: tokens / Double(groups))
        guard groups > 1, moeLayers > 0 else { return reduce }
        return reduce + 2 * moeLayers * allToAllSeconds(latency: latency, bandwidth: bandwidth, groups: groups,
                                                        activeExperts: activeExperts, hidden: hidden, tokens: tokens)
    }

    /// One all-to-all of a MoE layer (the dispatch of tokens to their experts, or the combine of
    /// the results) between G data-parallel attention groups, each holding 1 / G of the
    /// experts: each group sends its T / G tokens' bf16 activations (d × 2 bytes) once to every
    /// other group holding one of their k experts, on average `(G − 1) (1 − (1 − 1/G)^k)`
    /// groups under uniform routing, so `α + T / G × (G − 1) (1 − (1 − 1/G)^k) × 2 d / linkBW`.
    @inline(__always)
    public static func allToAllSeconds(latency: Double, bandwidth: Double, groups: Int, activeExperts: Int, hidden: Double,
                                       tokens: Double) -> Double {
        let g = Double(groups)
        let remoteGroups = (g - 1) * (1 - pow(1 - 1 / g, Double(activeExperts)))
        return latency + tokens / g * remoteGroups * 2 * hidden / bandwidth
    }

    /// Time of the 2 L all-reduces of one pass over `tokens` tokens on `devices` tensor-parallel
    /// devices, from link latency (s) and bandwidth (bytes/s); 0 for one device.
    @inline(__always)
    static func allReduceSeconds(latency: Double, bandwidth: Double, devices: Int, hidden: Double, layers: Double, tokens: Double) -> Double {
        guard devices > 1 else { return 0 }
        let k = Double(devices)
        let one = latency + 2 * (k - 1) / k * (tokens * hidden * 2) / bandwidth
        return 2 * layers * one
    }

    private static func setup(_ profile: HardwareProfile, _ w: ServingWorkload) throws(HardwareError) -> (Double, Double) {
        try w.validate()
        guard let peak = profile.peakFLOPS(for: w.precision) else {
            throw .noComputePeak(profile: profile.name, precision: w.precision)
        }
        return (peak, Double(w.devices))
    }
}
