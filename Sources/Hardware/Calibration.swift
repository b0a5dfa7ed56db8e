import LinearAlgebra

/// Fits a profile's efficiency and power factors to measurements by least squares
/// (LAPACK `dgels`, through `Matrix.boundedLeastSquares`).
///
/// Time: for each phase, a row's time is `x_b · bytes/BW` (memory bound) or `x_c · FLOPs/peak`
/// (compute bound) plus communication plus a fixed overhead `o`; this is linear in
/// x_b = 1/ηb, x_c = 1/ηc and o once each row's bound is fixed, so rows are classified with
/// the current factors, the linear problem is solved (rows weighted by 1 / measured time, so
/// relative errors are minimised), and this repeats until the classification is stable.
/// The least squares is bounded to each factor's range (efficiencies in [0.001, 1], so
/// x ∈ [1, 1000]; overheads in [0, 10 s]) and solved exactly; a factor resting on a bound is
/// reported (`CalibrationResult.keysAtBound`) and its source says so. A roofline factor is
/// fitted only where at least two rows bind on it, and the overhead only with at least two
/// more rows than other unknowns; a factor not fitted keeps the profile's value.
/// Power: the mean device power is `idle + (TDP − idle)(k_c ū_c + k_b ū_b)` with ū_c and ū_b
/// the compute and bandwidth utilisations over the measured request cycle, linear in the
/// power factors, which are fitted from `powerWatts` or `joulesPerToken` rows (`fitPower`).
public enum Calibration {
    /// Calibrates `profile` on `measurements`; `source` names the data in the new figures'
    /// sources. `heldOut` rows are predicted before and after but never fitted on (the honest
    /// split: fit on some data sets, report the error on others).
    ///
    /// `scope` limits the fit to the time factors or to the power factors (a power data set
    /// whose latencies should not move the efficiencies); every measured quantity is still
    /// reported before and after.
    ///
    /// - Throws: `HardwareError.calibration` with no measurements or a rank-deficient fit, and
    ///   what `ServingEstimate` throws for an invalid row.
    public static func calibrate(profile: HardwareProfile, measurements: [ServingMeasurement], heldOut: [ServingMeasurement] = [],
                                 source: String, scope: CalibrationScope = .all) throws(HardwareError) -> CalibrationResult {
        guard !measurements.isEmpty else { throw .calibration("there are no measurement rows") }
        var p = profile
        var fitted: [String] = [], atBound: [String] = []
        let decodeRows = scope == .power ? [] : measurements.filter { $0.tpotSeconds != nil }
        if !decodeRows.isEmpty {
            let keys = try fitTimes(&p, rows: decodeRows, phase: .decode, source: source)
            fitted += keys.fitted
            atBound += keys.atBound
        }
        let prefillRows = scope == .power ? [] : measurements.filter { $0.ttftSeconds != nil }
        if !prefillRows.isEmpty {
            let keys = try fitTimes(&p, rows: prefillRows, phase: .prefill, source: source)
            fitted += keys.fitted
            atBound += keys.atBound
        }
        let powerRows = measurements.filter { $0.powerWatts != nil || $0.joulesPerToken != nil }
        if scope != .times && !powerRows.isEmpty {
            let keys = try fitPower(&p, rows: powerRows, source: source)
            fitted += keys.fitted
            atBound += keys.atBound
        }
        return try CalibrationResult(before: profile, after: p, measurements: measurements, heldOut: heldOut, fittedKeys: fitted, keysAtBound: atBound)
    }

    enum Phase { case prefill, decode }
}

/// Which factors `Calibration.calibrate` fits.
public enum CalibrationScope: String, CaseIterable, Sendable {
    /// Efficiencies and overheads from times, power factors from power and energy rows.
    case all
    /// Efficiencies and overheads only.
    case times
    /// Power factors only (times still give each row's request cycle).
    case power
}

extension Calibration {

    private static func cost(_ p: HardwareProfile, _ m: ServingMeasurement, _ phase: Phase) throws(HardwareError) -> PhaseCost {
        switch phase {
        case .prefill: try Roofline.prefill(profile: p, workload: m.workload)
        case .decode: try Roofline.decodeStep(profile: p, workload: m.workload)
        }
    }

    /// What one phase's time fit produced: the keys fitted and those resting on a bound.
    struct FittedKeys {
        var fitted: [String] = []
        var atBound: [String] = []
    }

