import Diagnostics
import Numerics

extension PlanError: ClassifiedFailure {
    /// An unsupported setting is bad input (2); the rest mean no plan exists (1).
    public var failureKind: FailureKind {
        if case .unsupported = self { return .badInput }
        return .noSolution
    }
}
