import COpenBLAS
import Foundation

/// The Cholesky factorisation A = L Lᵀ of a symmetric positive definite matrix (LAPACK
/// `dpotrf`), kept so that solves, quadratic forms, the log-determinant and the inverse
/// reuse one factorisation. Only the lower triangle of A is read.
///
/// Used for Fisher information matrices in experimental design, where the same matrix
/// is asked for cᵀ A⁻¹ c, log det A and A⁻¹ many times.
public struct CholeskyFactorization: Sendable {
    /// The order n of the factored n x n matrix.
    public let order: Int
    /// L in column-major order (the strict upper triangle is zero).
    let lower: [Double]

    /// Factors `a`.
    ///
    /// - Throws: `.dimensionMismatch` unless `a` is square and not empty, `.nonFinite` for
    ///   NaN or infinite entries, `.notPositiveDefinite(order:)` with the order of the first
    ///   leading minor that is not positive (a singular or indefinite matrix).
    public init(_ a: Matrix) throws(LinearAlgebraError) {
        guard a.rows == a.columns else { throw .dimensionMismatch(expected: a.rows, found: a.columns) }
        guard a.rows > 0 else { throw .dimensionMismatch(expected: 1, found: 0) }
        guard a.isFinite else { throw .nonFinite }
        var uplo = CChar(UInt8(ascii: "L"))
        var n = Int32(a.rows), lda = Int32(a.rows), info: Int32 = 0
        var l = a.storage
        dpotrf_(&uplo, &n, &l, &lda, &info)
        if info > 0 { throw .notPositiveDefinite(order: Int(info)) }
        if info < 0 { throw .invalidArgument(info: Int(info)) }
        for j in 0..<a.rows { for i in 0..<j { l[i + j * a.rows] = 0 } }
        order = a.rows
        lower = l
    }

    /// The factor L as a matrix.
    public var factor: Matrix {
        var m = Matrix(rows: order, columns: order)
        m.storage = lower
        return m
    }

    /// ln det A = 2 Σ ln L_ii.
    public var logDeterminant: Double {
        var s = 0.0
        for i in 0..<order { s += Foundation.log(lower[i + i * order]) }
        return 2 * s
    }

    /// Solves A x = b (LAPACK `dpotrs`).
    ///
    /// - Throws: `.dimensionMismatch` when `b` has the wrong length, `.nonFinite` for NaN/inf.
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        try check(b)
        var uplo = CChar(UInt8(ascii: "L"))
        var n = Int32(order), nrhs: Int32 = 1, lda = Int32(order), ldb = Int32(order), info: Int32 = 0
        var x = b
        dpotrs_(&uplo, &n, &nrhs, lower, &lda, &x, &ldb, &info)
        if info != 0 { throw .invalidArgument(info: Int(info)) }
        return x
    }

    /// L⁻¹ b (BLAS `dtrsv`, forward substitution): the whitened vector, whose squared
    /// length is the quadratic form bᵀ A⁻¹ b.
    public func whiten(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        try check(b)
        var x = b
        cblas_dtrsv(CblasColMajor, CblasLower, CblasNoTrans, CblasNonUnit, Int32(order), lower, Int32(order), &x, 1)
        return x
    }

    /// L⁻¹ B for a matrix with `order` rows (BLAS `dtrsm`): every column whitened at once.
    public func whiten(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        guard b.rows == order else { throw .dimensionMismatch(expected: order, found: b.rows) }
        guard b.isFinite else { throw .nonFinite }
        var x = b
        if b.columns == 0 { return x }
        cblas_dtrsm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit,
                    Int32(order), Int32(b.columns), 1.0, lower, Int32(order), &x.storage, Int32(order))
        return x
    }

    /// The quadratic form bᵀ A⁻¹ b = |L⁻¹ b|², non-negative.
    public func inverseQuadraticForm(_ b: [Double]) throws(LinearAlgebraError) -> Double {
        let z = try whiten(b)
        return z.reduce(0) { $0 + $1 * $1 }
    }

    /// A⁻¹ with both triangles filled (LAPACK `dpotri`).
    public func inverse() throws(LinearAlgebraError) -> Matrix {
        var uplo = CChar(UInt8(ascii: "L"))
        var n = Int32(order), lda = Int32(order), info: Int32 = 0
        var a = lower
        dpotri_(&uplo, &n, &a, &lda, &info)
        if info > 0 { throw .singular(pivot: Int(info)) }
        if info < 0 { throw .invalidArgument(info: Int(info)) }
        var m = Matrix(rows: order, columns: order)
        for j in 0..<order {
            for i in j..<order {
                m[i, j] = a[i + j * order]
                m[j, i] = a[i + j * order]
            }
        }
        return m
    }

    private func check(_ b: [Double]) throws(LinearAlgebraError) {
        guard b.count == order else { throw .dimensionMismatch(expected: order, found: b.count) }
        guard b.allSatisfy(\.isFinite) else { throw .nonFinite }
    }
}

extension Matrix {
    /// The Cholesky factorisation of this symmetric positive definite matrix (lower triangle read).
    public func cholesky() throws(LinearAlgebraError) -> CholeskyFactorization {
        try CholeskyFactorization(self)
    }

    /// Aᵀ diag(w) A for this m x n matrix A and m non-negative weights (BLAS `dsyrk` on the
    /// rows scaled by √w): the n x n weighted Gram matrix, e.g. a Fisher information Σ w_i g_i g_iᵀ
    /// from Jacobian rows g_i.
    ///
    /// - Throws: `.dimensionMismatch` when `weights.count != rows`, `.nonFinite` for a NaN,
    ///   infinite or negative weight, or a non-finite entry.
    public func weightedGram(_ weights: [Double]) throws(LinearAlgebraError) -> Matrix {
        guard weights.count == rows else { throw .dimensionMismatch(expected: rows, found: weights.count) }
        guard isFinite, weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw .nonFinite }
        var scaled = self
        for j in 0..<columns { for i in 0..<rows { scaled.storage[i + j * rows] *= weights[i].squareRoot() } }
        var c = Matrix(rows: columns, columns: columns)
        if rows == 0 || columns == 0 { return c }
        cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, Int32(columns), Int32(rows),
                    1.0, scaled.storage, Int32(rows), 0.0, &c.storage, Int32(columns))
        for j in 0..<columns { for i in 0..<j { c.storage[i + j * columns] = c.storage[j + i * columns] } }
        return c
    }
}
