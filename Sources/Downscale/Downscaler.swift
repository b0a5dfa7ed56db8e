import Diagnostics
import Foundation
import GLPK
import PlanSolver
import Hardware
import Numerics
import PlanModel
import ScalingLaws

/// Solves downscaling questions (`DownscaleProblem`).
///
/// 1. The reference: its N and D (compute-optimal for its size by bisection on the compute
///    budget, or for a target loss by the planner's GLPK solve of "least compute with loss <= l"),
///    its loss, training cost and serving cost per output token on its own hardware.
/// 2. Candidates: each model size x device x precision, with the serving estimate at the
///    problem's batch on one device, and the training tokens that bring the served loss (trained
///    loss plus the precision's quantisation loss) down to the reference's, found by bisection
///    in ln D on the law; when the over-training limit (or, for the data-constrained law, the
///    saturation of repeated data) stops short of it, the most tokens allowed and the loss they
///    reach. With derived shapes the sizes are a 64-point log grid up to the reference size plus,
///    for every device and precision, the largest size that meets every limit (bisection in ln N
///    between the grid points around it, to 1e-6).
/// 3. The choice, a GLPK MILP: one binary per candidate, exactly one chosen, and one row per
///    limit (memory per device, TTFT, TPOT, J per token, USD per million tokens), so only
///    candidates within every limit can be chosen. It minimises the served loss, then, with the
///    loss held at its optimum, the extra training compute.
public enum Downscaler {
    /// Derived sizes: points in the log grid below the reference size.
    static let gridPoints = 64

    public static func solve(_ problem: DownscaleProblem) throws(PlanError) -> DownscaleOutcome {
        let reference = try referenceModel(problem)
        var candidates: [Candidate] = []
        // Dense models of the problem's law, or each architecture compared (docs/MOE.md).
        let kinds: [ArchitectureOption?] = problem.architectures.isEmpty ? [nil] : problem.architectures
        for kind in kinds {
            var seen: [Double: TrainingTarget] = [:]
            let law = kind?.law ?? problem.law
            func add(_ params: Double, _ choice: ModelChoice?) throws(PlanError) {
                guard let shape = choice?.shape ?? derivedShape(kind, params: params) else { return }
                let training: TrainingTarget
                if let known = seen[params] { training = known } else {
                    training = trainingTargets(problem, law: law, params: params, reference: reference)
                    seen[params] = training
                }
                for device in problem.devices {
                    for precision in problem.precisions where device.peakFLOPS(for: precision) != nil {
                        for q in problem.quantization.choices(at: precision) {
                            guard var c = candidate(problem, kind: kind, params: params, model: choice?.name, shape: shape, device: device,
                                                    quantization: q, training: training, reference: reference) else { continue }
                            c.plan.architecture = kind?.label
                            c.plan.totalParams = kind?.moe.map { _ in ServingModel.totalServingParameters(params: params, shape: shape) }
                            candidates.append(c)
                        }
                    }
                }
            }
            switch problem.sizes {
            case .choices(let choices):
                for c in choices { try add(c.params, c) }
            case .derived(let minimum):
                let top = max(reference.params, minimum * 1.0001)
                let grid = (0..<gridPoints).map { minimum * Foundation.pow(top / minimum, Double($0) / Double(gridPoints - 1)) }
                for n in grid { try add(n, nil) }
                // The largest size within every limit on each device and precision.
                for device in problem.devices {
                    for precision in problem.precisions where device.peakFLOPS(for: precision) != nil {
                        let fits = grid.map { n in withinLimits(problem, kind: kind, params: n, device: device, precision: precision) }
                        guard let last = fits.lastIndex(of: true), last + 1 < grid.count else { continue }
                        // The largest size within the limits, between the last grid size in and the first out.
                        let edge = Bisection.boundary(holds: Foundation.log(grid[last]), fails: Foundation.log(grid[last + 1]), tolerance: 1e-6,
                                                      maxSteps: .max) { withinLimits(problem, kind: kind, params: Foundation.exp($0), device: device, precision: precision) }
                        try add(Foundation.exp(edge.holds), nil)
                    }
                }
            }
        }
        let feasible = candidates.filter { $0.meets(problem) }
        guard let chosen = try select(candidates, problem) else {
            return DownscaleOutcome(reference: reference, best: nil, frontier: [], reason: explain(candidates, problem))
        }
        // Per size, the best device and precision within the limits.
        var bySize: [String: Candidate] = [:]
        for c in feasible {
            let key = "\(c.plan.architecture ?? "")/\(c.plan.params)"
            if let b = bySize[key], (b.plan.loss, b.plan.extraTrainFLOPs) <= (c.plan.loss, c.plan.extraTrainFLOPs) { continue }
            bySize[key] = c
        }
        var frontier = bySize.values.map(\.plan).sorted { ($0.params, $0.architecture ?? "") < ($1.params, $1.architecture ?? "") }
        if frontier.count > problem.frontierPoints {
            let step = Double(frontier.count - 1) / Double(problem.frontierPoints - 1)
            var keep = Set((0..<problem.frontierPoints).map { Int((Double($0) * step).rounded()) })
            if let i = frontier.firstIndex(where: { $0.params == chosen.plan.params && $0.architecture == chosen.plan.architecture }) { keep.insert(i) }
            frontier = keep.sorted().map { frontier[$0] }
        }
        return DownscaleOutcome(reference: reference, best: chosen.plan, frontier: frontier, reason: nil,
                                warnings: warnings(problem, reference: reference, best: chosen.plan) + architectureWarnings(problem, candidates))
    }

