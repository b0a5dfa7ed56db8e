/// A function to minimise: its value and gradient at a point.
public protocol DifferentiableObjective {
    /// Number of variables.
    var dimension: Int { get }
    /// Writes the gradient at `x` into `gradient` (length `dimension`) and returns the value.
    func evaluate(_ x: [Double], gradient: inout [Double]) -> Double
}

/// Limited-memory BFGS (Nocedal and Wright 2006, Algorithm 7.5) with a strong-Wolfe line
/// search (their Algorithms 3.5 and 3.6) and optional box bounds handled by an active set:
/// variables at a bound whose gradient pushes outward are frozen for the step, and the step
/// length is capped so that every iterate stays inside the box.
///
/// The state is resumable: `run(iterations:)` can be called repeatedly, which is how
/// successive halving spends iterations only on promising starts.
public struct LBFGSState {
    public private(set) var x: [Double]
    public private(set) var value: Double
    public private(set) var gradient: [Double]
    public private(set) var iterations = 0
    public private(set) var evaluations = 1
    /// True once a stopping test has fired; further `run` calls do nothing.
    public private(set) var finished = false

    public let lower: [Double]?
    public let upper: [Double]?
    public let memory: Int
    /// Stop when the largest projected gradient component is at most this.
    public let gradientTolerance: Double
    /// Stop when an iteration lowers the value by at most this fraction of |value|.
    public let relativeTolerance: Double

    private var sHistory: [[Double]] = []
    private var yHistory: [[Double]] = []
    private var rhoHistory: [Double] = []
    private var stalls = 0

    /// The objective as the state calls it: value at x, gradient written to the second argument.
    /// The generic entry points wrap the objective in one of these in the caller's module, so
    /// the objective is specialised there while the state's own code is not generic.
    public typealias Evaluate = ([Double], inout [Double]) -> Double

    @inlinable
    public init<F: DifferentiableObjective>(
        start: [Double], objective: F, lower: [Double]? = nil, upper: [Double]? = nil,
        memory: Int = 10, gradientTolerance: Double = 1e-12, relativeTolerance: Double = 1e-13
    ) {
        self.init(start: start, dimension: objective.dimension, evaluate: { objective.evaluate($0, gradient: &$1) }, lower: lower,
                  upper: upper, memory: memory, gradientTolerance: gradientTolerance, relativeTolerance: relativeTolerance)
    }

    @usableFromInline
    init(start: [Double], dimension: Int, evaluate: Evaluate, lower: [Double]?, upper: [Double]?,
         memory: Int, gradientTolerance: Double, relativeTolerance: Double) {
        var x0 = start
        if let lower { for i in x0.indices { x0[i] = max(x0[i], lower[i]) } }
        if let upper { for i in x0.indices { x0[i] = min(x0[i], upper[i]) } }
        var g = [Double](repeating: 0, count: dimension)
        let f = evaluate(x0, &g)
        x = x0; value = f; gradient = g
        self.lower = lower; self.upper = upper; self.memory = memory
        self.gradientTolerance = gradientTolerance; self.relativeTolerance = relativeTolerance
        if !f.isFinite || !g.allSatisfy(\.isFinite) { finished = true; value = f.isNaN ? .infinity : f }
    }

    /// Indices frozen at a bound for this step.
    private func activeSet() -> [Bool] {
        var active = [Bool](repeating: false, count: x.count)
        for i in x.indices {
            if let lower, x[i] <= lower[i], gradient[i] > 0 { active[i] = true }
            if let upper, x[i] >= upper[i], gradient[i] < 0 { active[i] = true }
        }
        return active
    }

    /// Runs up to `limit` more iterations.
    @inlinable
    public mutating func run<F: DifferentiableObjective>(iterations limit: Int, objective: F) {
        run(iterations: limit) { objective.evaluate($0, gradient: &$1) }
    }

    @usableFromInline
    mutating func run(iterations limit: Int, _ objective: Evaluate) {
        var remaining = limit
        while remaining > 0, !finished {
            remaining -= 1
            iterate(objective)
        }
    }

