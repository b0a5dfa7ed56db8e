/// The outcome of `Calibration.calibrate`: the calibrated profile and how well the model
/// matches the measurements before and after.
public struct CalibrationResult: Equatable, Sendable {
    /// The profile before and after calibration.
    public let before: HardwareProfile
    public let after: HardwareProfile
    /// Keys of the efficiency factors that were fitted.
    public let fittedKeys: [String]
    /// Every measured value with the model's predictions before and after.
    public let comparisons: [Comparison]

    /// One measured value compared with the predictions.
    public struct Comparison: Equatable, Sendable {
        public let label: String
        public let quantity: MeasuredQuantity
        public let measured: Double
        public let before: Double
        public let after: Double
        /// |predicted − measured| / measured, before and after.
        public var relativeErrorBefore: Double { abs(before - measured) / abs(measured) }
        public var relativeErrorAfter: Double { abs(after - measured) / abs(measured) }
    }

    /// Mean absolute relative error of one quantity, before and after; nil when not measured.
    public func meanRelativeError(_ q: MeasuredQuantity) -> (before: Double, after: Double, rows: Int)? {
        let rows = comparisons.filter { $0.quantity == q && $0.measured != 0 }
        guard !rows.isEmpty else { return nil }
        let n = Double(rows.count)
        return (rows.reduce(0) { $0 + $1.relativeErrorBefore } / n, rows.reduce(0) { $0 + $1.relativeErrorAfter } / n, rows.count)
    }

    init(before: HardwareProfile, after: HardwareProfile, measurements: [ServingMeasurement], fittedKeys: [String]) throws(HardwareError) {
        self.before = before
        self.after = after
        self.fittedKeys = fittedKeys
        var out: [Comparison] = []
        for m in measurements {
            let eb = try ServingEstimate(profile: before, workload: m.workload)
            let ea = try ServingEstimate(profile: after, workload: m.workload)
            for (q, v) in m.measured {
                out.append(Comparison(label: m.label, quantity: q, measured: v, before: q.predicted(by: eb), after: q.predicted(by: ea)))
            }
        }
        comparisons = out
    }
}
