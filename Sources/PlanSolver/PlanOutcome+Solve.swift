import Foundation
import Diagnostics
import Hardware
import GLPK
import Numerics
import PlanModel
import ScalingLaws

extension PlanOutcome {
    /// Solves a planning problem end to end.
    ///
    /// The recommended plan minimises the primary (first) objective subject to the constraints
    /// when a constraint bounds the trade-off (a bound on some other objective); otherwise,
    /// with two objectives, it is the frontier's knee.
    /// `progress` hears of the frontier's solves.
    public static func solve(_ problem: PlanningProblem, frontierX: Objective, frontierY: Objective, points: Int,
                             progress: ProgressHandler? = nil) throws(PlanError) -> PlanOutcome {
        var outcome = try solveOnce(problem, frontierX: frontierX, frontierY: frontierY, points: points, progress: progress)
        let primary = problem.objectives.first ?? .cost
        for option in problem.architectureOptions {
            let planner = Planner(problem: problem.restricted(to: option))
            var best: PlanMetrics?
            if case .optimal(let m) = try planner.minimize(primary) { best = m }
            let reason = best == nil ? try whyNot(planner) : nil
            outcome.architectures.append((option.label, best, reason))
            if let reason {
                // Serving (memory or the SLO) rules it out, or no size reaches the loss.
                let code: Warning.Code = reason.hasPrefix("no model in the search range") ? .searchBound : .memoryExceeded
                outcome.warnings.append(Warning(code, "\(option.label) has no plan: \(reason).", subject: option.label))
            }
        }
        return outcome
    }

    /// Why an architecture has no plan, when serving is what stops it: the smallest model that
    /// reaches the loss bound (at the most tokens per parameter allowed) against the largest
    /// that some serving option can run within memory and the SLO. Nil when that is not it.
    static func whyNot(_ planner: Planner) throws(PlanError) -> String? {
        let p = planner.problem, c = p.constraints
        guard p.inference?.modelsServing == true else { return nil }
        let servable = try planner.largestServableParams(c)
        var needed: Double?
        if let l = c.lossMax {
            func reaches(_ n: Double) -> Bool { p.law.unsafeLoss(params: n, tokens: n * c.tokensPerParamMax, uniqueTokens: p.training.uniqueTokens) <= l }
            if reaches(c.paramsMin) {
                needed = c.paramsMin
            } else if reaches(c.paramsMax) {
                let edge = Bisection.boundary(holds: Foundation.log(c.paramsMax), fails: Foundation.log(c.paramsMin), tolerance: 1e-9, maxSteps: .max) {
                    reaches(Foundation.exp($0))
                }
                needed = Foundation.exp(edge.holds)
            } else {
                return "no model in the search range reaches loss \(DisplayUnit.loss.format(l)) within \(DisplayUnit.plain.format(c.tokensPerParamMax)) tokens per parameter"
            }
        }
        let total = { (n: Double) -> String in
            p.architecture?.moe?.totalParameters(activeParameters: n).map { " (\(DisplayUnit.params.format($0)) in all)" } ?? ""
        }
        guard let servable else {
            return "no serving option runs even its smallest model (\(DisplayUnit.params.format(c.paramsMin))\(total(c.paramsMin))) within memory and the SLO"
        }
        if let needed, needed > servable {
            return "reaching loss \(DisplayUnit.loss.format(c.lossMax!)) takes at least \(DisplayUnit.params.format(needed)) active\(total(needed)), but the largest model a serving option runs within memory and the SLO is \(DisplayUnit.params.format(servable))\(total(servable))"
        }
        return nil
    }

