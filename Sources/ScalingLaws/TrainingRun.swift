import Numerics

/// One finished training run: the observation a law is fitted to.
public struct TrainingRun: Equatable, Sendable {
    /// Model size N, parameters.
    public var params: Double
    /// Training tokens D.
    public var tokens: Double
    /// Unique tokens U in the training data (data-constrained fits only); nil if unlimited.
    public var uniqueTokens: Double?
    /// Final loss, nats per token.
    public var loss: Double

    public init(params: Double, tokens: Double, uniqueTokens: Double? = nil, loss: Double) {
        self.params = params
        self.tokens = tokens
        self.uniqueTokens = uniqueTokens
        self.loss = loss
    }

    /// Training compute C = 6 N D, FLOP.
    public var compute: Double { trainingFLOPs(params: params, tokens: tokens) }
}