    /// The profile-file keys of one phase's bandwidth, compute and overhead factors.
    private static func keyNames(_ phase: Phase) -> (bw: String, compute: String, overhead: String) {
        phase == .decode
            ? (bw: "decode_bandwidth", compute: "decode_compute", overhead: "decode_overhead_ms")
            : (bw: "prefill_bandwidth", compute: "prefill_compute", overhead: "prefill_overhead_ms")
    }

    /// Efficiency pairs (bandwidth, compute) the alternating fit starts from besides the
    /// profile's own: which rows are memory or compute bound depends on the factors, and a
    /// single start can settle on a classification a lower residual elsewhere beats.
    static let startingEfficiencies: [(bandwidth: Double, compute: Double)] = [
        (0.3, 0.15), (0.3, 0.3), (0.3, 0.6), (0.6, 0.15), (0.6, 0.3), (0.6, 0.6), (0.9, 0.15), (0.9, 0.3), (0.9, 0.6),
    ]

    /// Fits one phase's factors from every start and keeps the fit with the smallest sum of
    /// squared relative errors of the full (max) roofline model; ties go to the earlier start.
    private static func fitTimes(_ p: inout HardwareProfile, rows: [ServingMeasurement], phase: Phase,
                                 source: String) throws(HardwareError) -> FittedKeys {
        let names = keyNames(phase)
        let measured = rows.map { (phase == .decode ? $0.tpotSeconds : $0.ttftSeconds) ?? 0 }
        func residual(_ q: HardwareProfile) throws(HardwareError) -> Double {
            var sum = 0.0
            for (m, y) in zip(rows, measured) {
                let r = (try cost(q, m, phase).seconds - y) / y
                sum += r * r
            }
            return sum
        }
        var best: (profile: HardwareProfile, keys: FittedKeys, residual: Double)?
        for start in [nil] + startingEfficiencies.map(Optional.some) {
            var q = p
            if let start {
                q.efficiency.set(names.bw, SourcedValue(start.bandwidth, source: "start"))
                q.efficiency.set(names.compute, SourcedValue(start.compute, source: "start"))
            }
            let keys = try alternate(&q, original: p, rows: rows, measured: measured, phase: phase, source: source)
            let r = try residual(q)
            if best == nil || r < best!.residual * (1 - 1e-9) { best = (q, keys, r) }
        }
        p = best!.profile
        return best!.keys
    }

    /// The alternating fit from the classification `p` gives: classify rows, solve the bounded
    /// linear problem with the factors not fitted at `original`'s values, repeat until stable.
    private static func alternate(_ p: inout HardwareProfile, original: HardwareProfile, rows: [ServingMeasurement],
                                  measured: [Double], phase: Phase, source: String) throws(HardwareError) -> FittedKeys {
        let names = keyNames(phase)
        var previous: [Bound] = []
        var keys = FittedKeys()
        let originalCosts = try rows.map { (m) throws(HardwareError) in try cost(original, m, phase) }
        for _ in 0..<10 {
            let costs = try rows.map { (m) throws(HardwareError) in try cost(p, m, phase) }
            let bounds = costs.map(\.bound)
            if bounds == previous { break }
            previous = bounds
            // Each pass starts from the profile's own factors: one fitted in an earlier pass
            // but not in this one keeps the profile's value.
            for key in [names.bw, names.compute, names.overhead] {
                if let figure = original.efficiency.figures.first(where: { $0.key == key })?.figure { p.efficiency.set(key, figure) }
            }
            // A factor is fitted only where at least two rows bind on it; one row cannot tell
            // it from the overhead, so the profile's value is kept.
            var columns: [(key: String, values: [Double])] = []
            let mem = zip(costs, bounds).map { $1 == .memory ? $0.bytes / $0.bandwidth : 0 }
            let comp = zip(costs, bounds).map { $1 == .compute ? $0.flops / $0.peakFLOPS : 0 }
            var fixedSeconds = costs.map(\.communicationSeconds)
            for (key, values, cost) in [(names.bw, mem, { (c: PhaseCost) in c.memorySeconds }),
                                        (names.compute, comp, { (c: PhaseCost) in c.computeSeconds })] {
                if values.filter({ $0 > 0 }).count >= 2 {
                    columns.append((key, values))
                } else {
                    for i in rows.indices where values[i] > 0 { fixedSeconds[i] += cost(originalCosts[i]) }
                }
            }
            let withOverhead = rows.count >= columns.count + 3
            if withOverhead {
                columns.append((names.overhead, Array(repeating: 1, count: rows.count)))
            } else {
                for i in rows.indices { fixedSeconds[i] += originalCosts[i].overheadSeconds }
            }
            guard !columns.isEmpty else { return FittedKeys() }  // p holds original's factors again
            let target = zip(measured, fixedSeconds).map { $0 - $1 }
            // Unknowns: 1/efficiency in [1/max, 1/min] for the roofline terms, seconds for the overhead.
            let lower = columns.map { c in
                c.key == names.overhead ? EfficiencyFactors.range(of: c.key).lowerBound / 1000 : 1 / EfficiencyFactors.range(of: c.key).upperBound
            }
            let upper = columns.map { c in
                c.key == names.overhead ? EfficiencyFactors.range(of: c.key).upperBound / 1000 : 1 / EfficiencyFactors.range(of: c.key).lowerBound
            }
            let solution = try solveBounded(columns.map(\.values), target, weights: measured, lower: lower, upper: upper)
            keys = FittedKeys(fitted: columns.map(\.key),
                              atBound: zip(columns, solution.active).filter { $1 != 0 }.map { $0.0.key })
            for (column, value) in zip(columns, solution.x) {
                let range = EfficiencyFactors.range(of: column.key)
                let fittedValue = column.key == names.overhead
                    ? min(range.upperBound, max(range.lowerBound, value * 1000))
                    : min(range.upperBound, max(range.lowerBound, 1 / value))
                let note = keys.atBound.contains(column.key) ? ", at the bound of its range" : ""
                p.efficiency.set(column.key, SourcedValue(fittedValue, source: "calibrate: bounded least squares on \(rows.count) rows of \(source)\(note)"))
            }
        }
        return keys
    }

