import Diagnostics

extension GLPKError: ClassifiedFailure {
    /// The solver failed: no solution (exit code 1).
    public var failureKind: FailureKind { .noSolution }
    public var failureMessage: String { "solver failure: \(description)" }
}
