import Foundation
import LinearAlgebra
import TestSupport
import Testing

/// Cholesky through LAPACK, checked against hand factorisations and independent identities.
@Suite("Cholesky factorisation")
struct CholeskyTests {
    /// A = L Lᵀ with L = [[2,0,0],[1,3,0],[-1,2,4]] chosen by hand, so A is known exactly.
    static let l = try! Matrix(rowMajor: [[2, 0, 0], [1, 3, 0], [-1, 2, 4]])
    static let a = try! Matrix(rowMajor: [[4, 2, -2], [2, 10, 5], [-2, 5, 21]])

    @Test func factorMatchesTheHandFactor() throws {
        let f = try Self.a.cholesky()
        for i in 0..<3 { for j in 0..<3 { #expect(abs(f.factor[i, j] - Self.l[i, j]) < 1e-13, "(\(i),\(j))") } }
        // det A = (2 * 3 * 4)^2 = 576.
        #expect(abs(f.logDeterminant - Foundation.log(576)) < 1e-13)
    }

    @Test func solveInverseAndQuadraticFormAgree() throws {
        let f = try Self.a.cholesky()
        let b = [1.0, -2, 3]
        let x = try f.solve(b)
        let general = try Self.a.solve(b)
        for (p, q) in zip(x, general) { #expect(abs(p - q) < 1e-13) }
        let inv = try f.inverse()
        let product = try inv.multiplied(by: Self.a)
        for i in 0..<3 { for j in 0..<3 { #expect(abs(product[i, j] - (i == j ? 1 : 0)) < 1e-13) } }
        #expect(inv[0, 2] == inv[2, 0])
        // bᵀ A⁻¹ b computed two ways: through L⁻¹ b and through the solve.
        let q = try f.inverseQuadraticForm(b)
        let direct = zip(b, x).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(q - direct) < 1e-13)
        // Whitening a matrix whitens each column.
        let cols = try Matrix(rowMajor: [[1, 0], [-2, 1], [3, 5]])
        let w = try f.whiten(cols)
        let w0 = try f.whiten([1, -2, 3]), w1 = try f.whiten([0, 1, 5])
        for i in 0..<3 { #expect(abs(w[i, 0] - w0[i]) < 1e-14 && abs(w[i, 1] - w1[i]) < 1e-14) }
    }

    @Test func rejectsIndefiniteSingularAndBadInput() throws {
        let indefinite = try Matrix(rowMajor: [[1, 2], [2, 1]])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) { try indefinite.cholesky() }
        let singular = try Matrix(rowMajor: [[1, 1], [1, 1]])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) { try singular.cholesky() }
        let nan = try Matrix(rowMajor: [[1, .nan], [.nan, 1]])
        #expect(throws: LinearAlgebraError.nonFinite) { try nan.cholesky() }
        #expect(throws: LinearAlgebraError.dimensionMismatch(expected: 2, found: 3)) { try Matrix(rows: 2, columns: 3).cholesky() }
        let f = try Self.a.cholesky()
        #expect(throws: LinearAlgebraError.dimensionMismatch(expected: 3, found: 2)) { try f.solve([1, 2]) }
    }

    @Test func weightedGramMatchesTheSum() throws {
        let g = try Matrix(rowMajor: [[1, 2, 0.5], [0, -1, 3], [2, 2, 2], [1, 0, -4]])
        let w = [0.5, 2, 0, 1.5]
        let m = try g.weightedGram(w)
        for i in 0..<3 {
            for j in 0..<3 {
                let want = (0..<4).reduce(0.0) { $0 + w[$1] * g[$1, i] * g[$1, j] }
                #expect(abs(m[i, j] - want) < 1e-13, "(\(i),\(j))")
            }
        }
        #expect(throws: LinearAlgebraError.nonFinite) { try g.weightedGram([1, -1, 1, 1]) }
        #expect(throws: LinearAlgebraError.dimensionMismatch(expected: 4, found: 3)) { try g.weightedGram([1, 1, 1]) }
    }
}
