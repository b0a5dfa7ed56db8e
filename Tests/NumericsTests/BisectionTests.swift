import Foundation
import Numerics
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
}
