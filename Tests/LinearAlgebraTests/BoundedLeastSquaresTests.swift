import LinearAlgebra
import TestSupport
import Testing

/// `Matrix.boundedLeastSquares` against hand-solved cases and, on random problems, against
/// the KKT conditions of a box-constrained least squares (checked from the gradient, not
/// from the enumeration) and a projected-gradient descent run independently.
@Suite("Bounded least squares")
struct BoundedLeastSquaresTests {
    @Test func aBoundThatBindsIsHeldAndReported() throws {
        // y = 2x exactly; with x ≤ 1 the minimiser is x = 1, on its upper bound.
        let a = try Matrix(rowMajor: [[1], [2], [3]])
        let s = try a.boundedLeastSquares([2, 4, 6], lower: [0], upper: [1])
        #expect(s.x == [1] && s.active == [1])
        #expect(abs(s.residualSumOfSquares - 14) < 1e-12)  // (1² + 2² + 3²) × (2 − 1)²
        let free = try a.boundedLeastSquares([2, 4, 6], lower: [0], upper: [5])
        #expect(abs(free.x[0] - 2) < 1e-12 && free.active == [0])
    }

    @Test func aColumnTheDataCannotTellApartRestsOnABound() throws {
        // Two equal columns: only x₁ + x₂ is determined; the best sum, 2, puts both on 1.
        let a = try Matrix(rowMajor: [[1, 1], [2, 2], [1, 1]])
        let s = try a.boundedLeastSquares([3, 6, 3], lower: [0, 0], upper: [1, 1])
        #expect(s.x == [1, 1] && s.active == [1, 1])
        // With room for the sum, one column stays free and the other on a bound.
        let t = try a.boundedLeastSquares([1.5, 3, 1.5], lower: [0, 0], upper: [1, 1])
        #expect(abs(t.x[0] + t.x[1] - 1.5) < 1e-12 && t.active.filter { $0 == 0 }.count == 1)
    }

    @Test func badArgumentsAreRefused() throws {
        let a = try Matrix(rowMajor: [[1, 0], [0, 1]])
        #expect(throws: LinearAlgebraError.emptyBox(variable: 1)) { try a.boundedLeastSquares([1, 1], lower: [0, 2], upper: [1, 1]) }
        #expect(throws: LinearAlgebraError.dimensionMismatch(expected: 2, found: 1)) { try a.boundedLeastSquares([1, 1], lower: [0], upper: [1, 1]) }
        #expect(throws: LinearAlgebraError.nonFinite) { try a.boundedLeastSquares([.nan, 1], lower: [0, 0], upper: [1, 1]) }
    }

    @Test(arguments: 0..<25)
    func randomProblemsMeetTheKKTConditions(seed: Int) throws {
        var random = SplitMix(state: UInt64(seed) &+ 0x9E37_79B9)
        let m = 6 + seed % 5, n = 1 + seed % 4
        var rows: [[Double]] = [], b: [Double] = []
        for _ in 0..<m {
            rows.append((0..<n).map { _ in random.nextUnit() * 2 - 1 })
            b.append(random.nextUnit() * 4 - 2)
        }
        let lower = (0..<n).map { _ in -random.nextUnit() * 0.5 }
        let upper = (0..<n).map { _ in random.nextUnit() * 0.5 }
        let a = try Matrix(rowMajor: rows)
        let s = try a.boundedLeastSquares(b, lower: lower, upper: upper)
        func gradient(_ x: [Double]) -> [Double] {
            var g = [Double](repeating: 0, count: n)
            for i in 0..<m {
                var r = -b[i]
                for j in 0..<n { r += rows[i][j] * x[j] }
                for j in 0..<n { g[j] += 2 * rows[i][j] * r }
            }
            return g
        }
        func objective(_ x: [Double]) -> Double {
            (0..<m).reduce(0) { sum, i in
                let r = (0..<n).reduce(-b[i]) { $0 + rows[i][$1] * x[$1] }
                return sum + r * r
            }
        }
        let g = gradient(s.x)
        for j in 0..<n {
            #expect(s.x[j] >= lower[j] && s.x[j] <= upper[j])
            if s.x[j] <= lower[j] { #expect(g[j] >= -1e-9, "at lower, gradient \(g[j])") }
            else if s.x[j] >= upper[j] { #expect(g[j] <= 1e-9, "at upper, gradient \(g[j])") }
            else { #expect(abs(g[j]) < 1e-9, "free, gradient \(g[j])") }
        }
        // Projected gradient descent from the box's centre, step 1 / (2 ‖A‖²_F).
        let step = 1 / (2 * rows.flatMap { $0 }.reduce(0) { $0 + $1 * $1 })
        var x = zip(lower, upper).map { ($0 + $1) / 2 }
        for _ in 0..<20_000 {
            let gx = gradient(x)
            for j in 0..<n { x[j] = min(upper[j], max(lower[j], x[j] - step * gx[j])) }
        }
        #expect(s.residualSumOfSquares <= objective(x) + 1e-9)
        #expect(abs(s.residualSumOfSquares - objective(s.x)) < 1e-9)
    }
}

/// SplitMix64 (Steele, Lea & Flood, OOPSLA 2014): a small seeded generator for the random problems.
private struct SplitMix {
    var state: UInt64
    mutating func nextUnit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