    /// Fits the serving power factors k_c and k_b (`PowerModel`) on rows with a measured
    /// power or energy per token. A row's utilisations are the model's FLOP and byte counts
    /// over one request cycle divided by the cycle's measured time (TTFT + (O − 1) TPOT, the
    /// model's time where a phase was not measured), so the fit does not inherit the latency
    /// model's error; the target is the measured dynamic fraction (P − idle) / (TDP − idle).
    /// The problem is linear and bounded (k ∈ [0, 10]), rows weighted by span / P so that
    /// relative power errors are minimised. A factor is fitted only where its term reaches 5%
    /// of the span (at the profile's factor, or 1 if larger) on at least two rows (one, when
    /// there is one row), with no more factors than rows; otherwise it keeps the profile's
    /// value and its term is subtracted from the target.
    private static func fitPower(_ p: inout HardwareProfile, rows: [ServingMeasurement], source: String) throws(HardwareError) -> FittedKeys {
        let idle = p.idleW.value, span = p.tdpW.value - p.idleW.value
        guard span > 0 else { throw .calibration("the profile's TDP is not above its idle power") }
        var compute: [Double] = [], bandwidth: [Double] = [], dynamic: [Double] = [], weights: [Double] = []
        for m in rows {
            let u = try cycleUtilisation(p, m)
            let watts = m.powerWatts
                ?? m.joulesPerToken.map { $0 * u.cycle.estimate.outputTokensPerCycle / (Double(m.workload.devices) * u.cycle.seconds) } ?? idle
            guard watts > 0 else { throw .calibration("\(m.label): the measured power is not positive") }
            compute.append(u.compute)
            bandwidth.append(u.bandwidth)
            dynamic.append((watts - idle) / span)
            weights.append(watts / span)
        }
        let e = p.efficiency
        typealias Column = (key: String, values: [Double], current: Double)
        var columns: [Column] = []
        var target = dynamic
        // A factor not fitted keeps its value, and its term leaves the target.
        func fix(_ c: Column) { for i in target.indices { target[i] -= c.current * c.values[i] } }
        for c: Column in [("compute_power_factor", compute, e.computePowerFactor.value),
                          ("bandwidth_power_factor", bandwidth, e.bandwidthPowerFactor.value)] {
            if c.values.filter({ $0 * max(c.current, 1) >= 0.05 }).count >= min(2, rows.count) { columns.append(c) } else { fix(c) }
        }
        while !columns.isEmpty && rows.count < columns.count { fix(columns.removeFirst()) }
        guard !columns.isEmpty else { return FittedKeys() }
        let ranges = columns.map { EfficiencyFactors.range(of: $0.key) }
        let solution = try solveBounded(columns.map(\.values), target, weights: weights,
                                        lower: ranges.map(\.lowerBound), upper: ranges.map(\.upperBound))
        var keys = FittedKeys(fitted: columns.map(\.key), atBound: zip(columns, solution.active).filter { $1 != 0 }.map { $0.0.key })
        for ((column, range), value) in zip(zip(columns, ranges), solution.x) {
            let note = keys.atBound.contains(column.key) ? ", at the bound of its range" : ""
            p.efficiency.set(column.key, SourcedValue(min(range.upperBound, max(range.lowerBound, value)),
                                                      source: "calibrate: bounded least squares on \(rows.count) power rows of \(source)\(note)"))
        }
        keys.fitted.sort()
        return keys
    }

