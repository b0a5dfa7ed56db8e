import PlanModel

/// Loss intervals for plans: the 5%-95% bands the planner puts on every plan when the law has
/// bootstrap samples (`PlanMetrics.lossLow`/`lossHigh`, see `LossUncertainty`), so plots and
/// the JSON show the same numbers.
public enum LossBands {
    /// Each plan's band; nil when no plan has one.
    public static func of(_ plans: [PlanMetrics]) -> [ClosedRange<Double>?]? {
        let bands = plans.map { p in p.lossLow.flatMap { lo in p.lossHigh.map { hi in lo...max(lo, hi) } } }
        return bands.contains { $0 != nil } ? bands : nil
    }
}
