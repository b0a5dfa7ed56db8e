import Foundation
import Numerics
import PropertyBased
import Testing

@Suite("Bisection")
struct BisectionTests {
    struct Stop: Error, Equatable { let at: Double }

    @Test func narrowsToTheBoundaryFromEitherSide() {
        let up = Bisection.boundary(holds: 0, fails: 2, tolerance: 1e-12) { $0 * $0 <= 2 }
        #expect(up.holds * up.holds <= 2 && up.fails * up.fails > 2)
        #expect(abs(up.holds - 2.0.squareRoot()) <= 1e-12 && abs(up.fails - up.holds) <= 1e-12)
        // The predicate holding above the boundary: the bracket comes in the other order.
        let down = Bisection.boundary(holds: 10, fails: 0, tolerance: 1e-9) { log($0) >= 1 }
        #expect(abs(down.holds - exp(1)) <= 1e-9 && down.holds >= exp(1) && down.fails < exp(1))
    }

    @Test func aToleranceBelowTheSpacingOfDoublesStillEnds() {
        var calls = 0
        let r = Bisection.boundary(holds: 1, fails: 2, tolerance: 0, maxSteps: 80) { x in calls += 1; return x < 1.5 }
        #expect(calls <= 80)
        #expect(r.holds < 1.5 && r.fails >= 1.5 && r.fails.nextDown <= r.holds)
    }

    @Test func theFirstErrorStopsTheSearch() {
        var calls = 0
        #expect(throws: Stop(at: 0.5)) {
            _ = try Bisection.boundary(holds: 0, fails: 1, tolerance: 1e-12) { (x: Double) throws(Stop) -> Bool in
                calls += 1
                if x == 0.5 { throw Stop(at: x) }
                return true
            }
        }
        #expect(calls == 1)
    }

    @Test func scalarSearchStopsAtTheFirstError() {
        var calls = 0
        #expect(throws: Stop(at: 3)) {
            _ = try ScalarSearch.minimize(in: 0...10, scanSteps: 10, tolerance: 1e-6) { (x: Double) throws(Stop) -> Double in
                calls += 1
                if x == 3 { throw Stop(at: x) }
                return (x - 7) * (x - 7)
            }
        }
        #expect(calls == 4, "the scan evaluates 0, 1, 2, 3 in order and stops at 3")
    }

    /// The level-set bisection returns the plain bisection's bracket bit for bit on monotone
    /// functions, rising or falling, smooth or with a kink and a flat stretch, with the
    /// ends in either order, and evaluates the function fewer times on the smooth ones.
    @Test func levelBisectionMatchesThePlainBisectionExactly() async {
        await propertyCheck(input: Gen.double(in: -3...3), Gen.double(in: 0.1...4), Gen.double(in: -0.9...0.9), Gen.int(in: 0...3)) {
            scale, power, level, shape in
            // Monotone rising on [-1, 1], through `level` somewhere inside.
            func f(_ x: Double) -> Double {
                switch shape {
                case 0: return exp(abs(scale) * x) - exp(abs(scale) * level)   // smooth (flat when scale is near 0)
                case 1: return x < level ? -pow(level - x, power) : pow(x - level, power)   // kink of any order
                case 2: return max(x, level - 0.3) - level                   // flat on the holding side
                // Wiggly with small upward steps, still rising (the slope is at least 0.7).
                default: return x - level + 0.1 * (sin(3 * x) - sin(3 * level)) + 1e-3 * (x.rounded(.down) - level.rounded(.down))
                }
            }
            guard f(-1) <= 0, f(1) > 0 else { return }
            let plain = Bisection.boundary(holds: -1, fails: 1, tolerance: 1e-12, maxSteps: .max) { f($0) <= 0 }
            var calls = 0
            let found = Bisection.levelBoundary(holds: -1, fails: 1, tolerance: 1e-12, maxSteps: .max) { calls += 1; return f($0) }
            #expect(found.holds == plain.holds && found.fails == plain.fails, "shape \(shape): \(found) against \(plain)")
            // The plain bisection takes 41 halvings from a width of 2 to 1e-12.
            if shape == 0, abs(scale) > 0.1 { #expect(calls < 20, "\(calls) evaluations on a smooth function") }
            // Falling: the same with the ends swapped (f(-x) holds on the right).
            let plainFalling = Bisection.boundary(holds: 1, fails: -1, tolerance: 1e-9) { f(-$0) <= 0 }
            let falling = Bisection.levelBoundary(holds: 1, fails: -1, tolerance: 1e-9) { f(-$0) }
            #expect(falling.holds == plainFalling.holds && falling.fails == plainFalling.fails)
        }
    }

    /// Ends that do not bracket the level (or are not finite) fall back to the plain steps,
    /// evaluating every midpoint, and still agree with the plain bisection.
    @Test func levelBisectionWithoutABracketTakesThePlainSteps() {
        for f in [{ (x: Double) in x - 0.3 }, { (x: Double) in x < 0.9 ? x - 0.3 : .infinity }, { (x: Double) in x > 0.99 ? .nan : x - 0.3 }] {
            // At the ends: f(1) is infinite or NaN for the last two, so no regula falsi.
            let plain = Bisection.boundary(holds: 0, fails: 1, tolerance: 1e-10) { f($0) <= 0 }
            let level = Bisection.levelBoundary(holds: 0, fails: 1, tolerance: 1e-10, f)
            #expect(level.holds == plain.holds && level.fails == plain.fails)
        }
        // maxSteps stops both after the same halvings.
        let plain = Bisection.boundary(holds: 0, fails: 1, tolerance: 0, maxSteps: 7) { $0 <= 0.123 }
        let level = Bisection.levelBoundary(holds: 0, fails: 1, tolerance: 0, maxSteps: 7) { $0 - 0.123 }
        #expect(level.holds == plain.holds && level.fails == plain.fails)
    }

    /// Not monotone: f is 0 at 0.3 and rises through it, but is +1 just below it. The regula
    /// falsi lands on 0.3 and the replayed steps would then end on an inferred point in the
    /// bump; that point is checked, and the plain bisection's bracket comes back instead, so
    /// the returned end still satisfies the predicate.
    @Test func anInferredEndThatFailsFallsBackToThePlainBisection() {
        func f(_ x: Double) -> Double { x < 0.3 && x > 0.3 - 1e-6 ? 1 : x - 0.3 }
        let plain = Bisection.boundary(holds: 0, fails: 1, tolerance: 1e-12, maxSteps: .max) { f($0) <= 0 }
        let found = Bisection.levelBoundary(holds: 0, fails: 1, tolerance: 1e-12, maxSteps: .max, f)
        #expect(f(found.holds) <= 0)
        #expect(found.holds == plain.holds && found.fails == plain.fails)
    }
}