    /// One request cycle of `m` at its measured times: the model's estimate of the row, the
    /// prefill time (the measured TTFT, else the model's), the decode step time (the measured
    /// TPOT, else the model's) and the cycle, prefill + (O − 1) steps, s.
    static func measuredCycle(_ p: HardwareProfile, _ m: ServingMeasurement) throws(HardwareError)
        -> (estimate: ServingEstimate, prefill: Double, step: Double, seconds: Double) {
        let e = try ServingEstimate(profile: p, workload: m.workload)
        let prefill = m.ttftSeconds ?? e.ttftSeconds, step = m.tpotSeconds ?? e.tpotSeconds
        let cycle = prefill + e.decodeSteps * step
        guard cycle > 0, prefill > 0, step > 0 else { throw .calibration("\(m.label): the request cycle has no time") }
        return (e, prefill, step, cycle)
    }

    /// Achieved compute and bandwidth utilisation of one device over a measured request cycle
    /// (`fitPower`), and the cycle.
    static func cycleUtilisation(_ p: HardwareProfile, _ m: ServingMeasurement) throws(HardwareError)
        -> (compute: Double, bandwidth: Double, cycle: (estimate: ServingEstimate, prefill: Double, step: Double, seconds: Double)) {
        let c = try measuredCycle(p, m), e = c.estimate
        let flopSeconds = e.prefill.flops / e.prefill.peakFLOPS + e.decodeSteps * e.decode.flops / e.decode.peakFLOPS
        let byteSeconds = (e.prefill.bytes + e.decodeSteps * e.decode.bytes) / e.prefill.bandwidth
        return (min(1, flopSeconds / c.seconds), min(1, byteSeconds / c.seconds), c)
    }

    /// The model's mean power of one device over `m`'s request cycle at the row's measured
    /// times (each phase's power from its own utilisations, `PowerModel`), and the energy per
    /// output token (all devices, no PUE) that follows: the power model on its own, without
    /// the latency model's error. A phase the row did not measure runs at the model's time.
    static func powerAtMeasuredTimes(_ p: HardwareProfile, _ m: ServingMeasurement) throws(HardwareError)
        -> (watts: Double, joulesPerToken: Double) {
        let c = try measuredCycle(p, m), e = c.estimate
        let idle = p.idleW.value, tdp = p.tdpW.value
        let joules = PowerModel.watts(idle: idle, tdp: tdp, phase: e.prefill, seconds: c.prefill) * c.prefill
            + PowerModel.watts(idle: idle, tdp: tdp, phase: e.decode, seconds: c.step) * e.decodeSteps * c.step
        return (joules / c.seconds, joules * Double(m.workload.devices) / e.outputTokensPerCycle)
    }

    /// Box-constrained least squares on columns, each row scaled by 1 / weight
    /// (`Matrix.boundedLeastSquares`).
    private static func solveBounded(_ columns: [[Double]], _ target: [Double], weights: [Double],
                                     lower: [Double], upper: [Double]) throws(HardwareError) -> BoundedLeastSquaresSolution {
        let n = target.count
        var a = Matrix(rows: n, columns: columns.count)
        var b = target
        for i in 0..<n {
            let s = 1 / weights[i]
            for (j, column) in columns.enumerated() { a[i, j] = column[i] * s }
            b[i] *= s
        }
        do {
            return try a.boundedLeastSquares(b, lower: lower, upper: upper)
        } catch {
            throw .calibration("the bounded least-squares problem has no solution (\(error))")
        }
    }
}
