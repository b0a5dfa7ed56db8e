import LinearAlgebra

/// Fits a profile's efficiency and power factors to measurements by least squares
/// (LAPACK `dgels` through `Matrix.leastSquares`).
///
/// Time: for each phase, a row's time is `x_b · bytes/BW` (memory bound) or `x_c · FLOPs/peak`
/// (compute bound) plus communication plus a fixed overhead `o`; this is linear in
/// x_b = 1/ηb, x_c = 1/ηc and o once each row's bound is fixed, so rows are classified with
/// the current factors, the linear problem is solved (rows weighted by 1 / measured time, so
/// relative errors are minimised), and this repeats until the classification is stable.
/// The overhead is fitted only with at least two more rows than other unknowns and is
/// dropped if it comes out negative. Power: the mean device power is
/// `idle + (TDP − idle) k ū` with ū the time-weighted utilisation, linear in the power factor
/// k, which is fitted (shared by both phases) from `powerWatts` or `joulesPerToken` rows.
/// Fitted efficiencies are clamped to [0.001, 1].
public enum Calibration {
    /// Calibrates `profile` on `measurements`; `source` names the data in the new figures'
    /// sources. `heldOut` rows are predicted before and after but never fitted on (the honest
    /// split: fit on some data sets, report the error on others).
    ///
    /// - Throws: `HardwareError.calibration` with no measurements or a rank-deficient fit, and
    ///   what `ServingEstimate` throws for an invalid row.
    public static func calibrate(profile: HardwareProfile, measurements: [ServingMeasurement], heldOut: [ServingMeasurement] = [],
                                 source: String) throws(HardwareError) -> CalibrationResult {
        guard !measurements.isEmpty else { throw .calibration("there are no measurement rows") }
        var p = profile
        var fitted: [String] = []
        let decodeRows = measurements.filter { $0.tpotSeconds != nil }
        if !decodeRows.isEmpty {
            fitted += try fitTimes(&p, rows: decodeRows, phase: .decode, source: source)
        }
        let prefillRows = measurements.filter { $0.ttftSeconds != nil }
        if !prefillRows.isEmpty {
            fitted += try fitTimes(&p, rows: prefillRows, phase: .prefill, source: source)
        }
        let powerRows = measurements.filter { $0.powerWatts != nil || $0.joulesPerToken != nil }
        if !powerRows.isEmpty {
            fitted += try fitPower(&p, rows: powerRows, source: source)
        }
        return try CalibrationResult(before: profile, after: p, measurements: measurements, heldOut: heldOut, fittedKeys: fitted)
    }

    enum Phase { case prefill, decode }

    private static func cost(_ p: HardwareProfile, _ m: ServingMeasurement, _ phase: Phase) throws(HardwareError) -> PhaseCost {
        switch phase {
        case .prefill: try Roofline.prefill(profile: p, workload: m.workload)
        case .decode: try Roofline.decodeStep(profile: p, workload: m.workload)
        }
    }

