import Numerics

/// A training allocation: model size, tokens, and what they cost and reach.
public struct ComputeAllocation: Equatable, Sendable {
    /// Model size N, parameters.
    public let params: Double
    /// Training tokens D.
    public let tokens: Double
    /// Predicted loss, nats per token (the law's units).
    public let loss: Double

    /// Over-training ratio M = D / N, tokens per parameter.
    public var tokensPerParam: Double { tokens / params }
    /// Training compute C = 6 N D, FLOP (Kaplan et al. 2020's approximation).
    public var compute: Double { trainingFLOPs(params: params, tokens: tokens) }

    public init(params: Double, tokens: Double, loss: Double) {
        self.params = params
        self.tokens = tokens
        self.loss = loss
    }
}

/// Training compute of a dense transformer, C = 6 N D FLOP (forward 2ND, backward 4ND;
/// Kaplan et al. 2020, section 2.1).
@inlinable
public func trainingFLOPs(params: Double, tokens: Double) -> Double { 6 * params * tokens }