    /// The answer's warnings: the law extrapolated at the reference or the best plan, training
    /// that repeats data, the over-training limit, quantisation degradation, the best plan's
    /// device figures resting on default efficiencies, and a prefix-cache hit rate taken as given.
    static func warnings(_ problem: DownscaleProblem, reference: DownscaleReference, best: DownscalePlan) -> [Warning] {
        var out: [Warning] = []
        if let r = problem.fittedRange {
            out += [r.extrapolationWarning(params: reference.params, tokens: reference.tokens, subject: "reference"),
                    r.extrapolationWarning(params: best.params, tokens: best.tokens, subject: "best plan")].compactMap { $0 }
        }
        if let w = PlanWarnings.data(tokens: best.tokens, uniqueTokens: problem.training.uniqueTokens, subject: "best plan") { out.append(w) }
        if abs(best.tokensPerParam - problem.tokensPerParamMax) <= PlanWarnings.searchBoundTolerance * problem.tokensPerParamMax {
            out.append(Warning(.searchBound,
                               "The best plan trains at the over-training limit of \(DisplayUnit.plain.format(problem.tokensPerParamMax)) tokens per parameter (downscale.tokens_per_param_max); raise it to see whether training longer reaches the reference.",
                               subject: "best plan"))
        }
        if let w = PlanWarnings.quantization(loss: best.quantizationLoss, QuantizationChoice(precision: best.precision, method: best.method),
                                             remedy: "paid for with more training tokens", subject: "best plan") {
            out.append(w)
        }
        // The best plan's latency, energy and price on its device.
        if let w = best.device.defaultEfficiencyWarning(leaningOn: best.serving.leanedEfficiencyKeys, subject: "best plan") { out.append(w) }
        if let w = ServingWorkload.prefixCacheWarning(rate: problem.prefixCacheHitRate, sharedPrefixTokens: problem.sharedPrefixTokens,
                                                                                   subject: "serving") { out.append(w) }
        return out
    }