    private static func fitTimes(_ p: inout HardwareProfile, rows: [ServingMeasurement], phase: Phase,
                                 source: String) throws(HardwareError) -> [String] {
        let names = phase == .decode
            ? (bw: "decode_bandwidth", compute: "decode_compute", overhead: "decode_overhead_ms")
            : (bw: "prefill_bandwidth", compute: "prefill_compute", overhead: "prefill_overhead_ms")
        var previous: [Bound] = []
        var keys: [String] = []
        for _ in 0..<10 {
            let costs = try rows.map { (m) throws(HardwareError) in try cost(p, m, phase) }
            let bounds = costs.map(\.bound)
            if bounds == previous { break }
            previous = bounds
            let measured = rows.map { (phase == .decode ? $0.tpotSeconds : $0.ttftSeconds) ?? 0 }
            var columns: [(key: String, values: [Double])] = []
            let mem = zip(costs, bounds).map { $1 == .memory ? $0.bytes / $0.bandwidth : 0 }
            let comp = zip(costs, bounds).map { $1 == .compute ? $0.flops / $0.peakFLOPS : 0 }
            if mem.contains(where: { $0 > 0 }) { columns.append((names.bw, mem)) }
            if comp.contains(where: { $0 > 0 }) { columns.append((names.compute, comp)) }
            let withOverhead = rows.count >= columns.count + 3
            if withOverhead { columns.append((names.overhead, Array(repeating: 1, count: rows.count))) }
            let target = zip(measured, costs).map { $0 - $1.communicationSeconds }
            var x = try solve(columns.map(\.values), target, weights: measured)
            if withOverhead, let last = x.last, last < 0 {
                columns.removeLast()
                x = try solve(columns.map(\.values), target, weights: measured)
            }
            if !withOverhead || columns.last?.key != names.overhead {
                p.efficiency.set(names.overhead, SourcedValue(0, source: "calibrate: \(source) (overhead not fitted: too few rows or negative)"))
            }
            keys = columns.map(\.key)
            for (column, value) in zip(columns, x) {
                let fittedValue: Double
                let range = EfficiencyFactors.range(of: column.key)
                if column.key == names.overhead {
                    fittedValue = min(range.upperBound, value * 1000)
                } else {
                    guard value > 0 else { throw .calibration("the fitted \(column.key) is not positive (1/efficiency = \(value))") }
                    fittedValue = min(range.upperBound, max(range.lowerBound, 1 / value))
                }
                p.efficiency.set(column.key, SourcedValue(fittedValue, source: "calibrate: least squares on \(rows.count) rows of \(source)"))
            }
        }
        return keys
    }

    private static func fitPower(_ p: inout HardwareProfile, rows: [ServingMeasurement], source: String) throws(HardwareError) -> [String] {
        let idle = p.idleW.value, span = p.tdpW.value - p.idleW.value
        guard span > 0 else { throw .calibration("the profile's TDP is not above its idle power") }
        var u: [Double] = [], y: [Double] = []
        for m in rows {
            let e = try ServingEstimate(profile: p, workload: m.workload)
            let tPre = m.ttftSeconds ?? e.ttftSeconds
            let tDec = m.tpotSeconds ?? e.tpotSeconds
            let steps = e.decodeSteps
            let cycle = tPre + steps * tDec
            func util(_ c: PhaseCost, _ t: Double) -> Double { min(1, max(c.flops / (t * c.peakFLOPS), c.bytes / (t * c.bandwidth))) }
            let mean = (util(e.prefill, tPre) * tPre + util(e.decode, tDec) * steps * tDec) / cycle
            let watts = m.powerWatts
                ?? m.joulesPerToken.map { $0 * e.outputTokensPerCycle / (Double(m.workload.devices) * cycle) } ?? idle
            u.append(mean)
            y.append((watts - idle) / span)
        }
        let k = try solve([u], y, weights: nil)[0]
        guard k > 0 else { throw .calibration("the fitted power factor is not positive (\(k)); is the idle power too high?") }
        let value = SourcedValue(k, source: "calibrate: least squares on \(rows.count) power rows of \(source)")
        p.efficiency.prefillPowerFactor = value
        p.efficiency.decodePowerFactor = value
        return ["prefill_power_factor", "decode_power_factor"]
    }

    /// Least squares on columns, each row scaled by 1 / weight when weights are given.
    private static func solve(_ columns: [[Double]], _ target: [Double], weights: [Double]?) throws(HardwareError) -> [Double] {
        let n = target.count
        guard !columns.isEmpty, n >= columns.count else {
            throw .calibration("\(n) rows cannot determine \(columns.count) factors")
        }
        var a = Matrix(rows: n, columns: columns.count)
        var b = target
        for i in 0..<n {
            let s = weights.map { 1 / $0[i] } ?? 1
            for (j, column) in columns.enumerated() { a[i, j] = column[i] * s }
            b[i] *= s
        }
        do {
            return try a.leastSquares(b)
        } catch {
            throw .calibration("the least-squares problem has no unique solution (\(error))")
        }
    }
}
