import Foundation
import Numerics

/// The Chinchilla loss law L(N, D) = E + A / N^alpha + B / D^beta
/// (Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", Approach 3).
///
/// N is the parameter count, D the training tokens, L the loss in nats per token.
/// All five parameters are positive; E is the irreducible loss.
public struct ChinchillaLaw: Equatable, Sendable {
    public let E: Double
    public let A: Double
    public let B: Double
    public let alpha: Double
    public let beta: Double

    /// - Throws: `LawError.invalidParameter` unless every parameter is positive and finite.
    public init(E: Double, A: Double, B: Double, alpha: Double, beta: Double) throws(LawError) {
        try requireParameter(E, "E")
        try requireParameter(A, "A")
        try requireParameter(B, "B")
        try requireParameter(alpha, "alpha")
        try requireParameter(beta, "beta")
        self.E = E; self.A = A; self.B = B; self.alpha = alpha; self.beta = beta
    }

    /// Predicted loss at N parameters and D tokens. Inputs must be positive.
    public func loss(params N: Double, tokens D: Double) -> Double {
        E + A * Foundation.pow(N, -alpha) + B * Foundation.pow(D, -beta)
    }

    /// Partial derivatives (dL/dN, dL/dD), per parameter and per token.
    public func gradient(params N: Double, tokens D: Double) -> (dParams: Double, dTokens: Double) {
        (-alpha * A * Foundation.pow(N, -alpha - 1), -beta * B * Foundation.pow(D, -beta - 1))
    }

    /// G = (alpha A / (beta B))^(1 / (alpha + beta)), the scale of the compute-optimal split.
    public var allocationScale: Double {
        Foundation.pow(alpha * A / (beta * B), 1 / (alpha + beta))
    }

    /// Compute-optimal allocation under C = 6 N D (closed form, Hoffmann et al. 2022 eq. 4):
    /// N* = G (C/6)^(beta/(alpha+beta)), D* = (1/G) (C/6)^(alpha/(alpha+beta)).
    ///
    /// - Parameter compute: training budget C in FLOP, positive.
    public func computeOptimal(compute C: Double) throws(LawError) -> ComputeAllocation {
        try requirePositive(C, "compute")
        let g = allocationScale
        let s = alpha + beta
        let n = g * Foundation.pow(C / 6, beta / s)
        let d = Foundation.pow(C / 6, alpha / s) / g
        return ComputeAllocation(params: n, tokens: d, loss: loss(params: n, tokens: d))
    }

    /// The compute-optimal model size for a fixed number of tokens D:
    /// N = G (D G)^(beta/alpha). Used by the data-constrained law.
    public func computeOptimalParams(tokens D: Double) -> Double {
        let g = allocationScale
        return g * Foundation.pow(D * g, beta / alpha)
    }

    /// The smallest model size that can reach loss `l` with unlimited data:
    /// N_min = (A / (l - E))^(1/alpha). Nil when l <= E.
    public func minimumParams(forLoss l: Double) -> Double? {
        guard l.isFinite, l > E else { return nil }
        return Foundation.pow(A / (l - E), 1 / alpha)
    }

    /// Training tokens that reach loss `l` at N parameters (the iso-loss curve):
    /// D = (B / (l - E - A N^-alpha))^(1/beta). Nil when N <= `minimumParams(forLoss:)`.
    public func tokens(toReachLoss l: Double, params N: Double) -> Double? {
        guard N.isFinite, N > 0, l.isFinite else { return nil }
        let gap = l - E - A * Foundation.pow(N, -alpha)
        guard gap > 0 else { return nil }
        return Foundation.pow(B / gap, 1 / beta)
    }
}
