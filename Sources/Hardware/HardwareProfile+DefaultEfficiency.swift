import Diagnostics

extension HardwareProfile {
    /// The `default_efficiency` warning for figures whose time leans on the efficiency factors
    /// `keys` (`EfficiencyFactors.timeKeys`), or nil when the profile states every one of them.
    ///
    /// A factor the profile leaves out is `EfficiencyFactors.defaults`: an estimate for
    /// datacenter GPUs in general, not a fit to this accelerator. Where a measured check exists
    /// it can be far off (BENCHMARKS.md: the B200, at the defaults, comes out about 30% too fast
    /// against the ML.ENERGY runs), so the figures are marked as resting on it. The message also
    /// names a per-step decode overhead left at its default of 0, which makes small models' steps
    /// too short. The subject is `subject`, or the profile's name.
    public func defaultEfficiencyWarning(leaningOn keys: some Sequence<String>, subject: String? = nil) -> Warning? {
        let defaulted = Set(efficiency.defaultedKeys)
        let wanted = Set(keys)
        let named = efficiency.figures.filter { defaulted.contains($0.key) && wanted.contains($0.key) }
        guard !named.isEmpty else { return nil }
        let factors = named.map { "\($0.key) \(NumberText.short($0.figure.value))" }
        let list = factors.count == 1 ? factors[0] : factors.dropLast().joined(separator: ", ") + " and " + factors[factors.count - 1]
        let overhead = defaulted.contains("decode_overhead_ms")
            ? " (and no per-step decode overhead, which makes small models' steps too short)" : ""
        return Warning(.defaultEfficiency,
                       "The \(name) figures lean on efficiencies its profile does not state: \(list) of peak, scaleplan's generic estimates rather than fits to measurements of this accelerator\(overhead); calibrate the profile (scaleplan calibrate) or state them in it.",
                       subject: subject ?? name)
    }
}

extension ServingEstimate {
    /// The efficiency factors the estimate's times lean on: its prefill's and, with decode
    /// steps (two or more output tokens), its decode step's, each at its bound.
    public var leanedEfficiencyKeys: [String] {
        EfficiencyFactors.timeKeys(.prefill, bound: prefill.bound)
            + (workload.outputTokens >= 2 ? EfficiencyFactors.timeKeys(.decode, bound: decode.bound) : [])
    }
}

extension SteadyStateServing {
    /// The efficiency factors the steady state's times lean on: its mean engine step's, at its
    /// bound (`EfficiencyFactors.timeKeys(.mixed, ...)`).
    public var leanedEfficiencyKeys: [String] { EfficiencyFactors.timeKeys(.mixed, bound: step.bound) }
}
