import Foundation

/// The search for a replica's largest mean running batch under an SLO, prepared once per
/// replica (its sequence slots, its step-time model and its capacity), so that a caller
/// comparing layouts can read the throughput ceiling before paying for the search.
public struct RunningBatchSearch: Sendable {
    public let workload: ServingWorkload
    public let limits: SchedulerLimits
    /// Sequence slots at the mean context (`SteadyStateServing.slots`).
    public let slots: Int
    /// The most requests per second `largest` can return, 1/s: `limits.maxEngineUtilisation`
    /// of the replica's capacity (throughput at the most sequences the slots and the prefill
    /// budget allow). A replica whose devices per request at the ceiling already lose to
    /// another's cannot win on cost.
    public var throughputCeiling: Double { limits.maxEngineUtilisation * capacity }
    private let model: Roofline.MixedStep
    private let options: ServingOptions
    /// Requests per second at the most sequences the slots and the prefill budget allow.
    private let capacity: Double

    /// Nil when the weights, one step's activations and one sequence at its full context do
    /// not fit.
    ///
    /// - Throws: `HardwareError` for an invalid workload, options or limits (as
    ///   `SteadyStateServing.init`), or a precision the profile cannot run.
    public init?(profile: HardwareProfile, workload: ServingWorkload, options: ServingOptions = ServingOptions(),
                 limits: SchedulerLimits = SchedulerLimits()) throws(HardwareError) {
        let (slots, longestFits) = SteadyStateServing.slots(profile: profile, workload: workload, options: options, limits: limits)
        guard longestFits, slots >= 1 else { return nil }
        try SteadyStateServing.validate(workload, options, limits)
        self.workload = workload
        self.limits = limits
        self.slots = slots
        self.options = options
        model = try Roofline.MixedStep(profile: profile, workload: workload)
        capacity = SteadyStateServing.capacity(step: model, workload: workload, slots: slots)
    }

    /// The full steady state at a running batch `n` (the one `largest` returns, typically):
    /// `SteadyStateServing(profile:workload:options:limits:runningBatch:)` for this search's
    /// profile, workload, options and limits, without computing the slots, the step model
    /// and the capacity again. Nil for a running batch that is not positive and finite.
    public func steadyState(runningBatch n: Double) -> SteadyStateServing? {
        guard n > 0, n.isFinite else { return nil }
        return SteadyStateServing(workload: workload, options: options, limits: limits, runningBatch: n, slots: slots, fits: true,
                                  model: model, capacity: capacity)
    }

    /// The largest mean running batch at which the queues are stable, the mean TTFT and TPOT
    /// meet `slo` and throughput stays within `limits.maxEngineUtilisation` of capacity; nil
    /// when a running batch of 1 already misses the SLO or the queues. The batch is an
    /// integer in 1...`limit` found by bisection (every figure grows with it) unless the
    /// capacity limit binds: then it is the fractional batch at which throughput is exactly
    /// that share of capacity (regula falsi to 1e-12), so that a replica's throughput never
    /// rises as the model grows (capacity falls with it), which the planner's branch and bound
    /// relies on. Returned with its requests per second (`requestsPerSecond` of the steady
    /// state there).
    public func largest(slo: LatencySLO, limit: Int = 1024) -> (batch: Double, requestsPerSecond: Double)? {
        let u = limits.maxUtilisation, slots = self.slots, workload = self.workload, model = self.model
        // Each probe computes what `SteadyStateServing.init` does, only as far as needed: the
        // queues' loads, the step moments and TPOT, and the waits only under a TTFT SLO
        // (Erlang's formula costs a pass over the slots).
        func ok(_ b: Int) -> Bool {
            guard b <= slots, b < workload.prefillChunkTokens else { return false }
            // The queue loads first: they need no step time.
            let load = SteadyStateServing.Figures.loads(workload: workload, running: Double(b))
            guard load.prefillUtilisation <= u, load.slotLoad / Double(slots) <= u else { return false }
            // The mean step is at least the step with no prompt in it (a step's time grows with
            // its prefill tokens); the margin keeps rounding in the mean from mattering.
            if let target = slo.tpotSeconds, model.seconds(decodeSequences: Double(b), prefillTokens: 0) * (1 - 1e-9) > target { return false }
            let f = SteadyStateServing.Figures(step: model, workload: workload, running: Double(b), quantiles: false)
            if let target = slo.tpotSeconds, f.meanStep > target { return false }
            guard let target = slo.ttftSeconds else { return true }
            let fixed = f.prefillWait + f.residual + f.prefill
            // The slot wait is at most service (1 + c_s²) / (2 (s − a)) (Erlang's C at most 1).
            let scv = f.serviceSCV(workload)
            if fixed + f.service * (1 + scv) / (2 * (Double(slots) - f.slotLoad)) <= target { return true }
            return Queueing.generalServiceWait(servers: slots, load: f.slotLoad, service: f.service, serviceSCV: scv) + fixed <= target
        }
        guard ok(1) else { return nil }
        var lo = 1, hi = max(1, min(limit, slots))
        if ok(hi) {
            lo = hi
        } else {
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2
                if ok(mid) { lo = mid } else { hi = mid }
            }
        }
        // The capacity limit, on a continuous batch (throughput grows with it).
        let target = throughputCeiling
        func lambda(_ n: Double) -> Double { SteadyStateServing.Figures(step: model, workload: workload, running: n, quantiles: false).lambda }
        let atLo = lambda(Double(lo))
        guard atLo > target else { return (Double(lo), atLo) }
        // The root of λ(n) = target in (0, lo] by the Illinois variant of regula falsi
        // (throughput is smooth, concave and near-linear in the batch), keeping the feasible end.
        var a = 0.0, b = Double(lo), lambdaA = 0.0
        var fa = -target, fb = atLo - target
        var side = 0
        for _ in 0..<100 where b - a > 1e-12 * b {
            let c = (a * fb - b * fa) / (fb - fa)
            guard c > a, c < b else { break }
            let lambdaC = lambda(c)
            let fc = lambdaC - target
            if fc <= 0 {
                a = c; fa = fc; lambdaA = lambdaC
                if side == -1 { fb /= 2 }
                side = -1
            } else {
                b = c; fb = fc
                if side == 1 { fa /= 2 }
                side = 1
            }
        }
        return (a, lambdaA)
    }
}
