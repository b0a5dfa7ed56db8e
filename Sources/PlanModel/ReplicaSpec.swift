import Hardware
import Numerics

/// One serving replica of a model of N parameters on one serving option: its tensor-parallel
/// degree, batch, throughput, latency and energy per request.
public struct ReplicaSpec: Sendable, Equatable {
    public let option: ServingOption
    /// Devices per replica (tensor-parallel degree unless the two below say otherwise).
    public let devices: Int
    /// Expert-parallel degree of a mixture-of-experts replica (`ServingWorkload.expertParallel`); 1 otherwise.
    public var expertParallel: Int = 1
    /// Data-parallel attention groups of a mixture-of-experts replica
    /// (`ServingWorkload.attentionDataParallel`); 1 otherwise.
    public var attentionDataParallel: Int = 1
    /// Pipeline-parallel stages (`ServingWorkload.pipelineStages`); 1 otherwise.
    public var pipelineStages: Int = 1
    /// Concurrent requests per replica: the mean running batch of continuous batching
    /// (`SteadyStateServing`), or the static batch (fixed utilisation, one output token).
    public let batch: Int
    /// Requests completed per second by one replica.
    public let requestsPerSecond: Double
    /// Device-seconds one request occupies (devices / requests per second).
    public var deviceSecondsPerRequest: Double { Double(devices) / requestsPerSecond }
    /// Price of one replica for one hour (devices x the option's device-hour price), USD.
    public var replicaHourUSD: Double { Double(devices) * option.usdPerDeviceHour }
    /// Energy of serving one request while busy, all devices, PUE included, J.
    public let busyJoulesPerRequest: Double
    /// Time to first token, s.
    public let ttftSeconds: Double
    /// Time per output token, s.
    public let tpotSeconds: Double
    /// Median and 90th-percentile TTFT and TPOT, s (equal to the mean for a static batch,
    /// which has no queue).
    public let ttftP50Seconds: Double, ttftP90Seconds: Double
    public let tpotP50Seconds: Double, tpotP90Seconds: Double
    /// Sequence slots the KV cache holds (continuous batching), or the batch.
    public let slots: Int
    /// The mean running batch of continuous batching, fractional where the capacity limit
    /// binds (`batch` is it rounded, at least 1); the batch for a static batch.
    public let runningBatch: Double
    /// The hardware profile's efficiency factors the replica's times lean on
    /// (`SteadyStateServing.leanedEfficiencyKeys`, `ServingEstimate.leanedEfficiencyKeys`);
    /// empty for fixed fractions of peak, which use none.
    public var leanedEfficiencyKeys: [String] = []

    public init(option: ServingOption, devices: Int, batch: Int, requestsPerSecond: Double, busyJoulesPerRequest: Double, ttftSeconds: Double, tpotSeconds: Double,
                ttftP50Seconds: Double? = nil, ttftP90Seconds: Double? = nil, tpotP50Seconds: Double? = nil, tpotP90Seconds: Double? = nil, slots: Int? = nil,
                runningBatch: Double? = nil) {
        self.option = option
        self.devices = devices
        self.batch = batch
        self.requestsPerSecond = requestsPerSecond
        self.busyJoulesPerRequest = busyJoulesPerRequest
        self.ttftSeconds = ttftSeconds
        self.tpotSeconds = tpotSeconds
        self.ttftP50Seconds = ttftP50Seconds ?? ttftSeconds
        self.ttftP90Seconds = ttftP90Seconds ?? ttftSeconds
        self.tpotP50Seconds = tpotP50Seconds ?? tpotSeconds
        self.tpotP90Seconds = tpotP90Seconds ?? tpotSeconds
        self.slots = slots ?? batch
        self.runningBatch = runningBatch ?? Double(batch)
    }

    /// The replica of a continuous-batching steady state.
    public init(option: ServingOption, steadyState s: SteadyStateServing) {
        self.init(option: option, devices: s.workload.devices, batch: max(1, Int(s.runningBatch.rounded())), requestsPerSecond: s.requestsPerSecond,
                  busyJoulesPerRequest: s.joulesPerRequest, ttftSeconds: s.ttft.mean, tpotSeconds: s.tpot.mean,
                  ttftP50Seconds: s.ttft.p50, ttftP90Seconds: s.ttft.p90, tpotP50Seconds: s.tpot.p50, tpotP90Seconds: s.tpot.p90,
                  slots: s.slots, runningBatch: s.runningBatch)
        expertParallel = s.workload.expertParallel
        attentionDataParallel = s.workload.attentionDataParallel
        pipelineStages = s.workload.pipelineStages
        leanedEfficiencyKeys = s.leanedEfficiencyKeys
    }

    /// Whether the replica uses more than tensor parallelism.
    public var isBeyondTensorParallel: Bool { expertParallel > 1 || attentionDataParallel > 1 || pipelineStages > 1 }

