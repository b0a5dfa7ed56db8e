import Demand
import Foundation
import Hardware
import PlanModel
import ScalingLaws

/// The independent re-verification every "optimal" answer must pass. Each reported plan is
/// re-derived from its N, D, training devices and fleet by `IndependentMetrics` (the law's
/// formula, the profile's figures, the forecast's parameters; no code shared with
/// `PlanEvaluator`): every printed metric must match within `tolerance` (relative), each
/// replica must be what the hardware model gives at its batch and devices, fit in memory and
/// meet the SLO, each month's fleet must cover that month's peak within the availability caps,
/// every bound must hold, and no frontier point may dominate another.
public enum PlanCheck {
    public static let tolerance = 1e-6

    /// What is wrong with `outcome`, one sentence per problem (empty when it passes).
    public static func problems(_ outcome: PlanOutcome, _ problem: PlanningProblem) -> [String] {
        var out: [String] = []
        guard outcome.status == .optimal else {
            if outcome.recommended != nil { out.append("an infeasible outcome carries a recommended plan") }
            return out
        }
        guard let best = outcome.recommended else { return ["an optimal outcome has no recommended plan"] }
        out += check(best, problem, what: "the recommended plan")
        if let frontier = outcome.frontier {
            for (i, p) in frontier.points.enumerated() { out += check(p, problem, what: "frontier point \(i + 1)") }
            out += dominance(frontier.points, frontier.x, frontier.y)
            if let k = frontier.knee, !frontier.points.indices.contains(k) { out.append("the knee index \(k) is outside the frontier") }
        }
        return out
    }

    /// Re-derives one plan and checks it.
    public static func check(_ m: PlanMetrics, _ scenario: PlanningProblem, what: String) -> [String] {
        guard m.params.isFinite, m.params > 0, m.tokens.isFinite, m.tokens > 0 else {
            return ["\(what) has N = \(m.params), D = \(m.tokens)"]
        }
        var out: [String] = []
        // A plan of one of several architectures is checked in that architecture's problem.
        if !scenario.architectureOptions.isEmpty, !scenario.architectureOptions.contains(where: { $0.label == m.architecture }) {
            out.append("\(what) names architecture \(m.architecture ?? "none"), not one the scenario compares")
        }
        let problem = scenario.problem(forArchitecture: m.architecture)
        let again = IndependentMetrics(problem, params: m.params, tokens: m.tokens, devices: m.trainDevices, fleet: m.fleet,
                                       quantization: m.quantization)
        // Every replica serves at a precision no worse (no fewer bits) than the one the plan's
        // served loss assumes.
        if let q = m.quantization {
            func worse(_ p: Precision) -> Bool {
                if case .fixed(let table) = problem.quantization.postTraining, q.method == .postTraining, q.precision.bytesPerValue < 2 {
                    return (table[p] ?? 0) > (table[q.precision] ?? 0)
                }
                return p.bytesPerValue < min(2, q.precision.bytesPerValue)
            }
            for a in m.fleet.assignments where worse(a.replica.option.precision) {
                out.append("\(what): \(a.replica.option.label) serves below the \(q.precision.rawValue) its served loss assumes")
            }
        } else if !m.fleet.assignments.isEmpty {
            out.append("\(what) serves without stating the precision its loss assumes")
        }
        func compare(_ name: String, _ reported: Double?, _ derived: Double?) {
            switch (reported, derived) {
            case (nil, nil): return
            case (let r?, let d?):
                if !r.isFinite { out.append("\(what) has a non-finite \(name) (\(r))") }
                else if !close(r, d) { out.append("\(what): \(name) is \(r) but re-derives to \(d)") }
            default: out.append("\(what): \(name) is \(reported.map { "\($0)" } ?? "missing") but re-derives to \(derived.map { "\($0)" } ?? "nothing")")
            }
        }
        compare("loss", m.loss, again.loss)
        compare("loss_low", m.lossLow, again.lossLow)
        compare("loss_high", m.lossHigh, again.lossHigh)
        compare("loss at confidence", m.lossAtConfidence, again.lossAtConfidence)
        compare("training FLOPs", m.trainFLOPs, again.trainFLOPs)
        compare("training device-hours", m.trainDeviceHours, again.trainDeviceHours)
        compare("training days", m.trainDays, again.trainDays)
        compare("training cost", m.trainCost, again.trainCost)
        compare("training energy", m.trainEnergyKWh, again.trainEnergyKWh)
        compare("inference FLOPs", m.inferenceFLOPs, again.inferenceFLOPs)
        if let inf = problem.inference, inf.options.isEmpty {
            // A pure-FLOP question: no serving model, so no serving cost, energy or fleet.
            if !m.inferenceCost.isNaN || !m.inferenceEnergyKWh.isNaN || !m.fleet.assignments.isEmpty || m.tpotMs != nil {
                out.append("\(what) reports serving cost, energy, a fleet or latency without a serving model")
            }
        } else {
            compare("inference cost", m.inferenceCost, again.inferenceCost)
            compare("inference energy", m.inferenceEnergyKWh, again.inferenceEnergyKWh)
            compare("TTFT", m.ttftMs, again.ttftMs)
            compare("TPOT", m.tpotMs, again.tpotMs)
            out += fleet(m, problem, what: what)
        }
        out += trainingDevices(m, problem, what: what)
        out += bounds(m, again, problem, what: what)
        return out
    }

