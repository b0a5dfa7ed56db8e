import Diagnostics
import Numerics

extension LawError: ClassifiedFailure {
    /// A law that cannot be evaluated with the values given: bad input (exit code 2).
    public var failureKind: FailureKind { .badInput }
}

extension FitError: ClassifiedFailure {
    /// A fit that did not converge means no solution (1); every other fit error is bad input (2).
    public var failureKind: FailureKind {
        if case .noConvergence = self { return .noSolution }
        return .badInput
    }
}