    private static func solveOnce(_ problem: PlanningProblem, frontierX: Objective, frontierY: Objective, points: Int,
                                  progress: ProgressHandler?) throws(PlanError) -> PlanOutcome {
        let planner = Planner(problem: problem)
        let primary = problem.objectives.first ?? .cost
        var nominal: PlanMetrics?
        if let u = problem.lossUncertainty, u.confidence != nil {
            var plain = problem
            plain.lossUncertainty = LossUncertainty(samples: u.samples, confidence: nil)
            if case .optimal(let m) = try Planner(problem: plain).minimize(primary) { nominal = m }
        }
        // With the frontier's y the primary objective, its optimum and the frontier's x
        // optimum are solved at once (`Frontier.endpoints`); x's error, as before, only
        // matters once there is a plan.
        let primarySolution: Planner.Solution, xOptimum: Result<Planner.Solution, PlanError>?
        if frontierY == primary, frontierX != primary {
            let ends = Frontier.endpoints(planner, x: frontierX, y: primary)
            (primarySolution, xOptimum) = (try ends.y.get(), ends.x)
        } else {
            (primarySolution, xOptimum) = (try planner.minimize(primary), nil)
        }
        guard case .optimal(let best) = primarySolution else {
            return PlanOutcome(status: .infeasible, recommended: nil, recommendation: "no plan meets every constraint",
                               frontier: nil, relaxations: try explain(planner), nominal: nominal, warnings: PlanWarnings.problemWarnings(problem))
        }
        let frontier = try Frontier.compute(planner, x: frontierX, y: frontierY, count: points,
                                            yOptimum: frontierY == primary ? best : nil, xOptimum: try xOptimum?.get(), progress: progress)
        let boundsOther = Objective.allCases.contains { $0 != primary && problem.constraints.bound(on: $0) != nil }
        if problem.objectives.count == 2, !boundsOther, let k = frontier.knee {
            return PlanOutcome(status: .optimal, recommended: frontier.points[k], recommendation: "the knee of the \(frontierY.rawValue)-\(frontierX.rawValue) frontier",
                               frontier: frontier, relaxations: [], nominal: nominal,
                               warnings: PlanWarnings.problemWarnings(problem) + PlanWarnings.check(frontier.points[k], problem: problem, subject: "recommended plan"))
        }
        return PlanOutcome(status: .optimal, recommended: best, recommendation: "minimum \(primary.rawValue) subject to the constraints",
                           frontier: frontier, relaxations: [], nominal: nominal,
                           warnings: PlanWarnings.problemWarnings(problem) + PlanWarnings.check(best, problem: problem, subject: "recommended plan"))
    }

    /// For each bound, the smallest value it would need with all others kept: minimise that
    /// objective without its bound (slack on one constraint at a time).
    static func explain(_ planner: Planner) throws(PlanError) -> [Relaxation] {
        let c = planner.problem.constraints
        var out: [Relaxation] = []
        for o in Objective.allCases {
            guard let bound = c.bound(on: o) else { continue }
            let relaxed = c.setting(o, to: nil)
            var needed: Double?
            if case .optimal(let m) = (try? planner.minimize(o, constraints: relaxed)) ?? .infeasible { needed = m.value(o) }
            out.append(Relaxation(constraint: o.constraintKey, bound: bound, needed: needed))
        }
        return out + sloRelaxations(planner)
    }

    /// For each latency SLO of the serving: the smallest target (ms) at which some plan meets
    /// every other constraint, to 1% (bisection in log space between the SLO and the latency of
    /// the cheapest plan without it; a looser SLO only lets every replica take a larger batch,
    /// so feasibility grows with the target); nil when dropping the SLO alone does not help.
    /// This is what names the SLO when no serving option can meet it, instead of the loss.
    static func sloRelaxations(_ planner: Planner) -> [Relaxation] {
        guard let inference = planner.problem.inference, inference.modelsServing else { return [] }
        let primary = planner.problem.objectives.first ?? .cost
        let targets: [(key: String, bound: Double?, path: WritableKeyPath<LatencySLO, Double?>, latency: (PlanMetrics) -> Double?)] = [
            ("slo.tpot_ms", inference.slo.tpotSeconds, \.tpotSeconds, { $0.tpotMs.map { $0 / 1000 } }),
            ("slo.ttft_ms", inference.slo.ttftSeconds, \.ttftSeconds, { $0.ttftMs.map { $0 / 1000 } }),
        ]
        var out: [Relaxation] = []
        for target in targets {
            guard let bound = target.bound else { continue }
            // A solve that fails (a solver error at an extreme target) counts as not shown
            // feasible: the bracket's feasible end stays a target some plan was found for.
            func solve(_ seconds: Double?) -> PlanMetrics? {
                var problem = planner.problem
                problem.inference?.slo[keyPath: target.path] = seconds
                if case .optimal(let m) = (try? Planner(problem: problem).minimize(primary)) ?? .infeasible { return m }
                return nil
            }
            var needed: Double?
            if let free = solve(nil), var hi = target.latency(free), hi > bound {
                // Log-space bisection needs a positive end (a zero SLO would bisect forever).
                var lo = max(bound, .leastNormalMagnitude)
                while hi / lo > 1.01 {
                    let mid = (lo * hi).squareRoot()
                    if solve(mid) != nil { hi = mid } else { lo = mid }
                }
                needed = hi * 1000
            }
            out.append(Relaxation(constraint: target.key, bound: bound * 1000, needed: needed))
        }
        return out
    }
}