    /// The training device count is the setup's, or with a device choice the fewest whole
    /// steps that finish within the day limit.
    static func trainingDevices(_ m: PlanMetrics, _ problem: PlanningProblem, what: String) -> [String] {
        let t = problem.training
        guard m.trainDevices >= 1, m.trainDevices <= t.devices else {
            return ["\(what) trains on \(m.trainDevices) devices, outside 1...\(t.devices)"]
        }
        guard let choice = t.deviceChoice, !choice.fastest, let daysMax = problem.constraints.trainDaysMax else {
            return m.trainDevices == t.devices ? [] : ["\(what) trains on \(m.trainDevices) devices, not the \(t.devices) set"]
        }
        if m.trainDevices != t.devices && m.trainDevices % choice.step != 0 {
            return ["\(what) trains on \(m.trainDevices) devices, not a multiple of the step \(choice.step)"]
        }
        let fewer = m.trainDevices - choice.step
        if fewer >= 1, m.trainDays * Double(m.trainDevices) / Double(fewer) <= daysMax * (1 - 1e-9) {
            return ["\(what) trains on \(m.trainDevices) devices where \(fewer) would finish within \(daysMax) days"]
        }
        return []
    }

    /// Each replica is the hardware model's at its batch and devices, fits and meets the SLO;
    /// each month's capacity covers its peak within the availability caps.
    static func fleet(_ m: PlanMetrics, _ problem: PlanningProblem, what: String) -> [String] {
        guard let inf = problem.inference else {
            return m.fleet.assignments.isEmpty ? [] : ["\(what) has a fleet but the problem serves nothing"]
        }
        var out: [String] = []
        // No fleet is right only for no demand (a forecast of zero requests is valid input).
        let demanded: Bool = switch inf.demand {
        case .forecast(let f): (0..<f.horizonMonths).contains { IndependentMetrics.peakRate(f, month: $0) > 0 }
        case .totalTokens(let t, _, _): t > 0
        }
        if m.fleet.assignments.isEmpty, demanded { out.append("\(what) serves its demand with no fleet") }
        let shape = inf.requestShape
        for a in m.fleet.assignments {
            let r = a.replica
            let label = "\(what), replica on \(r.option.label)"
            guard inf.options.contains(r.option) else { out.append("\(label) is not one of the scenario's serving options"); continue }
            if let s = inf.slo.ttftSeconds, r.ttftSeconds > s * (1 + tolerance) { out.append("\(label) misses the TTFT SLO") }
            if let s = inf.slo.tpotSeconds, r.tpotSeconds > s * (1 + tolerance) { out.append("\(label) misses the TPOT SLO") }
            if let u = inf.fixedUtilisation {
                // Sardana et al. 2024: a request costs 2 N P / (peak u_prefill) + 2 N O / (peak u_decode) device-seconds.
                let peak = (r.option.hardware.peakTFLOPS[r.option.precision]?.value ?? .nan) * 1e12
                let prefill = 2 * m.params * Double(shape.prompt) * (1 - inf.prefixCacheHitRate) / (peak * u.prefill)
                let perToken = 2 * m.params / (peak * u.decode)
                if !close(r.ttftSeconds, prefill) { out.append("\(label): TTFT \(r.ttftSeconds) s, fixed utilisation gives \(prefill) s") }
                if !close(r.tpotSeconds, perToken) { out.append("\(label): TPOT \(r.tpotSeconds) s, fixed utilisation gives \(perToken) s") }
                let rps = 1 / (prefill + perToken * Double(shape.output))
                if !close(r.requestsPerSecond, rps) { out.append("\(label): \(r.requestsPerSecond) requests/s, fixed utilisation gives \(rps)") }
                continue
            }
            let modelShape = problem.servingShape(params: m.params) ?? (try? ModelShape.llama(parameters: m.params))
            guard let modelShape else { out.append("\(label): no model shape for N = \(m.params)"); continue }
            // A mixture of experts is planned in active parameters and holds every expert.
            let served = modelShape.isMixtureOfExperts ? m.params / modelShape.activeParameterCount * modelShape.parameterCount : m.params
            if modelShape.isMixtureOfExperts, !close(m.totalParams ?? .nan, served) {
                out.append("\(label): total parameters \(m.totalParams ?? .nan), the shape gives \(served)")
            }
            var workload = ServingWorkload(shape: modelShape, parameters: served, precision: r.option.precision, batch: r.batch,
                                           promptTokens: shape.prompt, outputTokens: shape.output, devices: r.devices)
            workload.expertParallel = r.expertParallel
            workload.attentionDataParallel = r.attentionDataParallel
            workload.pipelineStages = r.pipelineStages
            workload.outputLengths = shape.output >= 2 ? inf.outputLengths : nil
            workload.prefixCacheHitRate = inf.prefixCacheHitRate
            workload.sharedPrefixTokens = inf.sharedPrefixTokens
            // Requests of two or more output tokens are served by continuous batching, one
            // output token as a static batch (ServingModel.replica).
            let figures: (fits: Bool, ttft: Double, tpot: Double, rps: Double, joules: Double)
            if shape.output >= 2 {
                guard let s = try? SteadyStateServing(profile: r.option.hardware, workload: workload, options: ServingOptions(pue: inf.pue),
                                                      runningBatch: r.runningBatch) else {
                    out.append("\(label): the hardware model cannot estimate running batch \(r.batch) on \(r.devices) devices")
                    continue
                }
                if !s.isStable { out.append("\(label): running batch \(r.batch) on \(r.devices) devices is not a stable steady state") }
                figures = (s.fits, s.ttft.mean, s.tpot.mean, s.requestsPerSecond, s.joulesPerRequest)
            } else {
                guard let e = try? ServingEstimate(profile: r.option.hardware, workload: workload, options: ServingOptions(pue: inf.pue)) else {
                    out.append("\(label): the hardware model cannot estimate batch \(r.batch) on \(r.devices) devices")
                    continue
                }
                figures = (e.memory.fits, e.ttftSeconds, e.tpotSeconds, e.requestsPerSecond, (e.prefillJoules + e.decodeJoules) / Double(r.batch))
            }
            if !figures.fits { out.append("\(label): batch \(r.batch) on \(r.devices) devices does not fit in memory") }
            if !close(r.ttftSeconds, figures.ttft) { out.append("\(label): TTFT \(r.ttftSeconds) s, the hardware model gives \(figures.ttft) s") }
            if !close(r.tpotSeconds, figures.tpot) { out.append("\(label): TPOT \(r.tpotSeconds) s, the hardware model gives \(figures.tpot) s") }
            if !close(r.requestsPerSecond, figures.rps) {
                out.append("\(label): \(r.requestsPerSecond) requests/s, the hardware model gives \(figures.rps)")
            }
            if !close(r.busyJoulesPerRequest, figures.joules) { out.append("\(label): \(r.busyJoulesPerRequest) J per request, the hardware model gives \(figures.joules)") }
        }
        guard case .forecast(let f) = inf.demand else { return out }
        // Reservations on the scenario's terms: its term, its discount (or the profile's it
        // took) and the option's on-demand price, not the figures the plan carries.
        for held in m.fleet.reservations {
            let stated = inf.purchasing.reservation
            let price = inf.options.first { $0.hardware.name == held.hardware }?.usdPerDeviceHour
            if stated?.termMonths != held.termMonths || stated?.discounts[held.hardware] != held.discount || price != held.usdPerDeviceHour {
                out.append("\(what): reserves \(held.hardware) for \(held.termMonths) months at \(held.discount) off $\(held.usdPerDeviceHour)/h; "
                           + "the scenario states \(stated.map { "\($0.termMonths) months at \($0.discounts[held.hardware].map { "\($0)" } ?? "no discount") off" } ?? "no reservation")"
                           + " and $\(price.map { "\($0)" } ?? "no option")/h")
            }
        }
        for month in 0..<f.horizonMonths {
            let peak = IndependentMetrics.peakRate(f, month: month)
            let capacity = m.fleet.assignments.reduce(0.0) { $0 + Double($1.replicasByMonth[month]) * $1.replica.requestsPerSecond }
            if capacity < peak * (1 - tolerance) { out.append("\(what): month \(month + 1) serves \(capacity) requests/s of a \(peak) peak") }
            var used: [String: Int] = [:]
            for a in m.fleet.assignments { used[a.replica.option.hardwareName, default: 0] += a.replicasByMonth[month] * a.replica.devices }
            for option in inf.options {
                if let cap = option.maxDevices, let n = used[option.hardwareName], n > cap {
                    out.append("\(what): month \(month + 1) uses \(n) \(option.hardwareName) devices of \(cap) available")
                }
            }
            for a in m.fleet.assignments {
                // The scenario's minimum for this option, not the one the plan carries.
                let least = inf.options.first { $0.label == a.replica.option.label }?.minReplicas ?? 1
                let n = a.replicasByMonth[month]
                if n > 0, n < least { out.append("\(what): month \(month + 1) runs \(n) \(a.replica.option.label) replicas, below its minimum of \(least)") }
            }
        }
        return out
    }

