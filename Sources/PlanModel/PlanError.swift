import Numerics

/// Why the planner could not produce a plan.
public enum PlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No serving option can run a model of this size within memory and the SLO.
    case noServingOption(params: Double)
    /// The availability caps cannot cover a month's peak demand.
    case capacityShort(params: Double, month: Int)
    /// The law family cannot be planned with this setting.
    case unsupported(String)
    /// The solver failed.
    case solver(String)

    public var description: String {
        switch self {
        case .noServingOption(let n):
            "no serving option can run a \(n)-parameter model within memory (8 devices at most) and the latency SLO"
        case .capacityShort(let n, let m):
            "with a \(n)-parameter model the available accelerators cannot cover the peak demand of month \(m + 1)"
        case .unsupported(let s): s
        case .solver(let s): "solver failure: \(s)"
        }
    }
}
