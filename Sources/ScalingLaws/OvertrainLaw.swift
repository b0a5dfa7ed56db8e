import Foundation
import Numerics

/// The over-training law of Gadre et al. 2024 ("Language models scale reliably with
/// over-training and on downstream tasks"): one shared exponent b < 0 for model size
/// and data, written in N and the token multiplier M = D / N as
///   L(N, M) = E + a N^b + c 6^(b/2) (M N)^b.
/// It is the Chinchilla form with alpha = beta = -b, A = a, B = c 6^(b/2).
public struct OvertrainLaw: Equatable, Sendable {
    public let E: Double
    public let a: Double
    /// The shared exponent, negative.
    public let b: Double
    public let c: Double
    /// The downstream top-1 error law fitted with it, if any.
    public let downstream: DownstreamErrorLaw?

    public init(E: Double, a: Double, b: Double, c: Double, downstream: DownstreamErrorLaw? = nil) throws(LawError) {
        try requireParameter(E, "E")
        try requireParameter(a, "a")
        try requireParameter(c, "c")
        guard b.isFinite, b < 0 else { throw .invalidParameter(name: "b", value: b, expected: "a negative finite number") }
        // The Chinchilla form's B = c 6^(b/2) must stay a positive double (it underflows to 0
        // for b below about -830), or `chinchilla` could not be built.
        let B = c * Foundation.pow(6, b / 2)
        guard B.isFinite, B > 0 else {
            throw .invalidParameter(name: "b", value: b, expected: "a negative number for which c 6^(b/2) is a positive finite number")
        }
        self.E = E; self.a = a; self.b = b; self.c = c; self.downstream = downstream
    }

    /// The equivalent Chinchilla-form law.
    public var chinchilla: ChinchillaLaw {
        // Valid by construction: the initializer checked every parameter, B included.
        try! ChinchillaLaw(E: E, A: a, B: c * Foundation.pow(6, b / 2), alpha: -b, beta: -b)
    }

    /// Predicted loss at N parameters and D tokens.
    public func loss(params N: Double, tokens D: Double) -> Double { chinchilla.loss(params: N, tokens: D) }

    /// Predicted loss at N parameters and token multiplier M = D/N.
    public func loss(params N: Double, tokensPerParam M: Double) -> Double { loss(params: N, tokens: M * N) }
}

/// Gadre et al. 2024's downstream error law, Err(L) = epsilon - k exp(-gamma L):
/// average top-1 error on their 17-task subset as a function of loss.
public struct DownstreamErrorLaw: Equatable, Sendable {
    public let epsilon: Double
    public let k: Double
    public let gamma: Double

    public init(epsilon: Double, k: Double, gamma: Double) throws(LawError) {
        try requireParameter(epsilon, "epsilon")
        try requireParameter(k, "k")
        try requireParameter(gamma, "gamma")
        self.epsilon = epsilon; self.k = k; self.gamma = gamma
    }

    /// Predicted average top-1 error (a fraction) at loss L.
    public func error(atLoss L: Double) -> Double { epsilon - k * Foundation.exp(-gamma * L) }
}