    /// For each mixture-of-experts architecture with no candidate that reaches the reference's
    /// loss within the limits, why: on each device, the candidate that reaches it with the
    /// least memory and the limits it breaks (memory, where holding every expert rules the
    /// architecture out of a small device), or that none of its sizes reaches the loss.
    static func architectureWarnings(_ problem: DownscaleProblem, _ candidates: [Candidate]) -> [Warning] {
        var out: [Warning] = []
        for option in problem.architectures where option.moe != nil {
            let mine = candidates.filter { $0.plan.architecture == option.label }
            guard !mine.contains(where: { $0.meets(problem) && $0.plan.reachesReference }) else { continue }
            var parts: [String] = []
            for device in problem.devices {
                let reaching = mine.filter { $0.plan.device.name == device.name && $0.plan.reachesReference }
                guard let least = reaching.min(by: { $0.plan.serving.memory.requiredBytes < $1.plan.serving.memory.requiredBytes }) else {
                    if mine.contains(where: { $0.plan.device.name == device.name }) {
                        parts.append("on \(device.name) none of its sizes reaches the reference's loss")
                    }
                    continue
                }
                let broken = least.limits(problem).filter { $0.value > $0.bound }
                let total = least.plan.totalParams ?? least.plan.params
                parts.append("on \(device.name) the smallest that reaches the reference's loss (\(DisplayUnit.params.format(least.plan.params)) active, \(DisplayUnit.params.format(total)) in all, \(least.plan.precision.rawValue)) breaks "
                             + broken.map { "\($0.name) \(NumberText.short($0.value)) > \(NumberText.short($0.bound))" }.joined(separator: ", "))
            }
            guard !parts.isEmpty else { continue }
            out.append(Warning(.memoryExceeded, "\(option.label) cannot match the reference within the limits: " + parts.joined(separator: "; ")
                               + " (a mixture of experts holds every expert: its weights are several times its active parameters).",
                               subject: option.label))
        }
        return out
    }

    // MARK: - Reference

    static func trainingOnly(_ problem: DownscaleProblem, kind: ArchitectureOption? = nil) -> PlanningProblem {
        var training = problem.training
        if let mfu = kind?.trainingMFU { training.mfu = mfu }
        return PlanningProblem(name: problem.name, law: kind?.law ?? problem.law, training: training, inference: nil,
                               objectives: [.compute], constraints: PlanConstraints(paramsMin: 1e3, paramsMax: 1e15, tokensPerParamMin: 1e-3, tokensPerParamMax: 1e6))
    }

    /// The derived shape of a size: Llama-style for dense, the architecture's MoE shape otherwise.
    static func derivedShape(_ kind: ArchitectureOption?, params: Double) -> ModelShape? {
        if let moe = kind?.moe { return moe.shape(activeParameters: params) }
        return try? ModelShape.llama(parameters: params)
    }

    static func referenceModel(_ problem: DownscaleProblem) throws(PlanError) -> DownscaleReference {
        let u = problem.training.uniqueTokens
        let n: Double, d: Double
        switch problem.reference {
        case .trained(let pn, let pd):
            (n, d) = (pn, pd)
        case .params(let pn):
            // computeOptimal(C).params rises with C: bisection on ln C.
            func size(_ lnC: Double) throws(PlanError) -> Double {
                do { return try problem.law.computeOptimal(compute: Foundation.exp(lnC), uniqueTokens: u).params } catch { throw .unsupported("cannot allocate compute with this law: \(error)") }
            }
            let lo = Foundation.log(6 * pn * pn * 1e-4), hi = Foundation.log(6 * pn * pn * 1e5)
            guard try size(lo) <= pn, try size(hi) >= pn else {
                throw .unsupported("no compute budget makes \(pn) parameters compute-optimal under this law; give the reference's tokens too")
            }
            // The compute whose optimal size is pn: optimal sizes grow with compute.
            let edge = try Bisection.boundary(holds: lo, fails: hi, tolerance: 1e-13, maxSteps: 200) { c throws(PlanError) in try size(c) < pn }
            n = pn
            d = Foundation.exp(edge.fails) / (6 * pn)
        case .loss(let l):
            var p = trainingOnly(problem)
            p.constraints.lossMax = l
            guard case .optimal(let m) = try Planner(problem: p).minimize(.compute) else {
                throw .unsupported("the reference loss \(l) is out of the law's reach (its floor is \(problem.law.irreducibleLoss))")
            }
            (n, d) = (m.params, m.tokens)
        }
        let train = PlanEvaluator.evaluate(trainingOnly(problem), params: n, tokens: d, fleet: Fleet(assignments: []))
        let request = problem.outputTokens
        let replica = ServingModel.replica(option: problem.referenceServing, params: n, shape: problem.referenceModel?.shape,
                                          prompt: problem.promptTokens, output: request,
                                          slo: problem.slo, fixedUtilisation: nil, pue: 1, prefixCacheHitRate: problem.prefixCacheHitRate,
                                          sharedPrefixTokens: problem.sharedPrefixTokens)
        // The reference as served on its own hardware: rounded to its precision after training.
        let servedAt = QuantizationChoice(precision: problem.referenceServing.precision, method: .postTraining)
        let loss = train.loss + problem.quantization.loss(servedAt, law: problem.law, params: n, tokens: d, uniqueTokens: u)
        var reference = DownscaleReference(
            params: n, tokens: d, loss: loss, trainFLOPs: train.trainFLOPs, trainCost: train.trainCost,
            trainEnergyKWh: train.trainEnergyKWh,
            usdPerToken: replica.map { $0.deviceSecondsPerRequest * $0.option.usdPerDeviceHour / 3600 / Double(request) })
        reference.model = problem.referenceModel?.name
        return reference
    }

