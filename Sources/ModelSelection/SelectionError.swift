import Diagnostics

/// Why a selection could not be made.
public enum SelectionError: Error, Equatable, Sendable, CustomStringConvertible, ClassifiedFailure {
    /// A setting is out of range or does not fit the runs.
    case invalidOption(String)
    /// A run's value cannot be used (row is the 0-based data row).
    case invalidRun(row: Int, String)
    /// A candidate has too few runs or sizes for its law.
    case tooFewRuns(candidate: String, String)
    /// No start of a candidate's fit converged.
    case noConvergence(candidate: String)

    public var description: String {
        switch self {
        case .invalidOption(let s): s
        case .invalidRun(_, let s): s
        case .tooFewRuns(let c, let s): "candidate '\(c)': \(s)"
        case .noConvergence(let c): "candidate '\(c)': no start of the fit converged"
        }
    }

    /// Bad settings and runs are bad input (2); a fit that does not converge is no answer (1).
    public var failureKind: FailureKind {
        switch self {
        case .noConvergence: .noSolution
        default: .badInput
        }
    }

    /// The input row the error is about, if any.
    public var row: Int? {
        if case .invalidRun(let r, _) = self { return r }
        return nil
    }
}
