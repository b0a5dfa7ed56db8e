import Foundation
import Numerics

/// The data-constrained loss law of Muennighoff et al. 2023 ("Scaling Data-Constrained
/// Language Models", eqs. 5-7): the Chinchilla form evaluated at effective data D' and
/// effective parameters N', which discount repeated epochs and excess parameters.
///
/// With U unique tokens and R_D = max(D/U - 1, 0) repetitions:
///   D' = U + U R*_D (1 - exp(-R_D / R*_D)).
/// With U_N = min(N, G (U G)^(beta/alpha)) (the compute-optimal size for U tokens) and
/// R_N = max(N / U_N - 1, 0):
///   N' = U_N + U_N R*_N (1 - exp(-R_N / R*_N)).
/// Then L = E + A / N'^alpha + B / D'^beta. Repeated data is worth less and less:
/// D' never exceeds U (1 + R*_D).
public struct DataConstrainedLaw: Equatable, Sendable {
    /// The single-epoch law (E, A, B, alpha, beta).
    public let base: ChinchillaLaw
    /// R*_D: the repetition count at which repeated data has lost 1 - 1/e of its value.
    public let rStarD: Double
    /// R*_N: the same for excess parameters.
    public let rStarN: Double

    public init(base: ChinchillaLaw, rStarD: Double, rStarN: Double) throws(LawError) {
        try requireParameter(rStarD, "R*_D")
        try requireParameter(rStarN, "R*_N")
        self.base = base; self.rStarD = rStarD; self.rStarN = rStarN
    }

    /// Effective data D' and its derivative dD'/dD for D tokens drawn from U unique tokens.
    /// With `uniqueTokens == nil` data is unlimited and D' = D.
    public func effectiveTokens(tokens D: Double, uniqueTokens U: Double?) -> (value: Double, derivative: Double) {
        guard let U, D > U else { return (D, 1) }
        let r = D / U - 1
        let decay = Foundation.exp(-r / rStarD)
        return (U + U * rStarD * (1 - decay), decay)
    }

    /// Effective parameters N' and dN'/dN for N parameters trained on U unique tokens.
    public func effectiveParams(params N: Double, uniqueTokens U: Double?) -> (value: Double, derivative: Double) {
        guard let U else { return (N, 1) }
        let un = min(N, base.computeOptimalParams(tokens: U))
        guard N > un else { return (N, 1) }
        let r = N / un - 1
        let decay = Foundation.exp(-r / rStarN)
        return (un + un * rStarN * (1 - decay), decay)
    }

    /// Predicted loss for N parameters trained on D tokens drawn from U unique tokens
    /// (`nil`: unlimited unique data, which reduces to the base law).
    public func loss(params N: Double, tokens D: Double, uniqueTokens U: Double?) -> Double {
        let n = effectiveParams(params: N, uniqueTokens: U).value
        let d = effectiveTokens(tokens: D, uniqueTokens: U).value
        return base.loss(params: n, tokens: d)
    }

    /// Partial derivatives (dL/dN, dL/dD) at fixed U.
    public func gradient(params N: Double, tokens D: Double, uniqueTokens U: Double?) -> (dParams: Double, dTokens: Double) {
        let n = effectiveParams(params: N, uniqueTokens: U)
        let d = effectiveTokens(tokens: D, uniqueTokens: U)
        let g = base.gradient(params: n.value, tokens: d.value)
        return (g.dParams * n.derivative, g.dTokens * d.derivative)
    }

    /// The lowest loss reachable with U unique tokens at N parameters, however long one trains:
    /// D' tends to U (1 + R*_D).
    public func lossFloor(params N: Double, uniqueTokens U: Double) -> Double {
        let n = effectiveParams(params: N, uniqueTokens: U).value
        return base.loss(params: n, tokens: U * (1 + rStarD))
    }

    /// Tokens that reach loss `l` at N parameters with U unique tokens; nil when repetition
    /// makes `l` unreachable at this N (the base iso-loss needs more effective data than
    /// U (1 + R*_D)).
    public func tokens(toReachLoss l: Double, params N: Double, uniqueTokens U: Double?) -> Double? {
        let nEff = effectiveParams(params: N, uniqueTokens: U).value
        guard let dEff = base.tokens(toReachLoss: l, params: nEff) else { return nil }
        guard let U, dEff > U else { return dEff }
        let fraction = (dEff / U - 1) / rStarD
        guard fraction < 1 else { return nil }
        return U * (1 - rStarD * Foundation.log(1 - fraction))
    }

    /// Compute-optimal allocation under C = 6 N D with U unique tokens, found numerically
    /// (the effective-data discount has no closed form). Without U it is the base law's.
    public func computeOptimal(compute C: Double, uniqueTokens U: Double?) throws(LawError) -> ComputeAllocation {
        try requirePositive(C, "compute")
        guard let U else { return try base.computeOptimal(compute: C) }
        try requirePositive(U, "unique tokens")
        let guess = try base.computeOptimal(compute: C).params
        // A 241-point scan of ln N within 12 of the unlimited-data optimum, then golden section.
        let center = Foundation.log(guess)
        let search = (center - 12)...(center + 12)
        let found = ScalarSearch.minimize(in: search, scanSteps: 240, tolerance: 1e-12 * max(1, abs(center))) { logN in
            let n = Foundation.exp(logN)
            return loss(params: n, tokens: C / (6 * n), uniqueTokens: U)
        }
        guard let logN = found else { throw .noOptimum("the loss is not finite on the search interval") }
        let n = Foundation.exp(logN)
        let d = C / (6 * n)
        return ComputeAllocation(params: n, tokens: d, loss: loss(params: n, tokens: d, uniqueTokens: U))
    }
}
