import Numerics

/// Why a law could not be fitted.
public enum FitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer usable runs than the family has parameters.
    case tooFewRuns(needed: Int, found: Int)
    /// Run `index` (zero-based) has a quantity that is not positive and finite.
    case invalidRun(index: Int, quantity: String, value: Double)
    /// A data-constrained fit needs unique tokens on every run.
    case missingUniqueTokens(index: Int)
    /// The start grid does not match the family's parameter count.
    case badStartGrid(expected: Int, found: Int)
    /// No start reached a finite objective.
    case noConvergence
    /// An option is out of range.
    case invalidOption(name: String, value: Double, expected: String)

    public var description: String {
        switch self {
        case .tooFewRuns(let needed, let found):
            "fitting needs at least \(needed) runs, found \(found)"
        case .invalidRun(let index, let quantity, let value):
            "run \(index + 1) has \(quantity) \(value), expected a positive finite number"
        case .missingUniqueTokens(let index):
            "run \(index + 1) has no unique-token count, which the data-constrained law needs"
        case .badStartGrid(let expected, let found):
            "the start grid has \(found) axes, the family has \(expected) parameters"
        case .noConvergence:
            "no starting point reached a finite objective"
        case .invalidOption(let name, let value, let expected):
            "\(name) is \(value), expected \(expected)"
        }
    }
}