    // MARK: - Candidates

    /// Training tokens for a size under each quantisation choice: D, the trained and served
    /// losses, whether the reference is reached and, if not, what stops it.
    struct TrainingTarget {
        var byChoice: [QuantizationChoice: (tokens: Double, trainedLoss: Double, loss: Double, reaches: Bool, limit: String?)] = [:]
    }

    static func trainingTargets(_ problem: DownscaleProblem, law: ScalingLaw, params n: Double, reference: DownscaleReference) -> TrainingTarget {
        var t = TrainingTarget()
        let u = problem.training.uniqueTokens
        let model = problem.quantization
        let dMax = n * problem.tokensPerParamMax
        for choice in Set(problem.precisions.flatMap(model.choices(at:))) {
            func trained(_ d: Double) -> Double { law.unsafeLoss(params: n, tokens: d, uniqueTokens: u) }
            func served(_ d: Double) -> Double { trained(d) + model.loss(choice, law: law, params: n, tokens: d, uniqueTokens: u) }
            let target = reference.loss
            let lo = Foundation.log(max(1, n * 1e-6))
            // Post-training rounding loses more the longer the model trains: past the minimum
            // of the served loss in ln D, more tokens make the served model worse.
            var hi = Foundation.log(dMax), hurts = false
            if model.degradesWithTokens(choice) {
                let end = ScalarSearch.endOfDescent(in: lo...hi) { served(Foundation.exp($0)) }
                hurts = end < hi
                hi = end
            }
            let dBest = Foundation.exp(hi)
            guard served(dBest) <= target else {
                var limit = "at the over-training limit of \(DisplayUnit.plain.format(problem.tokensPerParamMax)) tokens per parameter the served loss reaches only \(DisplayUnit.loss.format(served(dBest)))"
                if hurts {
                    limit = "rounding to \(choice.precision.rawValue) after training costs more the longer the model trains: past \(DisplayUnit.tokens.format(dBest)) (\(DisplayUnit.plain.format(dBest / n)) per parameter) more data raises the served loss, whose best is \(DisplayUnit.loss.format(served(dBest)))"
                } else if let u, dMax > u {
                    limit = "data, not compute, limits this model: repeating the \(DisplayUnit.params.format(u)) unique tokens saturates: even \(DisplayUnit.tokens.format(dMax)) (\(DisplayUnit.plain.format(dMax / u)) epochs) reach only \(DisplayUnit.loss.format(served(dMax)))"
                }
                t.byChoice[choice] = (dBest, trained(dBest), served(dBest), false, limit)
                continue
            }
            if served(Foundation.exp(lo)) <= target {
                let d = Foundation.exp(lo)
                t.byChoice[choice] = (d, trained(d), served(d), true, nil)
                continue
            }
            // The fewest tokens reaching the target: the served loss falls with D below `hi`.
            let d = Foundation.exp(Bisection.boundary(holds: hi, fails: lo, tolerance: 1e-13, maxSteps: .max) { logD in
                served(Foundation.exp(logD)) <= target
            }.holds)
            t.byChoice[choice] = (d, trained(d), served(d), true, nil)
        }
        return t
    }

    struct Candidate {
        var plan: DownscalePlan
        /// Usable memory on the plan's device, GB.
        let usableGB: Double

        func meets(_ p: DownscaleProblem) -> Bool { Downscaler.meets(p, plan.serving, usableGB: usableGB) }
        func limits(_ p: DownscaleProblem) -> [Limit] { Downscaler.limits(p, plan.serving, usableGB: usableGB) }
    }

