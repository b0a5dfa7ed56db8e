import COpenBLAS

extension Matrix {
    /// Solves `A x = b` for square `A` by LU factorisation with partial pivoting (LAPACK `dgesv`).
    ///
    /// - Throws: `.singular` when `A` has no inverse, `.nonFinite` for NaN/inf input,
    ///   `.dimensionMismatch` when `A` is not square or `b` has the wrong length.
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        try checkSquare(rhs: b)
        var n = Int32(rows), nrhs: Int32 = 1, lda = Int32(rows), ldb = Int32(rows), info: Int32 = 0
        var a = storage
        var x = b
        var pivots = [Int32](repeating: 0, count: rows)
        dgesv_(&n, &nrhs, &a, &lda, &pivots, &x, &ldb, &info)
        if info > 0 { throw .singular(pivot: Int(info)) }
        if info < 0 { throw .invalidArgument(info: Int(info)) }
        return x
    }

    /// Solves `A x = b` for symmetric positive definite `A` by Cholesky (LAPACK `dposv`).
    /// Only the lower triangle of `A` is read.
    ///
    /// - Throws: `.notPositiveDefinite` when the factorisation fails.
    public func solvePositiveDefinite(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        try checkSquare(rhs: b)
        var n = Int32(rows), nrhs: Int32 = 1, lda = Int32(rows), ldb = Int32(rows), info: Int32 = 0
        var uplo = CChar(UInt8(ascii: "L"))
        var a = storage
        var x = b
        dposv_(&uplo, &n, &nrhs, &a, &lda, &x, &ldb, &info)
        if info > 0 { throw .notPositiveDefinite(order: Int(info)) }
        if info < 0 { throw .invalidArgument(info: Int(info)) }
        return x
    }

    /// The least-squares solution of `min |A x - b|` for a tall, full-rank `A` (LAPACK `dgels`, QR).
    ///
    /// - Throws: `.singular` when `A` is rank deficient, `.dimensionMismatch` when
    ///   `b.count != rows` or `A` has more columns than rows.
    public func leastSquares(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        guard b.count == rows else { throw .dimensionMismatch(expected: rows, found: b.count) }
        guard columns <= rows, columns > 0 else { throw .dimensionMismatch(expected: rows, found: columns) }
        guard isFinite, b.allSatisfy(\.isFinite) else { throw .nonFinite }
        var trans = CChar(UInt8(ascii: "N"))
        var m = Int32(rows), n = Int32(columns), nrhs: Int32 = 1
        var lda = Int32(rows), ldb = Int32(rows), info: Int32 = 0
        var a = storage
        var x = b
        var lwork: Int32 = -1
        var query = 0.0
        dgels_(&trans, &m, &n, &nrhs, &a, &lda, &x, &ldb, &query, &lwork, &info)
        if info != 0 { throw .invalidArgument(info: Int(info)) }
        lwork = Int32(query)
        var work = [Double](repeating: 0, count: max(1, Int(lwork)))
        dgels_(&trans, &m, &n, &nrhs, &a, &lda, &x, &ldb, &work, &lwork, &info)
        if info > 0 { throw .singular(pivot: Int(info)) }
        if info < 0 { throw .invalidArgument(info: Int(info)) }
        return Array(x.prefix(columns))
    }

    /// Eigenvalues of a symmetric matrix in ascending order (LAPACK `dsyev`); reads the lower triangle.
    public func symmetricEigenvalues() throws(LinearAlgebraError) -> [Double] {
        guard rows == columns else { throw .dimensionMismatch(expected: rows, found: columns) }
        guard isFinite else { throw .nonFinite }
        if rows == 0 { return [] }
        var jobz = CChar(UInt8(ascii: "N")), uplo = CChar(UInt8(ascii: "L"))
        var n = Int32(rows), lda = Int32(rows), info: Int32 = 0, lwork: Int32 = -1
        var a = storage
        var w = [Double](repeating: 0, count: rows)
        var query = 0.0
        dsyev_(&jobz, &uplo, &n, &a, &lda, &w, &query, &lwork, &info)
        lwork = Int32(query)
        var work = [Double](repeating: 0, count: max(1, Int(lwork)))
        dsyev_(&jobz, &uplo, &n, &a, &lda, &w, &work, &lwork, &info)
        if info != 0 { throw info < 0 ? .invalidArgument(info: Int(info)) : .singular(pivot: Int(info)) }
        return w
    }

    /// The product `self * other` (BLAS `dgemm`).
    public func multiplied(by other: Matrix) throws(LinearAlgebraError) -> Matrix {
        guard columns == other.rows else { throw .dimensionMismatch(expected: columns, found: other.rows) }
        var c = Matrix(rows: rows, columns: other.columns)
        if rows == 0 || other.columns == 0 || columns == 0 { return c }
        cblas_dgemm(
            CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(other.columns), Int32(columns),
            1.0, storage, Int32(rows), other.storage, Int32(other.rows), 0.0, &c.storage, Int32(rows))
        return c
    }

    private func checkSquare(rhs b: [Double]) throws(LinearAlgebraError) {
        guard rows == columns else { throw .dimensionMismatch(expected: rows, found: columns) }
        guard b.count == rows else { throw .dimensionMismatch(expected: rows, found: b.count) }
        guard rows > 0 else { throw .dimensionMismatch(expected: 1, found: 0) }
        guard isFinite, b.allSatisfy(\.isFinite) else { throw .nonFinite }
    }
}
