import Foundation
import ScalingLaws

/// A Pareto frontier between two objectives, by the epsilon-constraint method.
public struct Frontier: Sendable {
    /// The traded-off objectives: `y` is minimised with `x` bounded.
    public let x: Objective
    public let y: Objective
    /// Non-dominated points in increasing x, each evaluated independently.
    public let points: [PlanMetrics]
    /// Index in `points` of the knee: the point farthest from the chord between the ends
    /// after scaling both objectives to [0, 1] (Satopaa et al. 2011, "Kneedle").
    public let knee: Int?
    /// Every plan the computation evaluated that met the constraints, the frontier's
    /// points and the dominated ones (for plots that show the dominated plans in grey).
    public internal(set) var evaluated: [PlanMetrics] = []

    /// The widest range a frontier spans in y: up to this multiple of y's minimum.
    public static let ySpread = 100.0
    /// The widest range a frontier spans in a positive x other than loss, as a ratio.
    public static let xSpread = 1000.0

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
    /// hears of each epsilon solve (of `count`).
    public static func compute(_ planner: Planner, x: Objective, y: Objective, count: Int,
                               yOptimum: PlanMetrics? = nil, progress: ProgressHandler? = nil) throws(PlanError) -> Frontier {
        let c = planner.problem.constraints
        var ySolution = Planner.Solution.infeasible
        if let yOptimum { ySolution = .optimal(yOptimum) } else { ySolution = try planner.minimize(y) }
        guard case .optimal(var xBest) = try planner.minimize(x), case .optimal(let yBest) = ySolution else {
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
        var frontier = Frontier(x: x, y: y, points: points, knee: knee(points, x, y))
        frontier.evaluated = feasible
        return frontier
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

    /// The points no other point dominates, sorted by x; duplicates removed.
    public static func nonDominated(_ points: [PlanMetrics], _ x: Objective, _ y: Objective) -> [PlanMetrics] {
        func better(_ a: Double, _ b: Double) -> Bool { a < b - 1e-9 * max(abs(a), abs(b)) }
        func noWorse(_ a: Double, _ b: Double) -> Bool { !better(b, a) }
        var kept: [PlanMetrics] = []
        for p in points.sorted(by: { ($0.value(x), $0.value(y)) < ($1.value(x), $1.value(y)) }) {
            let dominated = points.contains { q in
                noWorse(q.value(x), p.value(x)) && noWorse(q.value(y), p.value(y))
                    && (better(q.value(x), p.value(x)) || better(q.value(y), p.value(y)))
            }
            let duplicate = kept.contains { !better($0.value(x), p.value(x)) && !better(p.value(x), $0.value(x))
                && !better($0.value(y), p.value(y)) && !better(p.value(y), $0.value(y)) }
            if !dominated && !duplicate { kept.append(p) }
        }
        return kept
    }

    static func knee(_ points: [PlanMetrics], _ x: Objective, _ y: Objective) -> Int? {
        guard points.count >= 3 else { return points.isEmpty ? nil : 0 }
        let xs = points.map { $0.value(x) }, ys = points.map { $0.value(y) }
        let (x0, x1) = (xs.min()!, xs.max()!), (y0, y1) = (ys.min()!, ys.max()!)
        guard x1 > x0, y1 > y0 else { return 0 }
        let u = xs.map { ($0 - x0) / (x1 - x0) }, v = ys.map { ($0 - y0) / (y1 - y0) }
        // Chord from the first to the last point; distance of each point from it.
        let (ax, ay, bx, by) = (u.first!, v.first!, u.last!, v.last!)
        let norm = ((bx - ax) * (bx - ax) + (by - ay) * (by - ay)).squareRoot()
        let d = u.indices.map { abs((by - ay) * u[$0] - (bx - ax) * v[$0] + bx * ay - by * ax) / norm }
        return d.indices.max { d[$0] < d[$1] }
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
