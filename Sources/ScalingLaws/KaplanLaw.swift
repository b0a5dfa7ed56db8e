import Foundation
import Numerics

/// The Kaplan loss law L(N, D) = [(Nc / N)^(alphaN / alphaD) + Dc / D]^alphaD
/// (Kaplan et al. 2020, "Scaling Laws for Neural Language Models", eq. 1.5).
///
/// N counts non-embedding parameters in the original paper; L is in nats per token.
/// The law has no irreducible term: it tends to 0 as N and D grow.
public struct KaplanLaw: Equatable, Sendable {
    /// Critical model size Nc, parameters.
    public let Nc: Double
    /// Critical data size Dc, tokens.
    public let Dc: Double
    public let alphaN: Double
    public let alphaD: Double

    public init(Nc: Double, Dc: Double, alphaN: Double, alphaD: Double) throws(LawError) {
        try requireParameter(Nc, "Nc")
        try requireParameter(Dc, "Dc")
        try requireParameter(alphaN, "alphaN")
        try requireParameter(alphaD, "alphaD")
        self.Nc = Nc; self.Dc = Dc; self.alphaN = alphaN; self.alphaD = alphaD
    }

    private var ratio: Double { alphaN / alphaD }

    /// Predicted loss at N parameters and D tokens.
    public func loss(params N: Double, tokens D: Double) -> Double {
        Foundation.pow(Foundation.pow(Nc / N, ratio) + Dc / D, alphaD)
    }

    /// Partial derivatives (dL/dN, dL/dD).
    public func gradient(params N: Double, tokens D: Double) -> (dParams: Double, dTokens: Double) {
        let inner = Foundation.pow(Nc / N, ratio) + Dc / D
        let outer = alphaD * Foundation.pow(inner, alphaD - 1)
        return (outer * (-ratio) * Foundation.pow(Nc / N, ratio) / N, outer * (-Dc / (D * D)))
    }

    /// Compute-optimal allocation under C = 6 N D. Setting dL/dN = 0 along D = C/(6N) gives
    /// the closed form ln N* = (r ln Nc + ln r + ln(C / (6 Dc))) / (1 + r), r = alphaN/alphaD.
    public func computeOptimal(compute C: Double) throws(LawError) -> ComputeAllocation {
        try requirePositive(C, "compute")
        let r = ratio
        let logN = (r * Foundation.log(Nc) + Foundation.log(r) + Foundation.log(C / (6 * Dc))) / (1 + r)
        let n = Foundation.exp(logN)
        let d = C / (6 * n)
        return ComputeAllocation(params: n, tokens: d, loss: loss(params: n, tokens: d))
    }

    /// The smallest model size that can reach loss `l` with unlimited data: Nc / l^(1/alphaN).
    public func minimumParams(forLoss l: Double) -> Double? {
        guard l.isFinite, l > 0 else { return nil }
        return Nc / Foundation.pow(l, 1 / alphaN)
    }

    /// Tokens that reach loss `l` at N parameters: D = Dc / (l^(1/alphaD) - (Nc/N)^(alphaN/alphaD)).
    public func tokens(toReachLoss l: Double, params N: Double) -> Double? {
        guard N.isFinite, N > 0, l.isFinite, l > 0 else { return nil }
        let gap = Foundation.pow(l, 1 / alphaD) - Foundation.pow(Nc / N, ratio)
        guard gap > 0 else { return nil }
        return Dc / gap
    }
}
