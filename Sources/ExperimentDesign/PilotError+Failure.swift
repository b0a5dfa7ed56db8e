import Diagnostics
import LinearAlgebra
import Numerics
import ScalingLaws

extension PilotError: ClassifiedFailure {
    /// Bad settings are bad input (2); a budget too small for enough runs, or a design that
    /// cannot identify the law, mean no design (1).
    public var failureKind: FailureKind {
        switch self {
        case .tooFewCandidates, .singularDesign: .noSolution
        default: .badInput
        }
    }
}
