import Downscale
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import PlanModel
import PlanSolver

/// The independent re-verification every "optimal" answer must pass: each reported plan is
/// re-evaluated from its N, D and fleet (the loss from the law, training FLOPs from 6ND, the
/// rest through `PlanEvaluator`), its numbers must match what was reported within
/// `tolerance` (relative), it must meet every constraint within `tolerance`, and no frontier
/// point may dominate another.
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

    /// Re-evaluates one plan and checks it.
    public static func check(_ m: PlanMetrics, _ problem: PlanningProblem, what: String) -> [String] {
        var out: [String] = []
        let values = Objective.allCases.map { ($0, m.value($0)) }
        for (o, v) in values where !v.isFinite && !(o == .latency && problem.inference == nil) {
            out.append("\(what) has a non-finite \(o.rawValue) (\(v))")
        }
        guard m.params.isFinite, m.params > 0, m.tokens.isFinite, m.tokens > 0 else {
            return out + ["\(what) has N = \(m.params), D = \(m.tokens)"]
        }
        let again = PlanEvaluator.evaluate(problem, params: m.params, tokens: m.tokens, fleet: m.fleet)
        for (o, v) in values {
            let w = again.value(o)
            if v.isFinite || w.isFinite, !close(v, w) { out.append("\(what): \(o.rawValue) is \(v) but re-evaluates to \(w)") }
        }
        let loss = problem.law.unsafeLoss(params: m.params, tokens: m.tokens, uniqueTokens: problem.training.uniqueTokens)
        if !close(loss, m.loss) { out.append("\(what): loss is \(m.loss) but the law gives \(loss)") }
        if !close(6 * m.params * m.tokens, m.trainFLOPs) { out.append("\(what): training FLOPs \(m.trainFLOPs) are not 6ND") }
        for v in PlanEvaluator.violations(problem, again, relative: tolerance) {
            out.append("\(what) breaks \(v.constraint): \(v.value) against the bound \(v.bound)")
        }
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
