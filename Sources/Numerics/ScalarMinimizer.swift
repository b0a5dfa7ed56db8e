import Foundation

/// One-dimensional minimisation on an interval, shared by the laws and the planner.
public enum ScalarSearch {
    /// Minimises `f` on `range`: a scan of `scanSteps + 1` evenly spaced points finds the best
    /// grid cell (robust to several local minima at the scan's resolution), then golden-section
    /// search narrows that cell (or, with `scanSteps == 0`, the whole range) until it is at most
    /// `tolerance` wide (at most 200 steps). Non-finite values count as worse than any finite
    /// one. Returns the better of the final midpoint and the best scanned point; nil when `f`
    /// is not finite at any scanned point.
    ///
    /// `lowerBound`, when given, must never exceed `f` (and be infinite only where `f` is): the
    /// scan then visits its points in increasing order of the bound and stops evaluating `f`
    /// once the bound passes the best value found, which picks the same cell as the full scan
    /// with fewer evaluations of an expensive `f`.
    ///
    /// Other places are tried too, and the best answer returned: the cell where the bound is
    /// least (where `f` is a trend plus steps and the bound follows the trend, the scanned
    /// values carry up to a step of noise, so the best scanned cell can miss the trend's
    /// minimum), and every place between two scan points where `f` may undercut the best
    /// scanned value on one side and not the other (a minimum on the edge of the feasible set,
    /// or just past a drop): with a bound, the point where the bound crosses that value, to
    /// `tolerance` by bisection; without, where `f` turns finite, that cell narrowed.
    ///
    /// `f` may throw: the search stops at the first error and throws it.
    @inlinable
    public static func minimize<E: Error>(in range: ClosedRange<Double>, scanSteps: Int, tolerance: Double,
                                          lowerBound: ((Double) -> Double)? = nil, _ f: (Double) throws(E) -> Double) throws(E) -> Double? {
        func value(_ x: Double) throws(E) -> Double { let v = try f(x); return v.isFinite ? v : .infinity }
        guard scanSteps > 0 else { return try narrow(range.lowerBound, range.upperBound, tolerance, value).x }
        let h = (range.upperBound - range.lowerBound) / Double(scanSteps)
        let xs = (0...scanSteps).map { range.lowerBound + Double($0) * h }
        var values = [Double](repeating: .infinity, count: xs.count)
        var leastBound: Int?
        var bounds: [Double] = []
        if let lowerBound {
            bounds = xs.map { x -> Double in let v = lowerBound(x); return v.isNaN ? -.infinity : v }
            var best = Double.infinity
            // Bounds within 1e-9 of the best are evaluated too, so rounding in a bound that
            // is tight cannot hide a tie for the best point.
            let order = xs.indices.sorted(by: { (bounds[$0], $0) < (bounds[$1], $1) })
            leastBound = order.first.flatMap { bounds[$0] < .infinity ? $0 : nil }
            for i in order {
                if bounds[i] == .infinity || bounds[i] > best + 1e-9 * abs(best) { break }
                values[i] = try value(xs[i])
                best = min(best, values[i])
            }
        } else {
            for i in xs.indices { values[i] = try value(xs[i]) }
        }
        // The first of the least values, as a scan in increasing x would find.
        var bestIndex = -1
        var bestValue = Double.infinity
        for i in xs.indices where values[i] < bestValue { bestValue = values[i]; bestIndex = i }
        guard bestIndex >= 0 else { return nil }
        var best = (x: xs[bestIndex], v: bestValue)
        var cells = [bestIndex]
        if let j = leastBound, abs(j - bestIndex) > 1 { cells.append(j) }
        for (k, i) in cells.enumerated() {
            let mid = try narrow(xs[max(i - 1, 0)], xs[min(i + 1, scanSteps)], tolerance, value)
            // The best scanned point keeps its place only if strictly better than the first
            // cell's answer, and a second cell's answer must be strictly better to replace it.
            if mid.v.isFinite && (k == 0 ? mid.v <= best.v : mid.v < best.v) { best = mid }
        }
        // Where f may undercut the best scanned value on one side of two neighbouring scan
        // points and not on the other, a minimum can sit between them, on the edge of the
        // feasible set or just past a drop of f (a bound that holds only from some x on, a
        // cheaper configuration from some x on). With a bound: where the bound falls below the
        // best scanned value, or turns infinite, found by bisection on the bound alone, f
        // evaluated there. Without: where f turns finite or infinite, that cell narrowed.
        let promising = lowerBound == nil ? values.map { $0 < .infinity } : bounds.map { $0 <= bestValue }
        // Crossings where the bound rises past the best value but stays finite are left out:
        // there the bound, and so f, is about the best value already.
        for i in 1..<xs.count where promising[i - 1] != promising[i] && (promising[i] || lowerBound == nil || bounds[i] == .infinity) {
            let candidate: (x: Double, v: Double)
            if let lowerBound {
                let edge = Bisection.boundary(holds: promising[i] ? xs[i] : xs[i - 1], fails: promising[i] ? xs[i - 1] : xs[i],
                                              tolerance: tolerance, maxSteps: .max) { lowerBound($0) <= bestValue }
                candidate = (edge.holds, try value(edge.holds))
            } else {
                candidate = try narrow(xs[i - 1], xs[i], tolerance, value)
            }
            if candidate.v < best.v { best = candidate }
        }
        return best.x
    }

    /// Golden-section search on [a, b] to `tolerance`: the best point it evaluated (the final
    /// midpoint among them) and `f` there. Where f jumps, the final interval straddles the
    /// jump and its midpoint may lie on the dear side, so the best evaluated point is kept.
    @inlinable
    static func narrow<E: Error>(_ a: Double, _ b: Double, _ tolerance: Double,
                                         _ f: (Double) throws(E) -> Double) throws(E) -> (x: Double, v: Double) {
        var a = a, b = b
        var best = (x: Double.nan, v: Double.infinity)
        func value(_ x: Double) throws(E) -> Double {
            let v = try f(x)
            if v < best.v || best.x.isNaN { best = (x, v) }
            return v
        }
        let r = (5.0.squareRoot() - 1) / 2
        var x1 = b - r * (b - a), x2 = a + r * (b - a)
        var f1 = try value(x1), f2 = try value(x2)
        for _ in 0..<200 where b - a > tolerance {
            if f1 <= f2 { b = x2; x2 = x1; f2 = f1; x1 = b - r * (b - a); f1 = try value(x1) }
            else { a = x1; x1 = x2; f1 = f2; x2 = a + r * (b - a); f2 = try value(x2) }
        }
        let mid = (a + b) / 2
        let v = try f(mid)
        return v <= best.v ? (mid, v) : best
    }
}

extension ScalarSearch {
    /// Where `f` stops falling on `range`: its upper end when `f` still falls there (a step of
    /// 1e-6 relative back from it gives a value no lower), otherwise the minimiser of `f` by a
    /// 60-step scan and golden-section search to 1e-12. For functions that fall, then rise
    /// (a served loss in ln D past which more data hurts).
    public static func endOfDescent(in range: ClosedRange<Double>, _ f: (Double) -> Double) -> Double {
        let hi = range.upperBound
        guard hi > range.lowerBound else { return hi }
        if f(hi) <= f(hi - 1e-6 * max(1, abs(hi))) { return hi }
        return minimize(in: range, scanSteps: 60, tolerance: 1e-12, f) ?? hi
    }
}
