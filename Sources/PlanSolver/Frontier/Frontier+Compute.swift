import Foundation
import GLPK
import Numerics
import PlanModel
import ScalingLaws

extension Frontier {
    /// Computes the frontier with `count` epsilon values.
    ///
    /// The x range ends at the x of y's optimum. It starts at x's own optimum, unless that
    /// makes y more than `ySpread` times its minimum (minimising loss alone buys the largest
    /// model in the search box): then it starts where y reaches that multiple. For an x other
    /// than loss the range is at most `xSpread` wide and the bounds are spaced geometrically;
    /// loss bounds are spaced evenly. For each bound eps, y is minimised with x <= eps.
    /// Points that violate a constraint when re-evaluated, repeat a point, or are dominated
    /// are dropped (dominance with a 1e-9 relative margin). `yOptimum`, when the caller has
    /// already minimised y under the problem's constraints, saves solving it again. `progress`
    /// hears of each epsilon solve (of `count`). `xOptimum`, with `yOptimum`, is x's own
    /// optimum under the problem's constraints, solved already (`endpoints`).
    public static func compute(_ planner: Planner, x: Objective, y: Objective, count: Int,
                               yOptimum: PlanMetrics? = nil, xOptimum: Planner.Solution? = nil,
                               progress: ProgressHandler? = nil) throws(PlanError) -> Frontier {
        let c = planner.problem.constraints
        let ySolution: Planner.Solution, xSolution: Planner.Solution
        if let yOptimum, let xOptimum {
            (ySolution, xSolution) = (.optimal(yOptimum), xOptimum)
        } else if let yOptimum {
            (ySolution, xSolution) = (.optimal(yOptimum), try planner.minimize(x))
        } else {
            let ends = endpoints(planner, x: x, y: y)
            (ySolution, xSolution) = (try ends.y.get(), try ends.x.get())
        }
        guard case .optimal(var xBest) = xSolution, case .optimal(let yBest) = ySolution else {
            return Frontier(x: x, y: y, points: [], knee: nil)
        }
        let yMin = yBest.value(y)
        if y != .loss, xBest.value(y) > ySpread * yMin, yMin > 0,
           case .optimal(let capped) = try planner.minimize(x, constraints: c.tightened(y, to: ySpread * yMin)) {
            xBest = capped
        }
        let hi = yBest.value(x)
        var lo = xBest.value(x)
        var candidates: [PlanMetrics] = [yBest]
        let geometric = x != .loss && lo > 0
        if geometric, hi / lo > xSpread {
            lo = hi / xSpread
            if case .optimal(let m) = try planner.minimize(y, constraints: c.tightened(x, to: lo)) { candidates.append(m) }
        } else {
            candidates.append(xBest)
        }
        if hi > lo * (1 + 1e-9), count > 2 {
            let epsilons = (1..<(count - 1)).map { k in
                let f = Double(k) / Double(count - 1)
                return geometric ? lo * Foundation.pow(hi / lo, f) : lo + (hi - lo) * f
            }
            candidates += try solveInLanes(planner, y, epsilons.map { c.tightened(x, to: $0) },
                                           progress: ProgressCounter(total: count, handler: progress))
        }
        progress?(count, count)
        let feasible = candidates.filter { PlanEvaluator.violations(planner.problem, $0).isEmpty }
        let points = nonDominated(feasible, x, y)
        let context = planner.problem.warningContext
        return Frontier(x: x, y: y, points: points, knee: knee(points, x, y), evaluated: feasible,
                        pointWarnings: points.map { PlanWarnings.check($0, context: context) })
    }

    /// The optima of `y` and of `x` under the problem's constraints, solved at once: y on
    /// `planner` and x on a fork of it made before either starts (`Planner.forked`: its own
    /// copy of the fleets, the specs and month answers shared), so the answers do not depend
    /// on thread timing; later forks of `planner` (the epsilon lanes) hold y's fleets. Each
    /// outcome is returned, errors too, for the caller to throw in its own order.
    public static func endpoints(_ planner: Planner, x: Objective, y: Objective)
        -> (y: Result<Planner.Solution, PlanError>, x: Result<Planner.Solution, PlanError>) {
        let fork = planner.forked()
        let results = LaneResults(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            results.set(k, Result { () throws(PlanError) in k == 0 ? try planner.minimize(y) : try fork.minimize(x) })
        }
        return (results.get(0) ?? .success(.infeasible), results.get(1) ?? .success(.infeasible))
    }

    /// Independent epsilon solves run in this many lanes, on as many threads as the machine
    /// has cores (up to this many). Lane j solves bounds j, j + lanes, ... in order on its own
    /// copy of the planner's fleet cache (`Planner.forked`), so the answers are the same on any
    /// machine and under any thread timing.
    public static let lanes = 2

    /// Minimises `y` under each set of bounds; the optima in the order of `bounds` (infeasible
    /// ones left out). The first error, in the order of `bounds`, is thrown.
    static func solveInLanes(_ planner: Planner, _ y: Objective, _ bounds: [PlanConstraints],
                             progress: ProgressCounter) throws(PlanError) -> [PlanMetrics] {
        let forks = (0..<lanes).map { _ in planner.forked() }
        let results = LaneResults(count: bounds.count)
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for k in stride(from: lane, to: bounds.count, by: lanes) {
                let outcome = Result { () throws(PlanError) in try forks[lane].minimize(y, constraints: bounds[k]) }
                results.set(k, outcome)
                progress.advance()
                if case .failure = outcome { break }
            }
        }
        var optima: [PlanMetrics] = []
        for k in bounds.indices {
            guard let outcome = results.get(k) else { continue }
            if case .optimal(let m) = try outcome.get() { optima.append(m) }
        }
        return optima
    }
}

/// Outcomes of the lanes' solves by index, written from several threads.
private final class LaneResults: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [Result<Planner.Solution, PlanError>?]

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    func set(_ k: Int, _ outcome: Result<Planner.Solution, PlanError>) {
        lock.lock()
        outcomes[k] = outcome
        lock.unlock()
    }

    func get(_ k: Int) -> Result<Planner.Solution, PlanError>? {
        lock.lock()
        defer { lock.unlock() }
        return outcomes[k]
    }
}