    /// One deployment limit: its name, the value and the bound.
    typealias Limit = (name: String, value: Double, bound: Double)

    /// Each limit of a serving estimate: memory (GB), TTFT and TPOT (ms), J and USD per token.
    static func limits(_ p: DownscaleProblem, _ s: ServingEstimate, usableGB: Double) -> [Limit] {
        var out: [Limit] = [("memory_gb", s.memory.requiredBytes / 1e9, usableGB)]
        if let t = p.slo.ttftSeconds { out.append(("ttft_ms", s.ttftSeconds * 1000, t * 1000)) }
        if let t = p.slo.tpotSeconds { out.append(("tpot_ms", s.tpotSeconds * 1000, t * 1000)) }
        if let j = p.joulesPerTokenMax { out.append(("joules_per_token", s.joulesPerToken, j)) }
        if let c = p.usdPerMillionTokensMax { out.append(("usd_per_million_tokens", s.usdPerMillionTokens, c)) }
        return out
    }

    static func meets(_ p: DownscaleProblem, _ s: ServingEstimate, usableGB: Double) -> Bool {
        limits(p, s, usableGB: usableGB).allSatisfy { $0.value <= $0.bound }
    }

    /// The serving workload of a size on one device; a mixture of experts holds every expert
    /// (`ServingModel.totalServingParameters`).
    static func workload(_ p: DownscaleProblem, params: Double, shape: ModelShape, precision: Precision) -> ServingWorkload {
        var w = ServingWorkload(shape: shape, parameters: ServingModel.totalServingParameters(params: params, shape: shape), precision: precision,
                                batch: p.batch, promptTokens: p.promptTokens, outputTokens: p.outputTokens, devices: 1)
        w.prefixCacheHitRate = p.prefixCacheHitRate
        w.sharedPrefixTokens = p.sharedPrefixTokens
        return w
    }

    static func usableBytes(_ p: DownscaleProblem, _ device: HardwareProfile) -> Double {
        let own = device.memoryBytes * ServingOptions().usableMemoryFraction
        return p.memoryCapBytes.map { min(own, $0) } ?? own
    }

    /// Whether a derived-shape model of `params` meets every limit on the device.
    static func withinLimits(_ p: DownscaleProblem, kind: ArchitectureOption?, params: Double, device: HardwareProfile, precision: Precision) -> Bool {
        guard let shape = derivedShape(kind, params: params),
              let e = try? ServingEstimate(profile: device, workload: workload(p, params: params, shape: shape, precision: precision)) else { return false }
        return meets(p, e, usableGB: usableBytes(p, device) / 1e9)
    }

    static func candidate(_ p: DownscaleProblem, kind: ArchitectureOption?, params n: Double, model: String?, shape: ModelShape, device: HardwareProfile,
                          quantization q: QuantizationChoice, training: TrainingTarget, reference r: DownscaleReference) -> Candidate? {
        let precision = q.precision
        guard let e = try? ServingEstimate(profile: device, workload: workload(p, params: n, shape: shape, precision: precision)),
              let target = training.byChoice[q] else { return nil }
        let train = PlanEvaluator.evaluate(trainingOnly(p, kind: kind), params: n, tokens: target.tokens, fleet: Fleet(assignments: []))
        let usdPerToken = e.usdPerMillionTokens / 1e6
        // Differences at rounding noise (the reference itself, evaluated twice) are zero.
        func difference(_ a: Double, _ b: Double) -> Double { abs(a - b) <= 1e-9 * max(abs(a), abs(b)) ? 0 : a - b }
        var breakEven: Double?
        if let refToken = r.usdPerToken {
            let extra = difference(train.trainCost, r.trainCost), saving = refToken - usdPerToken
            if extra <= 0, saving >= 0 { breakEven = 0 } else if extra > 0, saving > 0 { breakEven = extra / saving }
        }
        let plan = DownscalePlan(
            params: n, model: model, shape: shape, device: device, precision: precision, method: q.method, tokens: target.tokens,
            trainedLoss: target.trainedLoss, loss: target.loss, reachesReference: target.reaches,
            limit: target.limit, serving: e, trainFLOPs: train.trainFLOPs, extraTrainFLOPs: difference(train.trainFLOPs, r.trainFLOPs),
            trainCost: train.trainCost, extraTrainCost: difference(train.trainCost, r.trainCost), trainEnergyKWh: train.trainEnergyKWh,
            extraTrainEnergyKWh: difference(train.trainEnergyKWh, r.trainEnergyKWh), usdPerToken: usdPerToken, breakEvenTokens: breakEven)
        return Candidate(plan: plan, usableGB: usableBytes(p, device) / 1e9)
    }

