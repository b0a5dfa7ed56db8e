/// Something about an answer that deserves a second look: the answer stands, but one of the
/// models it rests on is being used where it is weak (a law extrapolated, data repeated, an
/// SLO met with little to spare).
///
/// Every outcome value (plan, downscale, fit, law answer, pilot design, estimate) carries its
/// warnings, and every output format shows them: JSON and YAML as a top-level `warnings` list
/// of `{code, message, subject}`, tables as `warning:` lines, the HTML report as a list.
public struct Warning: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A stable, documented code (docs/OUTPUTS.md); scripts may match on it.
    public let code: Code
    /// One sentence for people, with the numbers that triggered it.
    public let message: String
    /// What the warning is about ("recommended plan", "frontier point 3", "fit"), or nil for
    /// the answer as a whole.
    public let subject: String?

    public init(_ code: Code, _ message: String, subject: String? = nil) {
        self.code = code
        self.message = message
        self.subject = subject
    }

    public var description: String {
        subject.map { "\($0): \(message)" } ?? message
    }

    /// The warning codes. New codes are added here, and documented in docs/OUTPUTS.md.
    public struct Code: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
        public static func < (a: Code, b: Code) -> Bool { a.rawValue < b.rawValue }

        /// The model size or tokens lie outside the range the law was fitted on.
        public static let extrapolation = Code(rawValue: "extrapolation")
        /// Training tokens exceed the unique tokens available: data is repeated.
        public static let dataRepeated = Code(rawValue: "data_repeated")
        /// No unique-token limit is given and training needs more tokens than the default data
        /// stock (`DataStock`): the plan assumes text that may not exist.
        public static let dataStockExceeded = Code(rawValue: "data_stock_exceeded")
        /// A plan sits on the edge of the search range (model size or tokens per parameter)
        /// rather than on a constraint: a plan beyond it may be better.
        public static let searchBound = Code(rawValue: "search_bound")
        /// Interactive serving without a time-to-first-token SLO: nothing stops the planner
        /// from batching until the first token takes seconds.
        public static let ttftUnbounded = Code(rawValue: "ttft_unbounded")
        /// Inference is counted in FLOPs only (a token total without a request shape): serving
        /// cost, energy and latency are not computed.
        public static let servingNotModelled = Code(rawValue: "serving_not_modelled")
        /// Training takes longer than any published large run.
        public static let longTraining = Code(rawValue: "long_training")
        /// Serving below bf16 costs the plan a noticeable part of its loss.
        public static let quantizationDegradation = Code(rawValue: "quantization_degradation")
        /// The serving options' prices come from different pricing bases (providers, dates),
        /// so the choice between accelerators partly reflects who sells them.
        public static let mixedPriceBasis = Code(rawValue: "mixed_price_basis")
        /// The fleet swaps capacity between serving options from month to month (one option's
        /// replicas fall while another's rise) with no price on changes: the on-demand optimum
        /// trades near-ties that no operator would buy.
        public static let fleetChurn = Code(rawValue: "fleet_churn")
        /// The fleet MILP stopped at its time limit before proving the fleet the cheapest: the
        /// fleet serves every month's peak, but a cheaper one may exist.
        public static let fleetNotProved = Code(rawValue: "fleet_not_proved")
        /// A latency SLO is met with less than 10% to spare.
        public static let sloBarelyMet = Code(rawValue: "slo_barely_met")
        /// The runs a law was fitted to vary too little to identify it (too few sizes or token counts).
        public static let weakFit = Code(rawValue: "weak_fit")
        /// Rows of the input were skipped (`fit --skip-incomplete`): the answer rests on fewer runs.
        public static let incompleteRows = Code(rawValue: "incomplete_rows")
        /// The model, its KV cache and activations need more memory than the devices have.
        public static let memoryExceeded = Code(rawValue: "memory_exceeded")
        /// The continuous-batching steady state at the asked running batch lies outside what
        /// the model vouches for: more sequences than the KV slots, unstable queues, or
        /// throughput beyond 80% of capacity, where its figures are optimistic.
        public static let steadyStateLimit = Code(rawValue: "steady_state_limit")
        /// A serving figure leans on an efficiency the hardware profile does not state (the
        /// generic default, an estimate), not on one fitted to measurements of the accelerator.
        public static let defaultEfficiency = Code(rawValue: "default_efficiency")
        /// A prefix-cache hit rate is given: the serving figures take it as stated, with no
        /// memory saved by blocks shared between sequences and no measurement to calibrate it.
        public static let prefixCacheAssumed = Code(rawValue: "prefix_cache_assumed")
        /// `select`: a candidate's law predicts its held-out sizes no better than a flat or a
        /// log-linear baseline, so it shows no scaling trend in the range of its runs.
        public static let noScalingTrend = Code(rawValue: "no_scaling_trend")
        /// `select`: a candidate has too few sizes to leave one out, so its trend is untested.
        public static let trendUntested = Code(rawValue: "trend_untested")
        /// `select`: the leader's interval at the target overlaps another candidate's.
        public static let selectionUndecided = Code(rawValue: "selection_undecided")
        /// `select`: runs far from their candidate's law (likely training problems) were left out.
        public static let flaggedRuns = Code(rawValue: "flagged_runs")
        /// `select`: many runs lie far from their candidate's law: the law fits it badly.
        public static let lawMisfit = Code(rawValue: "law_misfit")
        /// `select`: a run still in training is behind what its law predicts.
        public static let partialRunBehind = Code(rawValue: "partial_run_behind")
        /// `select`: partial runs could not be compared with the law.
        public static let partialRunUnchecked = Code(rawValue: "partial_run_unchecked")
        /// `select`: the target lies far beyond the runs (more than 100x the largest size).
        public static let farExtrapolation = Code(rawValue: "far_extrapolation")
    }
}

extension Array where Element == Warning {
    /// The warnings in first-seen order with repeats (same code, message and subject) removed.
    public func deduplicated() -> [Warning] {
        var seen = Set<Warning>()
        return filter { seen.insert($0).inserted }
    }
}
