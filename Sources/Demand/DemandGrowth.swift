/// How request volume changes month by month.
public enum DemandGrowth: Equatable, Sendable {
    /// The same volume every month.
    case constant
    /// Month m (0-based) has `base × (1 + g m)`: g is the fraction of the first month's volume
    /// added each month. g may be negative as long as no month goes below zero.
    case linear(perMonth: Double)
    /// Month m (0-based) has `base × (1 + g)^m`, g > −1 (compound growth per month).
    case exponential(perMonth: Double)
    /// Explicit requests for each month (from a table); the base volume is ignored.
    case monthly(requests: [Double])

    /// The name used in scenario files.
    public var name: String {
        switch self {
        case .constant: "constant"
        case .linear: "linear"
        case .exponential: "exponential"
        case .monthly: "table"
        }
    }

    /// The multiplier of the base volume in month `m` (0-based); nil for `.monthly`.
    public func multiplier(month m: Int) -> Double? {
        switch self {
        case .constant: 1
        case .linear(let g): 1 + g * Double(m)
        case .exponential(let g): pow1p(g, m)
        case .monthly: nil
        }
    }

    private func pow1p(_ g: Double, _ m: Int) -> Double {
        var r = 1.0
        for _ in 0..<m { r *= 1 + g }
        return r
    }
}