    /// Every bound of the scenario, on the re-derived values.
    static func bounds(_ m: PlanMetrics, _ v: IndependentMetrics, _ problem: PlanningProblem, what: String) -> [String] {
        let c = problem.constraints
        var out: [String] = []
        func atMost(_ name: String, _ value: Double, _ bound: Double?) {
            if let bound, value > bound * (1 + tolerance) + 1e-300 { out.append("\(what) breaks \(name): \(value) against the bound \(bound)") }
        }
        func atLeast(_ name: String, _ value: Double, _ bound: Double) {
            if value < bound * (1 - tolerance) { out.append("\(what) breaks \(name): \(value) against the bound \(bound)") }
        }
        atMost("loss_max", v.lossAtConfidence ?? v.loss, c.bound(on: .loss))
        atMost("cost_max", v.trainCost + v.inferenceCost, c.bound(on: .cost))
        atMost("compute_max", v.trainFLOPs + v.inferenceFLOPs, c.bound(on: .compute))
        atMost("energy_max", v.trainEnergyKWh + v.inferenceEnergyKWh, c.bound(on: .energy))
        atMost("latency_max", v.tpotMs ?? 0, c.bound(on: .latency))
        atMost("train_days_max", v.trainDays, c.bound(on: .trainTime))
        atMost("params_max", m.params, c.paramsMax)
        atLeast("params_min", m.params, c.paramsMin)
        atMost("tokens_per_param_max", m.tokens / m.params, c.tokensPerParamMax)
        atLeast("tokens_per_param_min", m.tokens / m.params, c.tokensPerParamMin)
        return out
    }

    /// Pairs of frontier points where one dominates the other: no worse in both objectives
    /// (within 1e-9 relative, the frontier's own margin) and better in one by more than `tolerance`.
    public static func dominance(_ points: [PlanMetrics], _ x: Objective, _ y: Objective) -> [String] {
        func better(_ a: Double, _ b: Double) -> Bool { a < b - tolerance * max(abs(a), abs(b)) }
        func noWorse(_ a: Double, _ b: Double) -> Bool { a <= b + 1e-9 * max(abs(a), abs(b)) }
        var out: [String] = []
        for (i, p) in points.enumerated() {
            for (j, q) in points.enumerated() where i != j {
                let noWorse = noWorse(q.value(x), p.value(x)) && noWorse(q.value(y), p.value(y))
                if noWorse && (better(q.value(x), p.value(x)) || better(q.value(y), p.value(y))) {
                    out.append("frontier point \(j + 1) dominates point \(i + 1)")
                }
            }
        }
        return out
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        if a == b { return true }
        let scale = max(abs(a), abs(b))
        return scale.isFinite && abs(a - b) <= tolerance * scale
    }
}