    private mutating func iterate(_ objective: Evaluate) {
        let n = x.count
        let active = activeSet()
        var projected = gradient
        for i in 0..<n where active[i] { projected[i] = 0 }
        if projected.reduce(0, { max($0, abs($1)) }) <= gradientTolerance { finished = true; return }

        // Two-loop recursion: d = -H g on the free variables.
        var q = projected
        var alphas = [Double](repeating: 0, count: sHistory.count)
        for k in stride(from: sHistory.count - 1, through: 0, by: -1) {
            let a = rhoHistory[k] * dot(sHistory[k], q)
            alphas[k] = a
            axpy(-a, yHistory[k], &q)
        }
        if let s = sHistory.last, let y = yHistory.last {
            let gamma = dot(s, y) / dot(y, y)
            for i in 0..<n { q[i] *= gamma }
        }
        for k in 0..<sHistory.count {
            let b = rhoHistory[k] * dot(yHistory[k], q)
            axpy(alphas[k] - b, sHistory[k], &q)
        }
        var d = q.map { -$0 }
        for i in 0..<n where active[i] { d[i] = 0 }
        var slope = dot(projected, d)
        if !(slope < 0) {
            // Not a descent direction (curvature information went stale): restart on steepest descent.
            sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
            d = projected.map { -$0 }
            slope = dot(projected, d)
            guard slope < 0 else { finished = true; return }
        }

        var maxStep = Double.infinity
        for i in 0..<n where d[i] != 0 {
            if d[i] < 0, let lower { maxStep = min(maxStep, (lower[i] - x[i]) / d[i]) }
            if d[i] > 0, let upper { maxStep = min(maxStep, (upper[i] - x[i]) / d[i]) }
        }
        let dNorm = dot(d, d).squareRoot()
        var initial = sHistory.isEmpty ? min(1, 1 / max(dNorm, 1e-300)) : 1
        initial = min(initial, maxStep)
        guard initial > 0 else { finished = true; return }

        guard let accepted = lineSearch(objective, direction: d, slope: slope, initial: initial, maxStep: maxStep) else {
            finished = true
            return
        }
        var s = [Double](repeating: 0, count: n)
        var y = [Double](repeating: 0, count: n)
        var xNew = accepted.x
        if let lower { for i in 0..<n { xNew[i] = max(xNew[i], lower[i]) } }
        if let upper { for i in 0..<n { xNew[i] = min(xNew[i], upper[i]) } }
        for i in 0..<n {
            s[i] = xNew[i] - x[i]
            y[i] = accepted.gradient[i] - gradient[i]
        }
        let decrease = value - accepted.value
        x = xNew; value = accepted.value; gradient = accepted.gradient
        iterations += 1

        let sy = dot(s, y)
        if sy > 1e-12 * dot(y, y).squareRoot() * dot(s, s).squareRoot(), sy > 0 {
            if sHistory.count == memory { sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst() }
            sHistory.append(s); yHistory.append(y); rhoHistory.append(1 / sy)
        }
        if decrease <= relativeTolerance * max(abs(value), 1e-300) {
            stalls += 1
            if stalls >= 3 { finished = true }
        } else {
            stalls = 0
        }
    }

    private struct Trial { var t: Double; var value: Double; var slope: Double; var x: [Double]; var gradient: [Double] }

    private mutating func trial(_ objective: Evaluate, _ t: Double, _ d: [Double]) -> Trial {
        var xt = x
        axpy(t, d, &xt)
        var g = [Double](repeating: 0, count: x.count)
        var f = objective(xt, &g)
        evaluations += 1
        if !f.isFinite || !g.allSatisfy(\.isFinite) { f = .infinity }
        return Trial(t: t, value: f, slope: f.isFinite ? dot(g, d) : .infinity, x: xt, gradient: g)
    }

    /// Strong Wolfe line search (c1 = 1e-4, c2 = 0.9); nil when no acceptable decrease exists.
    private mutating func lineSearch(
        _ objective: Evaluate, direction d: [Double], slope: Double, initial: Double, maxStep: Double
    ) -> (x: [Double], value: Double, gradient: [Double])? {
        let c1 = 1e-4, c2 = 0.9
        let f0 = value
        var previous = Trial(t: 0, value: f0, slope: slope, x: x, gradient: gradient)
        var t = initial
        for i in 0..<40 {
            let cur = trial(objective, t, d)
            if cur.value > f0 + c1 * t * slope || (i > 0 && cur.value >= previous.value) {
                return zoom(objective, d, f0: f0, slope: slope, low: previous, high: cur)
            }
            if abs(cur.slope) <= -c2 * slope { return (cur.x, cur.value, cur.gradient) }
            if cur.slope >= 0 { return zoom(objective, d, f0: f0, slope: slope, low: cur, high: previous) }
            if t >= maxStep { return (cur.x, cur.value, cur.gradient) }
            previous = cur
            t = min(4 * t, maxStep)
        }
        return previous.t > 0 ? (previous.x, previous.value, previous.gradient) : nil
    }

    private mutating func zoom(
        _ objective: Evaluate, _ d: [Double], f0: Double, slope: Double, low: Trial, high: Trial
    ) -> (x: [Double], value: Double, gradient: [Double])? {
        let c1 = 1e-4, c2 = 0.9
        var lo = low, hi = high
        for _ in 0..<40 {
            var t = cubicMinimizer(lo, hi)
            let a = min(lo.t, hi.t), b = max(lo.t, hi.t)
            let margin = 0.1 * (b - a)
            if !t.isFinite || t < a + margin || t > b - margin { t = (a + b) / 2 }
            if b - a <= 1e-16 * max(1, b) { break }
            let cur = trial(objective, t, d)
            if cur.value > f0 + c1 * t * slope || cur.value >= lo.value {
                hi = cur
            } else {
                if abs(cur.slope) <= -c2 * slope { return (cur.x, cur.value, cur.gradient) }
                if cur.slope * (hi.t - lo.t) >= 0 { hi = lo }
                lo = cur
            }
        }
        return lo.t > 0 && lo.value < f0 ? (lo.x, lo.value, lo.gradient) : nil
    }

    /// Minimiser of the cubic interpolating value and slope at two trial steps.
    private func cubicMinimizer(_ p: Trial, _ q: Trial) -> Double {
        guard p.value.isFinite, q.value.isFinite, p.slope.isFinite, q.slope.isFinite else { return .nan }
        let d1 = p.slope + q.slope - 3 * (p.value - q.value) / (p.t - q.t)
        let disc = d1 * d1 - p.slope * q.slope
        guard disc >= 0 else { return .nan }
        let d2 = (q.t > p.t ? 1.0 : -1.0) * disc.squareRoot()
        return q.t - (q.t - p.t) * (q.slope + d2 - d1) / (q.slope - p.slope + 2 * d2)
    }
}

@inline(__always)
func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
}

@inline(__always)
func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
    for i in y.indices { y[i] += a * x[i] }
}
