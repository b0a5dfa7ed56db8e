import Foundation
import GLPK
import LinearAlgebra
import Numerics
import PlanModel
import ScalingLaws

extension ConvexProgram {
    /// Log-space violation of constraint `c` at (x, y): ln(f - c) - ln(b - c); <= 0 when satisfied.
    func violation(_ c: Constraint, _ x: Double, _ y: Double) -> Double {
        c.function.logVariable(x: x, y: y).value - Foundation.log(c.bound - c.function.constant)
    }

    /// True when (x, y) satisfies every constraint to `slack` (log space) and lies in the box.
    func isFeasible(_ x: Double, _ y: Double, slack: Double = 1e-12) -> Bool {
        let tiny = 1e-12
        guard x >= xRange.lowerBound - tiny, x <= xRange.upperBound + tiny,
              y - x >= ratioRange.lowerBound - tiny, y - x <= ratioRange.upperBound + tiny else { return false }
        return constraints.allSatisfy { $0.function.terms.isEmpty || violation($0, x, y) <= slack }
    }

    /// Moves the outer-approximation point onto its active constraints exactly.
    ///
    /// One active constraint: minimise the objective along the curve where it is tight (y
    /// solved from it for each x, golden-section search in x). Two: solve both as equations
    /// by Newton's method (LAPACK for the 2 x 2 step). A box bound that is active fixes x or
    /// y - x instead. The polished point is kept only if it is feasible and its objective is
    /// within 1e-5 (log space) of the LP point's, which lies just outside the feasible set
    /// and so slightly below the optimum; otherwise the LP point is returned.
    func polish(x x0: Double, y y0: Double) -> (x: Double, y: Double) {
        let active = constraints.filter { !$0.function.terms.isEmpty && violation($0, x0, y0) > -1e-7 }
        let xAtBound = abs(x0 - xRange.lowerBound) < 1e-9 || abs(x0 - xRange.upperBound) < 1e-9
        let ratioAtBound = abs(y0 - x0 - ratioRange.lowerBound) < 1e-9 || abs(y0 - x0 - ratioRange.upperBound) < 1e-9
        var candidate: (Double, Double)?
        switch (active.count, xAtBound, ratioAtBound) {
        case (0, _, _):
            return (x0, y0)
        case (1, true, false):
            candidate = solveY(active[0], x: x0).map { (x0, $0) }
        case (1, false, true):
            let m = y0 - x0
            candidate = root({ x in violation(active[0], x, x + m) }, near: x0).map { ($0, $0 + m) }
        case (1, false, false):
            candidate = alongCurve(active[0], x0: x0, y0: y0)
        case (2, false, false):
            candidate = newton(active[0], active[1], x0, y0)
        default:
            candidate = nil
        }
        guard let (x, y) = candidate, isFeasible(x, y, slack: 1e-12),
              objective.logVariable(x: x, y: y).value <= objective.logVariable(x: x0, y: y0).value + 1e-5
        else { return (x0, y0) }
        return (x, y)
    }

    /// y with constraint c tight at x, if c depends on y.
    private func solveY(_ c: Constraint, x: Double) -> Double? {
        guard c.function.terms.contains(where: { $0.b != 0 }) else { return nil }
        return root({ y in violation(c, x, y) }, near: x + (ratioRange.lowerBound + ratioRange.upperBound) / 2)
    }

    private func alongCurve(_ c: Constraint, x0: Double, y0: Double) -> (Double, Double)? {
        guard c.function.terms.contains(where: { $0.b != 0 }) else { return nil }
        let lo = max(xRange.lowerBound, x0 - 0.2), hi = min(xRange.upperBound, x0 + 0.2)
        func cost(_ x: Double) -> Double {
            guard let y = solveY(c, x: x), isFeasible(x, y, slack: 1e-12) else { return .infinity }
            return objective.logVariable(x: x, y: y).value
        }
        guard let x = ScalarSearch.minimize(in: lo...hi, scanSteps: 0, tolerance: 1e-13, cost) else { return nil }
        return solveY(c, x: x).map { (x, $0) }
    }

    private func newton(_ c1: Constraint, _ c2: Constraint, _ x0: Double, _ y0: Double) -> (Double, Double)? {
        var x = x0, y = y0
        for _ in 0..<50 {
            let g1 = c1.function.logVariable(x: x, y: y), g2 = c2.function.logVariable(x: x, y: y)
            let r = [g1.value - Foundation.log(c1.bound - c1.function.constant), g2.value - Foundation.log(c2.bound - c2.function.constant)]
            if abs(r[0]) < 1e-14 && abs(r[1]) < 1e-14 { break }
            guard let jacobian = try? Matrix(rowMajor: [[g1.dx, g1.dy], [g2.dx, g2.dy]]),
                  let step = try? jacobian.solve(r.map { -$0 }) else { return nil }
            x += step[0]; y += step[1]
        }
        return (x, y)
    }

    /// A root of an increasing or decreasing function by bisection on a wide bracket.
    private func root(_ h: (Double) -> Double, near guess: Double) -> Double? {
        var lo = guess - 60, hi = guess + 60
        var hlo = h(lo), hhi = h(hi)
        guard hlo.isFinite, hhi.isFinite, hlo * hhi <= 0 else { return nil }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            let hm = h(mid)
            if hm == 0 { return mid }
            if (hm > 0) == (hhi > 0) { hi = mid; hhi = hm } else { lo = mid; hlo = hm }
            if hi - lo < 1e-15 * max(1, abs(mid)) { break }
        }
        // Return the side that satisfies the constraint (h <= 0).
        return hlo <= 0 ? lo : hi
    }
}
