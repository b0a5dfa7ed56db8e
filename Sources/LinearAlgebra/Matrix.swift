/// A dense matrix of `Double` in column-major order, the layout LAPACK expects.
public struct Matrix: Equatable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// Entries in column-major order: element (i, j) is at `i + j * rows`.
    public internal(set) var storage: [Double]

    /// A matrix of the given size filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix from row arrays (all of the same length), as written on paper.
    public init(rowMajor rowArrays: [[Double]]) throws(LinearAlgebraError) {
        let rows = rowArrays.count
        let columns = rowArrays.first?.count ?? 0
        guard rowArrays.allSatisfy({ $0.count == columns }) else {
            throw .dimensionMismatch(expected: columns, found: rowArrays.first { $0.count != columns }?.count ?? 0)
        }
        self.init(rows: rows, columns: columns)
        for i in 0..<rows { for j in 0..<columns { self[i, j] = rowArrays[i][j] } }
    }

    /// The identity matrix of size `n`.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// Element at row `i`, column `j` (both zero-based).
    public subscript(i: Int, j: Int) -> Double {
        get { storage[i + j * rows] }
        set { storage[i + j * rows] = newValue }
    }

    /// True when every entry is finite.
    public var isFinite: Bool { storage.allSatisfy(\.isFinite) }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t[j, i] = self[i, j] } }
        return t
    }
}
