import LinearAlgebra
import Numerics
import ScalingLaws

/// Why a pilot design could not be made or evaluated.
public enum PilotError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A setting is out of range.
    case invalidOption(name: String, value: Double, expected: String)
    /// The law family has no pilot model (data-constrained).
    case unsupportedForm(LawForm)
    /// Fewer candidate runs fit the budget and ranges than the law has parameters.
    case tooFewCandidates(found: Int, needed: Int)
    /// The runs cannot identify every parameter: the information matrix is singular.
    case singularDesign
    /// The law could not be evaluated at the target (e.g. no compute-optimal allocation).
    case law(LawError)

    public var description: String {
        switch self {
        case .invalidOption(let name, let value, let expected):
            "\(name) is \(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)), expected \(expected)"
        case .unsupportedForm(let form):
            "pilot designs support the chinchilla, overtrain and kaplan laws, not \(form.rawValue)"
        case .tooFewCandidates(let found, let needed):
            "only \(found) candidate runs fit the pilot budget and the size ranges, and the law has \(needed) parameters; raise the budget or widen the ranges"
        case .singularDesign:
            "the runs cannot identify every law parameter (the Fisher information matrix is singular)"
        case .law(let e):
            "\(e)"
        }
    }
}
