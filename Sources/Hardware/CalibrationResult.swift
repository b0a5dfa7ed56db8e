/// The outcome of `Calibration.calibrate`: the calibrated profile and how well the model
/// matches the measurements before and after.
public struct CalibrationResult: Equatable, Sendable {
    /// The profile before and after calibration.
    public let before: HardwareProfile
    public let after: HardwareProfile
    /// Keys of the efficiency factors that were fitted.
    public let fittedKeys: [String]
    /// Keys of the fitted factors that rest on a bound of their range
    /// (`EfficiencyFactors.range(of:)`): the data pushed them out of the plausible range.
    public let keysAtBound: [String]
    /// Every measured value the fit used, with the model's predictions before and after.
    public let comparisons: [Comparison]
    /// Every held-out measured value (`Calibration.calibrate(..., heldOut:)`): predicted
    /// before and after, never fitted on.
    public let heldOut: [Comparison]

    /// One measured value compared with the predictions.
    public struct Comparison: Equatable, Sendable {
        public let label: String
        public let quantity: MeasuredQuantity
        public let measured: Double
        public let before: Double
        public let after: Double
        /// The data set the row belongs to: its label up to the last ':' (the file name).
        public var dataSet: String {
            guard let colon = label.lastIndex(of: ":") else { return label }
            return String(label[..<colon])
        }
        /// |predicted − measured| / measured, before and after.
        public var relativeErrorBefore: Double { abs(before - measured) / abs(measured) }
        public var relativeErrorAfter: Double { abs(after - measured) / abs(measured) }
    }

    /// Mean absolute relative error of one quantity over the fitted rows, before and after;
    /// nil when not measured.
    public func meanRelativeError(_ q: MeasuredQuantity) -> (before: Double, after: Double, rows: Int)? {
        ErrorSummary(comparisons.filter { $0.quantity == q }).map { ($0.meanBefore, $0.meanAfter, $0.rows) }
    }

    /// Relative errors of a group of comparisons (rows measuring 0 are left out).
    public struct ErrorSummary: Equatable, Sendable {
        public let rows: Int
        public let meanBefore: Double, meanAfter: Double
        public let medianBefore: Double, medianAfter: Double
        public let maxBefore: Double, maxAfter: Double

        public init?(_ comparisons: [Comparison]) {
            let used = comparisons.filter { $0.measured != 0 }
            guard !used.isEmpty else { return nil }
            let before = used.map(\.relativeErrorBefore).sorted(), after = used.map(\.relativeErrorAfter).sorted()
            func median(_ v: [Double]) -> Double { v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2 }
            rows = used.count
            meanBefore = before.reduce(0, +) / Double(rows)
            meanAfter = after.reduce(0, +) / Double(rows)
            medianBefore = median(before)
            medianAfter = median(after)
            maxBefore = before.last!
            maxAfter = after.last!
        }
    }

    /// Errors by data set and quantity, fitted rows first, then held-out ones; in order of
    /// first appearance.
    public var errorsByDataSet: [(dataSet: String, quantity: MeasuredQuantity, heldOut: Bool, summary: ErrorSummary)] {
        var out: [(String, MeasuredQuantity, Bool, ErrorSummary)] = []
        for (held, group) in [(false, comparisons), (true, heldOut)] {
            var sets: [String] = []
            for c in group where !sets.contains(c.dataSet) { sets.append(c.dataSet) }
            for set in sets {
                for q in MeasuredQuantity.allCases {
                    if let s = ErrorSummary(group.filter { $0.dataSet == set && $0.quantity == q }) { out.append((set, q, held, s)) }
                }
            }
        }
        return out
    }

    init(before: HardwareProfile, after: HardwareProfile, measurements: [ServingMeasurement],
         heldOut: [ServingMeasurement] = [], fittedKeys: [String], keysAtBound: [String] = []) throws(HardwareError) {
        self.before = before
        self.after = after
        self.fittedKeys = fittedKeys
        self.keysAtBound = keysAtBound
        comparisons = try Self.compare(measurements, before, after)
        self.heldOut = try Self.compare(heldOut, before, after)
    }

    private static func compare(_ measurements: [ServingMeasurement], _ before: HardwareProfile,
                                _ after: HardwareProfile) throws(HardwareError) -> [Comparison] {
        var out: [Comparison] = []
        // A row is predicted by the model of how it batched: a static batch, a closed loop or
        // an open one.
        func predict(_ q: MeasuredQuantity, _ p: HardwareProfile, _ m: ServingMeasurement) throws(HardwareError) -> Double {
            switch m.batching {
            case .static: q.predicted(by: try ServingEstimate(profile: p, workload: m.workload))
            case .closedLoop: q.predicted(by: try ClosedLoopServing(profile: p, workload: m.workload))
            case .openLoop: q.predicted(by: try Calibration.openLoop(p, m))
            }
        }
        for m in measurements {
            // Power and energy are predicted at the row's measured times where it has any (the
            // power model alone, as `Calibration` fits it), at the model's times otherwise.
            let timed = (m.ttftSeconds != nil || m.tpotSeconds != nil) && (m.powerWatts != nil || m.joulesPerToken != nil)
            let pb = timed ? try Calibration.powerAtMeasuredTimes(before, m) : nil
            let pa = timed ? try Calibration.powerAtMeasuredTimes(after, m) : nil
            for (q, v) in m.measured {
                let (b, a): (Double, Double) = switch (q, pb, pa) {
                case (.power, let pb?, let pa?): (pb.watts, pa.watts)
                case (.joulesPerToken, let pb?, let pa?): (pb.joulesPerToken, pa.joulesPerToken)
                default: (try predict(q, before, m), try predict(q, after, m))
                }
                out.append(Comparison(label: m.label, quantity: q, measured: v, before: b, after: a))
            }
        }
        return out
    }
}
