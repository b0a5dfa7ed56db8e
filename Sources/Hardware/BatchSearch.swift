/// Latency targets for serving.
public struct LatencySLO: Equatable, Sendable {
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
    /// - Throws: what `ServingEstimate.init` throws for the workload at batch 1.
    public static func largestBatch(profile: HardwareProfile, workload: ServingWorkload, slo: LatencySLO = LatencySLO(),
                                    options: ServingOptions = ServingOptions(), limit: Int = 1 << 20) throws(HardwareError) -> Int? {
        func ok(_ b: Int) throws(HardwareError) -> Bool {
            var w = workload
            w.batch = b
            let e = try ServingEstimate(profile: profile, workload: w, options: options)
            return e.memory.fits && slo.isMet(by: e)
        }
        guard try ok(1) else { return nil }
        var lo = 1, hi = max(1, limit)
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
