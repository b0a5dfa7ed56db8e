/// Bisection on a predicate that holds on one side of a boundary and fails on the other:
/// the one root-bracketing helper the laws, the hardware model, the planner and downscaling share.
public enum Bisection {
    /// The bracket [holds, fails] narrowed by halving until the two ends are at most
    /// `tolerance` apart (or `maxSteps` halvings are done, so a tolerance below the spacing of
    /// doubles cannot loop forever). `predicate` must hold at `holds` and fail at `fails`; the
    /// ends may come in either order. Each step evaluates the midpoint (holds + fails) / 2 and
    /// moves the end it agrees with, so `holds` always satisfies the predicate and `fails` never.
    ///
    /// - Returns: the final ends: `holds`, the last point found where the predicate holds, and
    ///   `fails`, the nearest point found where it fails.
    /// - Throws: the first error `predicate` throws; the search stops there.
    @inlinable
    public static func boundary<E: Error>(holds: Double, fails: Double, tolerance: Double, maxSteps: Int = 400,
                                          _ predicate: (Double) throws(E) -> Bool) throws(E) -> (holds: Double, fails: Double) {
        var holds = holds, fails = fails
        var steps = 0
        while abs(holds - fails) > tolerance && steps < maxSteps {
            let mid = (holds + fails) / 2
            if try predicate(mid) { holds = mid } else { fails = mid }
            steps += 1
        }
        return (holds, fails)
    }

    /// `boundary(holds:fails:tolerance:maxSteps:)` on the predicate f(x) <= 0 for a function
    /// that is monotone between the ends, with fewer evaluations of f: the same bracket,
    /// bit for bit, as the plain bisection.
    ///
    /// The Illinois variant of regula falsi (Dowell and Jarratt, BIT 11, 1971) first narrows a
    /// bracket known to hold at one end and fail at the other, for at most `falsiSteps` steps;
    /// the bisection is then replayed from the original ends, and a midpoint is evaluated only
    /// when it lies strictly inside that bracket: by monotonicity, f holds on the holding side
    /// of a point where it holds and fails on the failing side of a point where it fails, so
    /// every other midpoint takes the step the plain bisection would take. For a smooth f the
    /// root is found in a handful of evaluations where the bisection needs one per halving (40
    /// for a bracket of width 1 to 1e-12).
    ///
    /// `f` must be at most 0 at `holds` and above 0 at `fails` (either order). A `holds` end
    /// found by inference is checked: should f not be monotone and exceed 0 there, the plain
    /// bisection's bracket is returned instead.
    public static func levelBoundary(holds: Double, fails: Double, tolerance: Double, maxSteps: Int = 400, falsiSteps: Int = 16,
                                     _ f: (Double) -> Double) -> (holds: Double, fails: Double) {
        // Regula falsi needs f's values at the ends; evaluated once, and only when finite.
        var known = (holds: holds, fails: fails)
        let atHolds = f(holds), atFails = f(fails)
        if atHolds.isFinite, atFails.isFinite, atHolds <= 0, atFails > 0 {
            var (h, fh, g, fg) = (holds, atHolds, fails, atFails)
            var side = 0
            for _ in 0..<falsiSteps where abs(h - g) > tolerance {
                // The secant's root, kept at least half the tolerance inside the bracket: once
                // one end sits on the root, a point just past it closes the other end.
                let toward: Double = g > h ? 1 : -1, margin = tolerance / 2
                var c = (h * fg - g * fh) / (fg - fh)
                if !c.isFinite || (c - h) * toward < margin {
                    c = h + toward * margin
                } else if (g - c) * toward < margin {
                    c = g - toward * margin
                }
                guard (c - h) * (c - g) < 0 else { break }
                let fc = f(c)
                guard !fc.isNaN else { break }
                if fc <= 0 {
                    (h, fh) = (c, fc)
                    if side == -1 { fg /= 2 }
                    side = -1
                } else {
                    (g, fg) = (c, fc)
                    if side == 1 { fh /= 2 }
                    side = 1
                }
            }
            known = (h, g)
        }
        // The plain bisection's steps, evaluating only midpoints strictly between the points
        // already known to hold and to fail.
        let direction: Double = fails > holds ? 1 : -1
        var a = holds, b = fails
        var aEvaluated = true
        var steps = 0
        while abs(a - b) > tolerance && steps < maxSteps {
            let mid = (a + b) / 2
            let holdsThere: Bool
            var evaluated = false
            if (mid - known.holds) * direction <= 0 {
                holdsThere = true
            } else if (mid - known.fails) * direction >= 0 {
                holdsThere = false
            } else {
                holdsThere = f(mid) <= 0
                evaluated = true
                if holdsThere { known.holds = mid } else { known.fails = mid }
            }
            if holdsThere { (a, aEvaluated) = (mid, evaluated) } else { b = mid }
            steps += 1
        }
        // Where f is not monotone after all, an inferred end may not hold: then the plain
        // bisection, so that the returned `holds` always satisfies f(holds) <= 0 as its does.
        if !aEvaluated, !(f(a) <= 0) {
            return boundary(holds: holds, fails: fails, tolerance: tolerance, maxSteps: maxSteps) { f($0) <= 0 }
        }
        return (a, b)
    }
}
