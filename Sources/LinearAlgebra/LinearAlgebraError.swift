/// Why a dense linear-algebra routine could not produce an answer.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The matrix is singular: LAPACK found a zero pivot at this (one-based) position.
    case singular(pivot: Int)
    /// The matrix is not positive definite: the leading minor of this order is not positive.
    case notPositiveDefinite(order: Int)
    /// Sizes do not agree.
    case dimensionMismatch(expected: Int, found: Int)
    /// An input entry is NaN or infinite.
    case nonFinite
    /// LAPACK rejected an argument (its INFO code, negative).
    case invalidArgument(info: Int)
    /// A lower bound lies above its upper bound (zero-based variable index).
    case emptyBox(variable: Int)

    public var description: String {
        switch self {
        case .singular(let pivot): "the matrix is singular (zero pivot at position \(pivot))"
        case .notPositiveDefinite(let order): "the matrix is not positive definite (leading minor of order \(order))"
        case .dimensionMismatch(let expected, let found): "dimension mismatch: expected \(expected), found \(found)"
        case .nonFinite: "the input contains a NaN or infinite entry"
        case .invalidArgument(let info): "LAPACK rejected argument \(-info)"
        case .emptyBox(let variable): "the lower bound of variable \(variable) lies above its upper bound"
        }
    }
}
