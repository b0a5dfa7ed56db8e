import Diagnostics
import Numerics
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
    public var evaluated: [PlanMetrics]
    /// Each point's warnings (`PlanWarnings`), in the order of `points`.
    public var pointWarnings: [[Warning]]

    /// The widest range a frontier spans in y: up to this multiple of y's minimum.
    public static let ySpread = 100.0
    /// The widest range a frontier spans in a positive x other than loss, as a ratio.
    public static let xSpread = 1000.0

    public init(x: Objective, y: Objective, points: [PlanMetrics], knee: Int?, evaluated: [PlanMetrics] = [],
                pointWarnings: [[Warning]]? = nil) {
        self.x = x
        self.y = y
        self.points = points
        self.knee = knee
        self.evaluated = evaluated
        self.pointWarnings = pointWarnings ?? points.map { _ in [] }
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

    /// The knee of `points` (Satopaa et al. 2011): after scaling both objectives to [0, 1],
    /// the point farthest from the chord between the first and the last; nil without points.
    public static func knee(_ points: [PlanMetrics], _ x: Objective, _ y: Objective) -> Int? {
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