    // MARK: - Choice

    /// The GLPK selection MILP (see the type's documentation); nil when no candidate meets
    /// every limit.
    static func select(_ candidates: [Candidate], _ p: DownscaleProblem) throws(PlanError) -> Candidate? {
        guard !candidates.isEmpty else { return nil }
        do {
            func model() throws(GLPKError) -> (GLPKProblem, [Int]) {
                let lp = try GLPKProblem(direction: .minimize)
                let z = try candidates.map { _ throws(GLPKError) in try lp.addColumn(bounds: GLPKProblem.Bounds(lower: 0, upper: 1), integer: true) }
                try lp.addRow(z.map { ($0, 1.0) }, bounds: .exactly(1))
                // One row per limit and device; a candidate's coefficient is its value there.
                var rows: [String: (bound: Double, terms: [(Int, Double)])] = [:]
                for (j, c) in candidates.enumerated() {
                    for limit in c.limits(p) {
                        let key = limit.name == "memory_gb" ? "memory_gb/\(c.plan.device.name)" : limit.name
                        // Memory: the device's usable memory; the others share one bound.
                        rows[key, default: (limit.bound, [])].terms.append((z[j], limit.value))
                    }
                }
                for key in rows.keys.sorted() {
                    let r = rows[key]!
                    try lp.addRow(r.terms, bounds: .atMost(r.bound))
                }
                return (lp, z)
            }
            // Stage 1: the lowest served loss.
            let (first, z1) = try model()
            for (j, c) in candidates.enumerated() { try first.setObjective(column: z1[j], c.plan.loss) }
            guard try first.solveMIP(relativeGap: 0, timeLimitSeconds: 30) == .optimal else { return nil }
            let best = first.mipObjectiveValue
            // Stage 2: the least extra training compute at that loss (scaled by the reference).
            let (second, z2) = try model()
            try second.addRow(candidates.indices.map { (z2[$0], candidates[$0].plan.loss) }, bounds: .atMost(best + 1e-12 * max(1, abs(best))))
            let scale = max(1, candidates.map { abs($0.plan.trainFLOPs) }.max() ?? 1)
            for (j, c) in candidates.enumerated() { try second.setObjective(column: z2[j], c.plan.extraTrainFLOPs / scale) }
            guard try second.solveMIP(relativeGap: 0, timeLimitSeconds: 30) == .optimal else { return nil }
            for (j, c) in candidates.enumerated() where try second.mipValue(column: z2[j]) > 0.5 { return c }
            return nil
        } catch {
            throw .solver("\(error)")
        }
    }

    /// Why nothing fits: for the smallest size on each device, the limits it breaks.
    static func explain(_ candidates: [Candidate], _ p: DownscaleProblem) -> String {
        var parts: [String] = []
        for device in p.devices {
            let on = candidates.filter { $0.plan.device.name == device.name }
            guard let smallest = on.min(by: { ($0.plan.params, $0.plan.serving.memory.requiredBytes) < ($1.plan.params, $1.plan.serving.memory.requiredBytes) }) else {
                parts.append("\(device.name) supports none of the precisions")
                continue
            }
            let broken = smallest.limits(p).filter { $0.value > $0.bound }
                .map { "\($0.name) \(String(format: "%.4g", $0.value)) > \(String(format: "%.4g", $0.bound))" }
            parts.append("on \(device.name) even the smallest model (\(String(format: "%.3g", smallest.plan.params)) parameters, \(smallest.plan.precision.rawValue)) breaks \(broken.joined(separator: ", "))")
        }
        return "no model runs within the limits: " + parts.joined(separator: "; ")
    }
}
