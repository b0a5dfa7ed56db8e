import Foundation
import Numerics
import PropertyBased
import Testing

/// `ConvexBound.over`: a lower bound on a convex function over an interval from four values.
@Suite("Convex bound")
struct ConvexBoundTests {
    /// A convex function: c0 exp(k x) + c1 (x - m)^2 + c2 x, infinite left of `edge`.
    struct Bowl {
        let c0, k, c1, m, c2, edge: Double
        func value(_ x: Double) -> Double {
            x < edge ? .infinity : c0 * Foundation.exp(k * x) + c1 * (x - m) * (x - m) + c2 * x
        }
    }

    /// Never above the function anywhere on the interval (sampled at 2,001 points), and
    /// within a second-order term of its least value when the interval is narrow.
    @Test func neverAboveTheFunctionAndTightOnNarrowIntervals() async {
        await propertyCheck(input: Gen.double(in: 0...3), Gen.double(in: -2...2), Gen.double(in: 0...2), Gen.double(in: -3...3),
                            Gen.double(in: -2...2), Gen.double(in: -3...3), Gen.double(in: 0.001...2)) { c0, k, c1, m, c2, a, w in
            let g = Bowl(c0: c0, k: k, c1: c1, m: m, c2: c2, edge: -.infinity)
            let bound = ConvexBound.over(a, a + w, g.value)
            let least = (0...2000).map { g.value(a + w * Double($0) / 2000) }.min()!
            #expect(bound <= least + 1e-12 * max(1, abs(least)), "bound \(bound) above the least value \(least)")
            // Both supporting lines are within (curvature) * (2w)^2 of g on the cell.
            let curvature = c0 * k * k * Foundation.exp(abs(k) * (abs(a) + 2 * w)) + 2 * c1
            #expect(bound >= least - curvature * 4 * w * w - 1e-9 * max(1, abs(least)))
        }
    }

    /// Where the function is infinite on the left of the interval, the bound uses the right
    /// end's line alone and still holds; infinite on the whole interval gives infinity.
    @Test func infiniteStretchesAreHandled() {
        let g = Bowl(c0: 0, k: 0, c1: 1, m: 0.5, c2: 0, edge: 0.3)
        let bound = ConvexBound.over(0.2, 0.4, g.value)
        let least = (0...2000).map { g.value(0.2 + 0.2 * Double($0) / 2000) }.min()!
        #expect(bound <= least)
        #expect(bound > -.infinity)
        #expect(ConvexBound.over(0.0, 0.1, g.value) == .infinity)
        // A line is exact: the bound is its least value on the interval.
        let line = Bowl(c0: 0, k: 0, c1: 0, m: 0, c2: -2, edge: -.infinity)
        #expect(abs(ConvexBound.over(1, 2, line.value) - line.value(2)) < 1e-12)
    }
}