    /// "TP4", "PP2xTP4", "EP8", "EP8+DP8": how the replica's devices are used.
    public var parallelismLabel: String {
        let stage = devices / max(pipelineStages, 1)
        let inner = expertParallel == 1 && attentionDataParallel == 1 ? "TP\(stage)"
            : "EP\(expertParallel)" + (attentionDataParallel > 1 ? "+DP\(attentionDataParallel)" : "")
        return pipelineStages > 1 ? "PP\(pipelineStages)x\(inner)" : inner
    }
}

/// Builds replica specs from the hardware model.
public enum ServingModel {
    /// Largest batch considered per replica.
    public static let maximumBatch = 1024
    /// Largest tensor-parallel degree considered (one 8-device node).
    public static let maximumDevices = 8

    /// The replica serving requests of `prompt` and `output` tokens with a model of `params`
    /// parameters (`shape`, or the derived Llama-family shape): of the tensor-parallel degrees
    /// 1, 2, 4, 8 at which the model fits, each at the largest batch that fits and meets the
    /// SLO, the one with the fewest device-seconds per request (the cheapest). Nil when no
    /// degree meets the SLO even at batch 1.
    ///
    /// With `pipeline` every degree above 1 is also tried as a pipeline (`layouts`), and a mixture-of-experts
    /// shape, planned in active parameters (`params` is N_act, the weights every expert's:
    /// `totalServingParameters`), expert-parallel over all the devices with attention tensor-
    /// and data-parallel (`ServingWorkload.expertParallel`, `attentionDataParallel`); the
    /// cheapest layout wins.
    ///
    /// The batch is the mean running batch of continuous batching in steady state
    /// (`SteadyStateServing`; the SLOs bound the mean TTFT and TPOT). Requests of one output
    /// token have no decode steps to interleave and are served as static batches
    /// (`ServingEstimate`).
    ///
    /// With `outputLengths` (its mean rounded is `output`) the steady state runs on the
    /// distribution of output lengths (`OutputLengths`). With `prefixCacheHitRate` h a prompt
    /// computes P (1 − h) of its tokens (`ServingWorkload.prefixCacheHitRate`; with fixed
    /// utilisations, 2 N P (1 − h) prefill FLOPs). A prefix of `sharedPrefixTokens` every
    /// request shares is held once in each replica's KV cache (`ServingWorkload.sharedPrefixTokens`).
    ///
    /// With `fixedUtilisation` the roofline is replaced by Sardana et al.'s fixed fractions of
    /// peak: a request costs 2 N P / (peak u_prefill) + 2 N O / (peak u_decode) device-seconds
    /// on one device, and the SLO is checked against those times. Request time is defined as
    /// in the roofline, TTFT + (O - 1) TPOT: TTFT is the prompt's prefill plus the first output
    /// token, TPOT one output token.
    public static func replica(
        option: ServingOption, params: Double, shape: ModelShape? = nil, prompt: Int, output: Int, slo: LatencySLO,
        fixedUtilisation: (prefill: Double, decode: Double)?, pue: Double, pipeline: Bool = false,
        outputLengths: OutputLengths? = nil, prefixCacheHitRate: Double = 0, sharedPrefixTokens: Int = 0
    ) -> ReplicaSpec? {
        let profile = option.hardware
        if let u = fixedUtilisation {
            guard let peak = profile.peakFLOPS(for: option.precision) else { return nil }
            let prefill = 2 * params * Double(prompt) * (1 - prefixCacheHitRate) / (peak * u.prefill)
            let decodeToken = 2 * params / (peak * u.decode)
            let seconds = prefill + decodeToken * Double(output)
            let watts = (PowerModel.watts(profile: profile, computeUtilisation: u.prefill) * prefill
                + PowerModel.watts(profile: profile, computeUtilisation: u.decode) * decodeToken * Double(output)) / seconds
            let spec = ReplicaSpec(option: option, devices: 1, batch: 1, requestsPerSecond: 1 / seconds,
                                   busyJoulesPerRequest: watts * seconds * pue, ttftSeconds: prefill + decodeToken, tpotSeconds: decodeToken)
            return meets(slo, spec) ? spec : nil
        }
        guard let shape = shape ?? (try? ModelShape.llama(parameters: params)) else { return nil }
        var base = ServingWorkload(shape: shape, parameters: totalServingParameters(params: params, shape: shape),
                                   precision: option.precision, batch: 1, promptTokens: max(prompt, 1), outputTokens: max(output, 1))
        base.outputLengths = output >= 2 ? outputLengths : nil
        base.prefixCacheHitRate = prefixCacheHitRate
        base.sharedPrefixTokens = sharedPrefixTokens
        let options = ServingOptions(pue: pue)
        guard let smallest = MemoryFit.smallestFittingDevices(profile: profile, workload: base, options: options, maxDevices: maximumDevices)
        else { return nil }
        // Parallelism is a decision: every tensor-parallel degree from the smallest that fits
        // up to one node, each at its largest batch within memory and the SLO; the cheapest
        // per request wins (device-seconds per request, the price per device-hour being the
        // option's), the fewer devices on a tie. More devices per replica buy a shorter TPOT
        // and room for a larger batch, at the cost of all-reduces.
        var best: ReplicaSpec?
        var devices = smallest
        while devices <= maximumDevices {
            var reachedLargestBatch = false
            for (ep, dp, pp) in layouts(shape: shape, devices: devices, pipeline: pipeline) {
                var workload = base
                workload.devices = devices
                workload.expertParallel = ep
                workload.attentionDataParallel = dp
                workload.pipelineStages = pp
                if output >= 2 {
                    guard let search = try? RunningBatchSearch(profile: profile, workload: workload, options: options) else { continue }
                    // Throughput never exceeds the ceiling, so a layout whose devices per request
                    // at the ceiling already lose to the best cannot win.
                    if let best, Double(devices) / search.throughputCeiling >= best.deviceSecondsPerRequest * (1 - 1e-9) { continue }
                    if let running = search.largest(slo: slo, limit: maximumBatch) {
                        // The full steady state (queues, percentiles, energy) only for a degree
                        // that is cheaper than the best so far.
                        let cheaper = best.map { Double(devices) / running.requestsPerSecond < $0.deviceSecondsPerRequest * (1 - 1e-9) } ?? true
                        if cheaper, let s = search.steadyState(runningBatch: running.batch) {
                            let spec = ReplicaSpec(option: option, steadyState: s)
                            if best.map({ spec.deviceSecondsPerRequest < $0.deviceSecondsPerRequest * (1 - 1e-9) }) ?? true { best = spec }
                        }
                        if running.batch >= Double(maximumBatch) { reachedLargestBatch = true }
                    }
                } else if let batch = try? BatchSearch.largestBatch(profile: profile, workload: workload, slo: slo, options: options, limit: maximumBatch) {
                    workload.batch = batch
                    if let e = try? ServingEstimate(profile: profile, workload: workload, options: options) {
                        var spec = ReplicaSpec(
                            option: option, devices: devices, batch: batch, requestsPerSecond: e.requestsPerSecond,
                            busyJoulesPerRequest: (e.prefillJoules + e.decodeJoules) / Double(batch),
                            ttftSeconds: e.ttftSeconds, tpotSeconds: e.tpotSeconds)
                        spec.expertParallel = ep
                        spec.attentionDataParallel = dp
                        spec.leanedEfficiencyKeys = e.leanedEfficiencyKeys
                        if best.map({ spec.deviceSecondsPerRequest < $0.deviceSecondsPerRequest * (1 - 1e-9) }) ?? true { best = spec }
                        // At the same batch more devices never cost less per request: each phase's
                        // roofline work splits over the k devices, so k x its time is that work plus
                        // k x (fixed overhead + all-reduces), which grows with k. A degree that
                        // already reaches the largest batch cannot be beaten by a larger one.
                        if batch >= maximumBatch { reachedLargestBatch = true }
                    }
                }
            }
            if reachedLargestBatch { break }
            devices *= 2
        }
        return best
    }

