import Diagnostics
import LinearAlgebra

/// Fits a profile's efficiency and power factors to measurements by least squares
/// (LAPACK `dgels`, through `Matrix.boundedLeastSquares`).
///
/// Time: a static row's phase time is `x_b · bytes/BW` (memory bound) or `x_c · FLOPs/peak`
/// (compute bound) plus communication plus a fixed overhead `o`; a closed-loop row's
/// (`ClosedLoopServing`) is a weighted sum of such engine steps, whose compute part loads the
/// decode and prefill compute factors together. Each is linear in x_b = 1/ηb, x_c = 1/ηc and o
/// once its bounds are fixed, so times are classified with the current factors, the linear
/// problem over all six time factors is solved (rows weighted by 1 / measured time, so
/// relative errors are minimised), and this repeats until the classification is stable.
/// The least squares is bounded to each factor's range (efficiencies in [0.001, 1], so
/// x ∈ [1, 1000]; overheads in [0, 10 s]) and solved exactly; a factor resting on a bound is
/// reported (`CalibrationResult.keysAtBound`) and its source says so. A roofline factor is
/// fitted only where at least two times bind on it, an overhead only with at least three more
/// of its times than fitted factors they load; a factor not fitted keeps the profile's value.
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
        if scope != .power {
            let observations = measurements.flatMap { m -> [TimeObservation] in
                [(Phase.prefill, m.ttftSeconds), (.decode, m.tpotSeconds)].compactMap { phase, value in
                    value.map { TimeObservation(row: m, phase: phase, measured: $0) }
                }
            }
            if !observations.isEmpty {
                let keys = try fitTimes(&p, observations: observations, source: source)
                fitted += keys.fitted
                atBound += keys.atBound
            }
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

    /// What the time fit produced: the keys fitted and those resting on a bound.
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

    /// The time factors, in the order they are fitted and reported: decode, then prefill.
    static let timeKeys = [keyNames(.decode), keyNames(.prefill)].flatMap { [$0.bw, $0.compute, $0.overhead] }

    static func isOverhead(_ key: String) -> Bool { key.hasSuffix("_overhead_ms") }

    /// Efficiency pairs (bandwidth, compute) the alternating fit starts from besides the
    /// profile's own: which rows are memory or compute bound depends on the factors, and a
    /// single start can settle on a classification a lower residual elsewhere beats.
    static let startingEfficiencies: [(bandwidth: Double, compute: Double)] = [
        (0.3, 0.15), (0.3, 0.3), (0.3, 0.6), (0.6, 0.15), (0.6, 0.3), (0.6, 0.6), (0.9, 0.15), (0.9, 0.3), (0.9, 0.6),
    ]

    /// One measured time the fit uses: a row's TTFT or TPOT.
    struct TimeObservation {
        let row: ServingMeasurement
        let phase: Phase
        let measured: Double
    }

    /// A measured time's model at fixed bounds: `Σ coefficient × x(key) + fixed` seconds, with
    /// x = 1/η for an efficiency and the overhead in seconds; `bounds` is the classification
    /// it was built at (one per engine step it averages).
    struct LinearTime {
        var coefficients: [String: Double] = [:]
        var fixed = 0.0
        var bounds: [Bound] = []
    }

    /// x of `key` in `p`: 1/η for an efficiency, seconds for an overhead.
    static func unknown(_ p: HardwareProfile, _ key: String) -> Double {
        let value = p.efficiency.figures.first { $0.key == key }!.figure.value
        return isOverhead(key) ? value / 1000 : 1 / value
    }

    /// The model of one measured time as linear in the unknowns at `p`'s classification. A
    /// static row is one pass (`Roofline.prefill` or `decodeStep`): its memory time at
    /// efficiency 1 on the phase's bandwidth factor, or its compute time on the phase's
    /// compute factor, and the phase's overhead. A closed-loop row (`ClosedLoopServing` at
    /// `p`) averages engine steps (`Roofline.MixedStep.linearParts`): a memory-bound step
    /// loads the decode bandwidth factor, a compute-bound one the decode and prefill compute
    /// factors with its decode and prefill FLOPs, each the decode overhead; its TTFT adds the
    /// wait for the step under way, held fixed.
    static func linearTime(_ p: HardwareProfile, _ o: TimeObservation) throws(HardwareError) -> LinearTime {
        var line = LinearTime()
        let w = o.row.workload
        switch o.row.batching {
        case .static:
            let names = keyNames(o.phase)
            let c = try cost(p, o.row, o.phase)
            line.bounds = [c.bound]
            if c.bound == .memory {
                line.coefficients[names.bw] = c.bytes / c.bandwidth
            } else {
                line.coefficients[names.compute] = c.flops / c.peakFLOPS
            }
            line.coefficients[names.overhead] = 1
            line.fixed = c.communicationSeconds
        case .closedLoop, .openLoop:
            let model = try Roofline.MixedStep(profile: p, workload: w)
            let decode = keyNames(.decode)
            let steps: [ClosedLoopServing.Step]
            if o.row.batching == .closedLoop {
                let loop = try ClosedLoopServing(profile: p, workload: w)
                steps = o.phase == .decode ? loop.decodeSteps : loop.firstTokenSteps
                line.fixed = o.phase == .decode ? 0 : loop.admissionWaitSeconds
            } else {
                // The measured TPOT fixes the running batch by Little's law, whatever the factors.
                let open = try openLoop(p, o.row)
                steps = o.phase == .decode ? open.decodeSteps : open.firstTokenSteps
                line.fixed = o.phase == .decode ? 0 : open.waitSeconds
            }
            for step in steps {
                let x = model.linearParts(decodeSequences: step.decodeSequences, prefillTokens: step.prefillTokens)
                line.bounds.append(x.bound)
                if x.bound == .memory {
                    line.coefficients[decode.bw, default: 0] += step.weight * x.memory
                } else {
                    line.coefficients[decode.compute, default: 0] += step.weight * x.decodeCompute
                    line.coefficients[keyNames(.prefill).compute, default: 0] += step.weight * x.prefillCompute
                }
                line.coefficients[decode.overhead, default: 0] += step.weight
                line.fixed += step.weight * x.communication
            }
        }
        return line
    }

    /// The full (max) model's prediction of a measured time at `p`.
    static func predictedTime(_ p: HardwareProfile, _ o: TimeObservation) throws(HardwareError) -> Double {
        switch o.row.batching {
        case .static: return try cost(p, o.row, o.phase).seconds
        case .closedLoop:
            let loop = try ClosedLoopServing(profile: p, workload: o.row.workload)
            return o.phase == .decode ? loop.tpotSeconds : loop.ttftSeconds
        case .openLoop:
            let open = try openLoop(p, o.row)
            return o.phase == .decode ? open.tpotSeconds : open.ttftSeconds
        }
    }

    /// The open-loop run of `m` at `p` (`OpenLoopServing`: the steady state at the running batch
    /// its rate and measured TPOT give).
    static func openLoop(_ p: HardwareProfile, _ m: ServingMeasurement) throws(HardwareError) -> OpenLoopServing {
        guard let rate = m.requestsPerSecond, let tpot = m.tpotSeconds else {
            throw .calibration("\(m.label): an open-loop row needs its request rate and its measured TPOT")
        }
        do {
            return try OpenLoopServing(profile: p, workload: m.workload, requestsPerSecond: rate, tpotSeconds: tpot)
        } catch {
            switch error {
            case .calibration(let why), .invalidWorkload(let why): throw .calibration("\(m.label): \(why)")
            default: throw .calibration("\(m.label): \(error)")
            }
        }
    }

    /// Fits the time factors of both phases jointly (a closed-loop row's steps mix decode and
    /// prefill work) from every pair of starts, decode's and prefill's, and keeps the fit with
    /// the smallest sum of squared relative errors of the full (max) model; ties go to the
    /// earlier pair. Phases no row informs start from the profile's factors only. Where no
    /// closed-loop row couples them, the phases' problems are independent and the pair that
    /// wins is each phase's own best start.
    private static func fitTimes(_ p: inout HardwareProfile, observations: [TimeObservation],
                                 source: String) throws(HardwareError) -> FittedKeys {
        func residual(_ q: HardwareProfile) throws(HardwareError) -> Double {
            var sum = 0.0
            for o in observations {
                let r = (try predictedTime(q, o) - o.measured) / o.measured
                sum += r * r
            }
            return sum
        }
        let coupled = mixesMove(observations)
        let starts: [(bandwidth: Double, compute: Double)?] = [nil] + startingEfficiencies.map(Optional.some)
        func startsFor(_ phase: Phase) -> [(bandwidth: Double, compute: Double)?] {
            coupled || observations.contains { $0.phase == phase } ? starts : [nil]
        }
        var best: (profile: HardwareProfile, keys: FittedKeys, residual: Double)?
        for decodeStart in startsFor(.decode) {
            for prefillStart in startsFor(.prefill) {
                var q = p
                for (phase, start) in [(Phase.decode, decodeStart), (.prefill, prefillStart)] {
                    guard let start else { continue }
                    let names = keyNames(phase)
                    q.efficiency.set(names.bw, SourcedValue(start.bandwidth, source: "start"))
                    q.efficiency.set(names.compute, SourcedValue(start.compute, source: "start"))
                }
                let keys = try alternate(&q, original: p, observations: observations, source: source)
                let r = try residual(q)
                if best == nil || r < best!.residual * (1 - 1e-9) { best = (q, keys, r) }
            }
        }
        p = best!.profile
        return best!.keys
    }

    /// The alternating fit from the classification `p` gives: classify the measured times,
    /// solve the bounded linear problem with the factors not fitted at `original`'s values,
    /// repeat until the classification is stable (and, with closed-loop rows, whose step mix
    /// moves with the factors, until the factors are too), at most 30 passes.
    private static func alternate(_ p: inout HardwareProfile, original: HardwareProfile, observations: [TimeObservation],
                                  source: String) throws(HardwareError) -> FittedKeys {
        var previous: [[Bound]] = []
        var keys = FittedKeys()
        var moved = Double.infinity
        let coupled = mixesMove(observations)
        for _ in 0..<(coupled ? 30 : 10) {
            let lines = try observations.map { (o) throws(HardwareError) in try linearTime(p, o) }
            let bounds = lines.map(\.bounds)
            if bounds == previous, !coupled || moved < 1e-12 { break }
            previous = bounds
            let before = timeKeys.map { unknown(p, $0) }
            // Each pass starts from the profile's own factors: one fitted in an earlier pass
            // but not in this one keeps the profile's value.
            for key in timeKeys {
                if let figure = original.efficiency.figures.first(where: { $0.key == key })?.figure { p.efficiency.set(key, figure) }
            }
            // A roofline factor is fitted only where at least two measured times bind on it;
            // one cannot tell it from the overhead, so the profile's value is kept. An
            // overhead is fitted only with at least three more of the times it adds to than
            // fitted factors those times load.
            var columns: [String] = []
            for key in timeKeys where !isOverhead(key) && lines.filter({ ($0.coefficients[key] ?? 0) > 0 }).count >= 2 {
                columns.append(key)
            }
            for key in timeKeys where isOverhead(key) {
                let touching = lines.filter { ($0.coefficients[key] ?? 0) > 0 }
                let loaded = columns.filter { c in touching.contains { ($0.coefficients[c] ?? 0) > 0 } }
                if !touching.isEmpty, touching.count >= loaded.count + 3 { columns.append(key) }
            }
            columns.sort { timeKeys.firstIndex(of: $0)! < timeKeys.firstIndex(of: $1)! }
            guard !columns.isEmpty else { return FittedKeys() }  // p holds original's factors again
            let fixed = lines.map { line in
                line.fixed + line.coefficients.filter { !columns.contains($0.key) }.reduce(0) { $0 + $1.value * unknown(original, $1.key) }
            }
            let target = zip(observations, fixed).map { $0.measured - $1 }
            // Unknowns: 1/efficiency in [1/max, 1/min] for the roofline terms, seconds for the overhead.
            let ranges = columns.map { EfficiencyFactors.range(of: $0) }
            let lower = zip(columns, ranges).map { isOverhead($0) ? $1.lowerBound / 1000 : 1 / $1.upperBound }
            let upper = zip(columns, ranges).map { isOverhead($0) ? $1.upperBound / 1000 : 1 / $1.lowerBound }
            let values = columns.map { key in lines.map { $0.coefficients[key] ?? 0 } }
            let solution = try solveBounded(values, target, weights: observations.map(\.measured), lower: lower, upper: upper)
            keys = FittedKeys(fitted: columns, atBound: zip(columns, solution.active).filter { $1 != 0 }.map(\.0))
            let rows = columns.map { key in lines.filter { ($0.coefficients[key] ?? 0) > 0 }.count }
            for ((key, range), (value, count)) in zip(zip(columns, ranges), zip(solution.x, rows)) {
                let fittedValue = isOverhead(key)
                    ? min(range.upperBound, max(range.lowerBound, value * 1000))
                    : min(range.upperBound, max(range.lowerBound, 1 / value))
                let note = keys.atBound.contains(key) ? ", at the bound of its range" : ""
                p.efficiency.set(key, SourcedValue(fittedValue, source: "calibrate: bounded least squares on \(count) measured times of \(source)\(note)"))
            }
            moved = zip(before, timeKeys.map { unknown(p, $0) }).map { abs($0 - $1) / max(abs($0), 1e-300) }.max() ?? 0
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
                ?? m.joulesPerToken.map { $0 * u.cycle.tokens / (Double(m.workload.devices) * u.cycle.seconds) } ?? idle
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

    /// One request cycle of a measured row at its measured times, with the work the model
    /// puts in it per device: FLOPs over the peak and bytes over the bandwidth (s at full
    /// utilisation) of the first-token phase and of one decode step.
    struct MeasuredCycle {
        /// The first-token phase and one decode step, s: measured, else the model's.
        let prefillSeconds: Double, stepSeconds: Double
        /// Decode steps per request, O − 1, and output tokens per cycle (B O, or C O for a
        /// closed loop: each client completes one request a cycle).
        let steps: Double, tokens: Double
        let prefillFLOPSeconds: Double, prefillByteSeconds: Double
        let stepFLOPSeconds: Double, stepByteSeconds: Double
        var seconds: Double { prefillSeconds + steps * stepSeconds }
    }

    /// `m`'s request cycle at its measured times. A static row's phases are the batch's
    /// prefill and one decode step (`ServingEstimate`); a closed-loop row's are the steps of
    /// `ClosedLoopServing`: the first-token phase is the step under way when the request
    /// arrives (a mean decode step, with other clients) and the steps holding its prompt, a
    /// decode step the mean over the prompts it admits; an open-loop row's engine runs its mean
    /// step (`OpenLoopServing`) throughout.
    static func measuredCycle(_ p: HardwareProfile, _ m: ServingMeasurement) throws(HardwareError) -> MeasuredCycle {
        let w = m.workload
        let c: MeasuredCycle
        switch m.batching {
        case .static:
            let e = try ServingEstimate(profile: p, workload: w)
            c = MeasuredCycle(prefillSeconds: m.ttftSeconds ?? e.ttftSeconds, stepSeconds: m.tpotSeconds ?? e.tpotSeconds,
                              steps: e.decodeSteps, tokens: e.outputTokensPerCycle,
                              prefillFLOPSeconds: e.prefill.flops / e.prefill.peakFLOPS, prefillByteSeconds: e.prefill.bytes / e.prefill.bandwidth,
                              stepFLOPSeconds: e.decode.flops / e.decode.peakFLOPS, stepByteSeconds: e.decode.bytes / e.decode.bandwidth)
        case .closedLoop:
            let loop = try ClosedLoopServing(profile: p, workload: w)
            let model = try Roofline.MixedStep(profile: p, workload: w)
            let step = work(model, loop.decodeSteps), prompt = work(model, loop.firstTokenSteps)
            let waits = loop.admissionWaitSeconds > 0 ? 1.0 : 0
            c = MeasuredCycle(prefillSeconds: m.ttftSeconds ?? loop.ttftSeconds, stepSeconds: m.tpotSeconds ?? loop.tpotSeconds,
                              steps: Double(w.outputTokens - 1), tokens: Double(w.batch * w.outputTokens),
                              prefillFLOPSeconds: prompt.flops + waits * step.flops, prefillByteSeconds: prompt.bytes + waits * step.bytes,
                              stepFLOPSeconds: step.flops, stepByteSeconds: step.bytes)
        case .openLoop:
            // The engine runs its mean step all the time: a measured TPOT holds one mean step's
            // work (at the running batch its rate and TPOT give), a TTFT TTFT / TPOT of them, and
            // the engine completes λ × cycle × E[O] tokens over a request's cycle.
            let open = try openLoop(p, m)
            let step = work(try Roofline.MixedStep(profile: p, workload: w), open.decodeSteps)
            let ttft = m.ttftSeconds ?? open.ttftSeconds, tpot = m.tpotSeconds ?? open.tpotSeconds
            let steps = w.meanDecodeSteps, cycle = ttft + steps * tpot
            c = MeasuredCycle(prefillSeconds: ttft, stepSeconds: tpot, steps: steps, tokens: open.requestsPerSecond * cycle * w.meanOutputTokens,
                              prefillFLOPSeconds: step.flops * ttft / tpot, prefillByteSeconds: step.bytes * ttft / tpot,
                              stepFLOPSeconds: step.flops, stepByteSeconds: step.bytes)
        }
        guard c.seconds > 0, c.prefillSeconds > 0, c.stepSeconds > 0 else { throw .calibration("\(m.label): the request cycle has no time") }
        return c
    }

    /// The work of a mix of engine steps at efficiency 1, s: FLOPs over the peak and bytes over
    /// the bandwidth, each step by its weight.
    private static func work(_ model: Roofline.MixedStep, _ steps: [ClosedLoopServing.Step]) -> (flops: Double, bytes: Double) {
        steps.reduce((0, 0)) { sum, step in
            let cost = model.cost(decodeSequences: step.decodeSequences, prefillTokens: step.prefillTokens)
            return (sum.0 + step.weight * cost.flops / cost.peakFLOPS, sum.1 + step.weight * cost.bytes / cost.bandwidth)
        }
    }

    /// Whether some row's step mix moves with the factors (a closed or open loop): its times
    /// then couple the phases, and the fit repeats until the factors settle.
    private static func mixesMove(_ observations: [TimeObservation]) -> Bool {
        observations.contains { $0.row.batching != .static }
    }

    /// Achieved compute and bandwidth utilisation of one device over a measured request cycle
    /// (`fitPower`), and the cycle.
    static func cycleUtilisation(_ p: HardwareProfile, _ m: ServingMeasurement) throws(HardwareError)
        -> (compute: Double, bandwidth: Double, cycle: MeasuredCycle) {
        let c = try measuredCycle(p, m)
        let flopSeconds = c.prefillFLOPSeconds + c.steps * c.stepFLOPSeconds
        let byteSeconds = c.prefillByteSeconds + c.steps * c.stepByteSeconds
        return (min(1, flopSeconds / c.seconds), min(1, byteSeconds / c.seconds), c)
    }

    /// The model's mean power of one device over `m`'s request cycle at the row's measured
    /// times (each phase's power from its own utilisations, `PowerModel`), and the energy per
    /// output token (all devices, no PUE) that follows: the power model on its own, without
    /// the latency model's error. A phase the row did not measure runs at the model's time.
    static func powerAtMeasuredTimes(_ p: HardwareProfile, _ m: ServingMeasurement) throws(HardwareError)
        -> (watts: Double, joulesPerToken: Double) {
        let c = try measuredCycle(p, m)
        let idle = p.idleW.value, tdp = p.tdpW.value
        let kc = p.efficiency.computePowerFactor.value, kb = p.efficiency.bandwidthPowerFactor.value
        func watts(_ flopSeconds: Double, _ byteSeconds: Double, over t: Double) -> Double {
            PowerModel.watts(idle: idle, tdp: tdp, computeUtilisation: min(1, flopSeconds / t), bandwidthUtilisation: min(1, byteSeconds / t),
                             computeFactor: kc, bandwidthFactor: kb)
        }
        let joules = watts(c.prefillFLOPSeconds, c.prefillByteSeconds, over: c.prefillSeconds) * c.prefillSeconds
            + watts(c.stepFLOPSeconds, c.stepByteSeconds, over: c.stepSeconds) * c.steps * c.stepSeconds
        return (joules / c.seconds, joules * Double(m.workload.devices) / c.tokens)
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
