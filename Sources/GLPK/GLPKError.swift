/// Why a GLPK model could not be built or solved.
public enum GLPKError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A row or column index outside the problem (one-based, as GLPK counts).
    case indexOutOfRange(kind: String, index: Int, count: Int)
    /// A coefficient or bound that is NaN or infinite where a finite number is required.
    case nonFinite(what: String, value: Double)
    /// The same column appears twice in one row.
    case duplicateColumn(row: Int, column: Int)
    /// A lower bound above its upper bound.
    case inconsistentBounds(what: String, lower: Double, upper: Double)
    /// A solver tolerance outside (0, 1).
    case invalidTolerance(what: String, value: Double)
    /// GLPK stopped with a failure code from glp_simplex or glp_intopt.
    case solverFailed(routine: String, code: Int32)
    /// GLPK reported an internal error; the process survived and the problem is gone.
    case internalError
    /// The problem object was lost to an earlier internal error on this thread.
    case problemLost

    public var description: String {
        switch self {
        case .indexOutOfRange(let kind, let index, let count): "\(kind) index \(index) is outside 1...\(count)"
        case .nonFinite(let what, let value): "\(what) is \(value), expected a finite number"
        case .duplicateColumn(let row, let column): "column \(column) appears twice in row \(row)"
        case .inconsistentBounds(let what, let lower, let upper): "\(what) has lower bound \(lower) above upper bound \(upper)"
        case .invalidTolerance(let what, let value): "\(what) is \(value), expected a number in (0, 1)"
        case .solverFailed(let routine, let code): "GLPK \(routine) failed with code \(code)"
        case .internalError: "GLPK reported an internal error"
        case .problemLost: "the GLPK problem was lost to an earlier internal error"
        }
    }
}
