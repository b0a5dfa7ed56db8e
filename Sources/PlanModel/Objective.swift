import Numerics

/// What a plan can be judged on.
public enum Objective: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Predicted loss, nats per token.
    case loss
    /// Lifetime cost, training plus serving over the horizon, USD.
    case cost
    /// Lifetime compute, training plus inference, FLOP.
    case compute
    /// Lifetime energy, training plus serving, kWh.
    case energy
    /// Time per output token when serving, ms (grows with model size).
    case latency
    /// Training wall-clock time, days.
    case trainTime = "train_time"

    public var description: String { rawValue }

    /// The scenario's `constraints:` key that bounds this objective, as the user writes it
    /// ("train_days_max" for training time).
    public var constraintKey: String {
        self == .trainTime ? "train_days_max" : "\(rawValue)_max"
    }

    /// The unit values of this objective are reported in.
    public var unit: String {
        switch self {
        case .loss: "nats/token"
        case .cost: "USD"
        case .compute: "FLOP"
        case .energy: "kWh"
        case .latency: "ms"
        case .trainTime: "days"
        }
    }
}