    /// Serving parameters of a model planned at `params`: N for a dense shape, N_act scaled
    /// to every expert for a mixture of experts (the shape's total over active ratio).
    public static func totalServingParameters(params: Double, shape: ModelShape) -> Double {
        shape.isMixtureOfExperts ? params * shape.parameterCount / shape.activeParameterCount : params
    }

    /// The (expert-parallel, data-parallel attention, pipeline stages) layouts tried at
    /// `devices`: tensor parallelism; with `pipeline`, over 2 or more devices a pipeline of 2
    /// stages (and of one stage per device from 4), tensor-parallel within each; and for a mixture of experts
    /// expert parallelism over all the devices (if there are as many experts), with attention
    /// tensor- or data-parallel.
    static func layouts(shape: ModelShape, devices: Int, pipeline: Bool) -> [(Int, Int, Int)] {
        guard devices > 1 else { return [(1, 1, 1)] }
        var out = [(1, 1, 1)]
        if pipeline {
            for stages in Set([2, devices]).sorted() where stages <= shape.layers && devices % stages == 0 { out.append((1, 1, stages)) }
        }
        if let e = shape.experts, devices <= e.experts { out += [(devices, 1, 1), (devices, devices, 1)] }
        return out
    }

    private static func meets(_ slo: LatencySLO, _ r: ReplicaSpec) -> Bool {
        (slo.ttftSeconds.map { r.ttftSeconds <= $0 } ?? true) && (slo.tpotSeconds.map { r.tpotSeconds <= $0 } ?? true)
    }
}
