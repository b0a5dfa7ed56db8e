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
        let planner = Planner(problem: problem)
        let primary = problem.objectives.first ?? .cost
        var nominal: PlanMetrics?
        if let u = problem.lossUncertainty, u.confidence != nil {
            var plain = problem
            plain.lossUncertainty = LossUncertainty(samples: u.samples, confidence: nil)
            if case .optimal(let m) = try Planner(problem: plain).minimize(primary) { nominal = m }
        }
        guard case .optimal(let best) = try planner.minimize(primary) else {
            return PlanOutcome(status: .infeasible, recommended: nil, recommendation: "no plan meets every constraint",
                               frontier: nil, relaxations: try explain(planner), nominal: nominal, warnings: PlanWarnings.problemWarnings(problem))
        }
        let frontier = try Frontier.compute(planner, x: frontierX, y: frontierY, count: points,
                                            yOptimum: frontierY == primary ? best : nil, progress: progress)
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
        return out
    }
}
