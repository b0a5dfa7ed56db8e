/// Latency targets for serving.
public struct LatencySLO: Equatable, Sendable {
    /// The targets scenarios and `estimate` accept, ms: from a microsecond (a TPOT target of
    /// 5e-324 ms is 0 s, which no search can bracket) to about eleven days.
    public static let acceptedRangeMS = 0.001...1e9

    /// Largest acceptable time to first token, s; nil for none.
    public var ttftSeconds: Double?
    /// Largest acceptable time per output token, s; nil for none.
    public var tpotSeconds: Double?

    public init(ttftSeconds: Double? = nil, tpotSeconds: Double? = nil) {
        self.ttftSeconds = ttftSeconds
        self.tpotSeconds = tpotSeconds
    }

    /// Whether an estimate meets both targets.
    public func isMet(by e: ServingEstimate) -> Bool {
        (ttftSeconds.map { e.ttftSeconds <= $0 } ?? true) && (tpotSeconds.map { e.tpotSeconds <= $0 } ?? true)
    }
}

public enum BatchSearch {
    /// The largest batch in 1...`limit` that fits in memory and meets `slo`, by bisection
    /// (memory, TTFT and TPOT all grow with the batch); nil when batch 1 already fails.
    ///
    /// - Throws: what `ServingEstimate.init` throws for the workload at batch 1 (an invalid
    ///   workload or options, a precision the profile cannot run).
    public static func largestBatch(profile: HardwareProfile, workload: ServingWorkload, slo: LatencySLO = LatencySLO(),
                                    options: ServingOptions = ServingOptions(), limit: Int = 1 << 20) throws(HardwareError) -> Int? {
        // Each probe checks what can fail, cheapest first: memory, then the phases an SLO
        // bounds (the same formulas `ServingEstimate` uses, without its power model).
        func ok(_ b: Int) throws(HardwareError) -> Bool {
            var w = workload
            w.batch = b
            guard MemoryFit(profile: profile, workload: w, options: options).fits else { return false }
            if let t = slo.ttftSeconds, try Roofline.prefill(profile: profile, workload: w).seconds > t { return false }
            if let t = slo.tpotSeconds, try Roofline.decodeStep(profile: profile, workload: w).seconds > t { return false }
            return true
        }
        // What ServingEstimate would refuse (Roofline validates the workload and the precision).
        try options.validate()
        _ = try Roofline.decodeStep(profile: profile, workload: workload)
        guard try ok(1) else { return nil }
        // Memory caps the batch: the KV cache left beside the weights at batch 1 holds at most
        // this many full-context sequences (activations only grow with the batch), over every
        // attention group.
        let memoryCap = MemoryFit(profile: profile, workload: workload, options: options).maxFullContextSequences
        var lo = 1, hi = max(1, min(limit, memoryCap + 1))
        if try ok(hi) { return hi }
        // Invariant: ok(lo) and !ok(hi). Integer bisection written out: handing `ok` to
        // Bisection as a closure made every probe copy the profile (5x the retains, +15% on a
        // whole evaluate), and this loop is the planner's innermost.
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if try ok(mid) { lo = mid } else { hi = mid }
        }
        return lo
    }
}
