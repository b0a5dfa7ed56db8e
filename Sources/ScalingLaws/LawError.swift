import Numerics

/// Why a loss law could not be built, evaluated or solved.
public enum LawError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A law parameter is outside its domain (for example a negative exponent).
    case invalidParameter(name: String, value: Double, expected: String)
    /// An input quantity (model size, tokens, compute) is not a positive finite number.
    case invalidInput(quantity: String, value: Double)
    /// No model size and token count reach this loss: it is at or below the law's floor.
    case unreachableLoss(target: Double, floor: Double)
    /// A numeric optimum could not be bracketed or did not converge.
    case noOptimum(String)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let expected):
            "law parameter \(name) is \(value), expected \(expected)"
        case .invalidInput(let quantity, let value):
            "\(quantity) is \(value), expected a positive finite number"
        case .unreachableLoss(let target, let floor):
            "loss \(target) is unreachable: the law never goes below \(floor)"
        case .noOptimum(let why):
            "no optimum found: \(why)"
        }
    }
}

@inline(__always)
func requirePositive(_ value: Double, _ quantity: String) throws(LawError) {
    guard value.isFinite, value > 0 else { throw .invalidInput(quantity: quantity, value: value) }
}

@inline(__always)
func requireParameter(_ value: Double, _ name: String, positive: Bool = true) throws(LawError) {
    guard value.isFinite, !positive || value > 0 else {
        throw .invalidParameter(name: name, value: value, expected: positive ? "a positive finite number" : "a finite number")
    }
}
