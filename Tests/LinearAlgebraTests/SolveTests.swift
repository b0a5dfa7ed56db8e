import LinearAlgebra
import TestSupport
import Testing

/// These call OpenBLAS/LAPACK for real, so a broken install fails here.
@Suite("LAPACK through OpenBLAS")
struct SolveTests {
    @Test func generalSolve() throws {
        let a = try Matrix(rowMajor: [[2, 1, -1], [-3, -1, 2], [-2, 1, 2]])
        let x = try a.solve([8, -11, -3])
        for (got, want) in zip(x, [2.0, 3, -1]) { #expect(abs(got - want) < 1e-12) }
    }

    @Test func positiveDefiniteSolve() throws {
        let a = try Matrix(rowMajor: [[4, 2], [2, 3]])
        let x = try a.solvePositiveDefinite([2, 1])
        #expect(abs(x[0] - 0.5) < 1e-12 && abs(x[1]) < 1e-12)
        let indefinite = try Matrix(rowMajor: [[1, 2], [2, 1]])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) { try indefinite.solvePositiveDefinite([1, 1]) }
    }

    @Test func leastSquaresFitsALine() throws {
        // y = 1 + 2x exactly, plus one symmetric pair of perturbations that cancels.
        let xs = [0.0, 1, 2, 3, 4]
        let ys = [1.0, 3.1, 5, 6.9, 9]
        let a = try Matrix(rowMajor: xs.map { [1, $0] })
        let beta = try a.leastSquares(ys)
        #expect(abs(beta[0] - 1.04) < 1e-12)
        #expect(abs(beta[1] - 1.98) < 1e-12)
    }

    @Test func singularAndBadInputs() throws {
        let singular = try Matrix(rowMajor: [[1, 2], [2, 4]])
        #expect(throws: LinearAlgebraError.singular(pivot: 2)) { try singular.solve([1, 2]) }
        let nan = try Matrix(rowMajor: [[1, .nan], [0, 1]])
        #expect(throws: LinearAlgebraError.nonFinite) { try nan.solve([1, 2]) }
        #expect(throws: LinearAlgebraError.dimensionMismatch(expected: 2, found: 3)) { try singular.solve([1, 2, 3]) }
    }

    @Test func eigenvaluesAndProduct() throws {
        let a = try Matrix(rowMajor: [[2, 1], [1, 2]])
        let w = try a.symmetricEigenvalues()
        #expect(abs(w[0] - 1) < 1e-12 && abs(w[1] - 3) < 1e-12)
        let p = try a.multiplied(by: .identity(2))
        #expect(p == a)
    }
}
