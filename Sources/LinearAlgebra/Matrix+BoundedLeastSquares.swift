/// The solution of a box-constrained least-squares problem and which bounds it rests on.
public struct BoundedLeastSquaresSolution: Equatable, Sendable {
    /// The minimiser x of |A x − b|² with lower ≤ x ≤ upper.
    public let x: [Double]
    /// For each variable, whether it rests on its lower bound (−1), its upper bound (+1), or
    /// is free (0).
    public let active: [Int]
    /// |A x − b|², the residual sum of squares at x.
    public let residualSumOfSquares: Double
}

extension Matrix {
    /// The largest number of columns `boundedLeastSquares` accepts: it enumerates 3ⁿ active sets.
    public static let boundedLeastSquaresMaxColumns = 8

    /// The minimiser of `|A x − b|²` subject to `lower ≤ x ≤ upper`, exactly.
    ///
    /// The problem is a convex quadratic programme over a box, so its minimum satisfies the KKT
    /// conditions with each variable either at a bound or free with a zero gradient; for every
    /// assignment of the n variables to {lower, free, upper} the free ones are found by
    /// ordinary least squares (LAPACK `dgels`) on the columns left after moving the fixed ones
    /// to the right-hand side, and the feasible candidate with the smallest residual wins
    /// (the active-set enumeration behind Lawson & Hanson's bounded-variable least squares,
    /// *Solving Least Squares Problems*, 1974, ch. 23, done exhaustively because n is small).
    /// Reduced problems that are rank deficient are skipped; a column the data cannot
    /// determine then rests on a bound. Ties within 1e-12 (relative) of the residual go to the
    /// candidate with more free variables, then the first in enumeration order, so the answer
    /// is deterministic.
    ///
    /// - Throws: `.dimensionMismatch` for sizes that do not agree, no columns, more than
    ///   `boundedLeastSquaresMaxColumns` columns; `.emptyBox` for a lower bound above its upper bound;
    ///   `.nonFinite` for NaN or infinite entries; `.singular(pivot: 0)` when no assignment
    ///   gives a full-rank reduced problem (only possible when every bound is infinite).
    public func boundedLeastSquares(_ b: [Double], lower: [Double], upper: [Double]) throws(LinearAlgebraError) -> BoundedLeastSquaresSolution {
        let n = columns
        guard b.count == rows else { throw .dimensionMismatch(expected: rows, found: b.count) }
        guard n > 0, n <= Self.boundedLeastSquaresMaxColumns else { throw .dimensionMismatch(expected: Self.boundedLeastSquaresMaxColumns, found: n) }
        guard lower.count == n else { throw .dimensionMismatch(expected: n, found: lower.count) }
        guard upper.count == n else { throw .dimensionMismatch(expected: n, found: upper.count) }
        guard isFinite, b.allSatisfy(\.isFinite), !lower.contains(where: \.isNaN), !upper.contains(where: \.isNaN) else { throw .nonFinite }
        for j in 0..<n where lower[j] > upper[j] { throw .emptyBox(variable: j) }

        var best: BoundedLeastSquaresSolution?
        var assignment = [Int](repeating: -1, count: n)
        var count = 1
        for _ in 0..<n { count *= 3 }
        for index in 0..<count {
            var k = index
            for j in 0..<n { assignment[j] = k % 3 - 1; k /= 3 }
            guard let candidate = try candidate(assignment, b, lower, upper) else { continue }
            if let current = best {
                let scale = max(current.residualSumOfSquares, candidate.residualSumOfSquares, .leastNormalMagnitude)
                let difference = (candidate.residualSumOfSquares - current.residualSumOfSquares) / scale
                let freer = candidate.active.filter { $0 == 0 }.count > current.active.filter { $0 == 0 }.count
                if difference < -1e-12 || (abs(difference) <= 1e-12 && freer) { best = candidate }
            } else {
                best = candidate
            }
        }
        guard let best else { throw .singular(pivot: 0) }
        return best
    }

    /// The candidate for one assignment (−1 lower, 0 free, +1 upper), or nil when a fixed
    /// bound is infinite, the reduced problem is rank deficient or underdetermined, or its
    /// free variables leave the box.
    private func candidate(_ assignment: [Int], _ b: [Double], _ lower: [Double], _ upper: [Double]) throws(LinearAlgebraError) -> BoundedLeastSquaresSolution? {
        let n = columns
        var x = [Double](repeating: 0, count: n)
        var free: [Int] = []
        for j in 0..<n {
            switch assignment[j] {
            case -1: x[j] = lower[j]
            case 1: x[j] = upper[j]
            default: free.append(j)
            }
            if assignment[j] != 0, !x[j].isFinite { return nil }
            if assignment[j] == 1, lower[j] == upper[j] { return nil }  // the same point as "lower"
        }
        var rhs = b
        for j in 0..<n where assignment[j] != 0 && x[j] != 0 {
            for i in 0..<rows { rhs[i] -= self[i, j] * x[j] }
        }
        if !free.isEmpty {
            guard free.count <= rows else { return nil }
            var reduced = Matrix(rows: rows, columns: free.count)
            for (k, j) in free.enumerated() { for i in 0..<rows { reduced[i, k] = self[i, j] } }
            let solved: [Double]
            do {
                solved = try reduced.leastSquares(rhs)
            } catch .singular {
                return nil
            }
            guard solved.allSatisfy(\.isFinite) else { return nil }
            for (k, j) in free.enumerated() {
                guard solved[k] >= lower[j], solved[k] <= upper[j] else { return nil }
                x[j] = solved[k]
            }
        }
        var rss = 0.0
        for i in 0..<rows {
            var r = -b[i]
            for j in 0..<n { r += self[i, j] * x[j] }
            rss += r * r
        }
        return BoundedLeastSquaresSolution(x: x, active: assignment, residualSumOfSquares: rss)
    }
}
