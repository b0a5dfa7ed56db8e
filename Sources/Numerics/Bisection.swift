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
}
