import Foundation
import Numerics
import PropertyBased
import Testing

/// `ScalarSearch.minimize` with a lower bound against the full scan, on a smooth trend plus
/// steps (the shape of a plan's cost in ln N: training cost plus a fleet's replica counts).
@Suite("Scalar search")
struct ScalarSearchTests {
    /// A bowl of curvature `curve` around `centre`, plus steps of `height` every `width`,
    /// infinite left of `edge`.
    struct Staircase {
        let centre, curve, height, width, edge: Double
        func trend(_ x: Double) -> Double { 1 + curve * (x - centre) * (x - centre) }
        func value(_ x: Double) -> Double {
            x < edge ? .infinity : trend(x) + height * ((x / width).rounded(.down) + 1)
        }
        /// The trend alone plus the least step: below `value` wherever that is finite.
        func bound(_ x: Double) -> Double { x < edge ? .infinity : trend(x) + height * (x / width).rounded(.down) }
    }

    static let range = 0.0...10.0

    /// Visiting the scan in order of the bound and stopping early never misses the best
    /// scanned point: the answer is no worse than the least value on the full 241-point grid,
    /// found with fewer evaluations than the search without a bound makes.
    @Test func boundedScanIsNoWorseThanTheBestGridPointAndCheaper() async {
        await propertyCheck(input: Gen.double(in: 1...9), Gen.double(in: 0.01...2), Gen.double(in: 0...0.05),
                            Gen.double(in: 0.01...0.5), Gen.double(in: 0...5)) { centre, curve, height, width, edge in
            let s = Staircase(centre: centre, curve: curve, height: height, width: width, edge: edge)
            let grid = (0...240).map { Self.range.lowerBound + Double($0) * (Self.range.upperBound - Self.range.lowerBound) / 240 }
            let gridBest = grid.map(s.value).min()!
            var fullCalls = 0, boundedCalls = 0
            _ = ScalarSearch.minimize(in: Self.range, scanSteps: 240, tolerance: 1e-9) { fullCalls += 1; return s.value($0) }
            let bounded = ScalarSearch.minimize(in: Self.range, scanSteps: 240, tolerance: 1e-9, lowerBound: s.bound) {
                boundedCalls += 1; return s.value($0)
            }
            guard let bounded else { Issue.record("no answer"); return }
            #expect(s.value(bounded) <= gridBest * (1 + 1e-12), "bounded \(bounded) worse than the best grid point")
            #expect(boundedCalls < fullCalls)
        }
    }

    /// A minimum on the edge of the feasible set, between two scan points, is found to the
    /// tolerance (the bound turns finite there).
    @Test func minimumOnTheFeasibleEdgeIsFound() async {
        await propertyCheck(input: Gen.double(in: 0.5...9)) { edge in
            // Rising to the right of the edge: the best point is the edge itself.
            let s = Staircase(centre: -5, curve: 1, height: 0, width: 1, edge: edge)
            let x = ScalarSearch.minimize(in: Self.range, scanSteps: 240, tolerance: 1e-9, lowerBound: s.bound, s.value)
            #expect(x.map { $0 >= edge && $0 - edge <= 1e-8 } == true, "\(String(describing: x)) for an edge at \(edge)")
        }
    }
}
