import Foundation
import Numerics

/// A predictor of ln L (or of the log of any positive metric) from parameters theta: what
/// the Huber objective fits and `FitEngine` minimises. `LogLossModel` adds the map to a
/// planning `ScalingLaw`; the candidate-selection laws (`scaleplan select`) are predictors only.
public protocol LogLossPredictor: Sendable {
    /// Number of fitted parameters.
    var dimension: Int { get }
    /// Predicted ln L for run `row`, with d(ln L)/d(theta) written to `gradient`.
    func logLoss(_ theta: [Double], row: Int, data: FitData, gradient: inout [Double]) -> Double
    /// Box bounds on theta, if the family needs them.
    var lower: [Double]? { get }
    var upper: [Double]? { get }
}

/// A law family written as a predictor of ln L from parameters theta: what the Huber
/// objective fits. Each model also says how theta maps to a `ScalingLaw`.
public protocol LogLossModel: LogLossPredictor {
    /// The law these parameters describe.
    func law(_ theta: [Double]) throws(LawError) -> ScalingLaw
}

extension LogLossPredictor {
    public var lower: [Double]? { nil }
    public var upper: [Double]? { nil }
}

/// ln of the sum of exponentials of three terms, with the softmax weights (the gradient).
/// The largest term contributes exp(0) = 1, so only two exponentials and one logarithm are
/// evaluated.
@inline(__always)
public func logSumExp3(_ z0: Double, _ z1: Double, _ z2: Double) -> (value: Double, p0: Double, p1: Double, p2: Double) {
    if z0 >= z1 && z0 >= z2 {
        let e1 = Foundation.exp(z1 - z0), e2 = Foundation.exp(z2 - z0)
        let s = 1 + e1 + e2
        return (z0 + Foundation.log(s), 1 / s, e1 / s, e2 / s)
    } else if z1 >= z2 {
        let e0 = Foundation.exp(z0 - z1), e2 = Foundation.exp(z2 - z1)
        let s = e0 + 1 + e2
        return (z1 + Foundation.log(s), e0 / s, 1 / s, e2 / s)
    } else {
        let e0 = Foundation.exp(z0 - z2), e1 = Foundation.exp(z1 - z2)
        let s = e0 + e1 + 1
        return (z2 + Foundation.log(s), e0 / s, e1 / s, 1 / s)
    }
}

/// Chinchilla in Hoffmann et al.'s parameterisation theta = (a, b, e, alpha, beta):
/// ln L = LSE(a - alpha ln N, b - beta ln D, e), with A = e^a, B = e^b, E = e^e.
public struct ChinchillaLogModel: LogLossModel {
    public init() {}

    public var dimension: Int { 5 }

    /// The box the search stays in: exponents in [1e-3, 5] (published fits lie in 0.05-1),
    /// ln A and ln B in [-50, 100] and ln E in [-30, 5]. Few runs can otherwise drive an exponent
    /// to infinity on a flat objective until every start overflows.
    public var lower: [Double]? { [-50, -50, -30, 1e-3, 1e-3] }
    public var upper: [Double]? { [100, 100, 5, 5, 5] }

    public func logLoss(_ t: [Double], row i: Int, data: FitData, gradient g: inout [Double]) -> Double {
        let x = data.logParams[i], y = data.logTokens[i]
        let l = logSumExp3(t[0] - t[3] * x, t[1] - t[4] * y, t[2])
        g[0] = l.p0; g[1] = l.p1; g[2] = l.p2; g[3] = -x * l.p0; g[4] = -y * l.p1
        return l.value
    }

    public func law(_ t: [Double]) throws(LawError) -> ScalingLaw {
        .chinchilla(try ChinchillaLaw(
            E: Foundation.exp(t[2]), A: Foundation.exp(t[0]), B: Foundation.exp(t[1]), alpha: t[3], beta: t[4]))
    }

    /// Inverse of `law`, for warm starts.
    public static func theta(_ l: ChinchillaLaw) -> [Double] {
        [Foundation.log(l.A), Foundation.log(l.B), Foundation.log(l.E), l.alpha, l.beta]
    }
}

/// Gadre et al.'s over-training law with its shared exponent, theta = (a', b', e, alpha):
/// ln L = LSE(a' - alpha ln N, b' - alpha ln D, e); then a = e^a', b = -alpha,
/// c = e^b' 6^(alpha/2), E = e^e.
public struct OvertrainLogModel: LogLossModel {
    public init() {}

    public var dimension: Int { 4 }

    public func logLoss(_ t: [Double], row i: Int, data: FitData, gradient g: inout [Double]) -> Double {
        let x = data.logParams[i], y = data.logTokens[i]
        let l = logSumExp3(t[0] - t[3] * x, t[1] - t[3] * y, t[2])
        g[0] = l.p0; g[1] = l.p1; g[2] = l.p2; g[3] = -x * l.p0 - y * l.p1
        return l.value
    }

    public func law(_ t: [Double]) throws(LawError) -> ScalingLaw {
        .overtrain(try OvertrainLaw(
            E: Foundation.exp(t[2]), a: Foundation.exp(t[0]), b: -t[3],
            c: Foundation.exp(t[1]) * Foundation.pow(6, t[3] / 2)))
    }
}

/// Kaplan's law, theta = (ln Nc, ln Dc, alphaN, alphaD):
/// ln L = alphaD LSE((alphaN/alphaD)(ln Nc - ln N), ln Dc - ln D).
/// The exponents are bounded to [1e-3, 5] so the ratio stays finite.
public struct KaplanLogModel: LogLossModel {
    public init() {}

    public var dimension: Int { 4 }
    public var lower: [Double]? { [-.infinity, -.infinity, 1e-3, 1e-3] }
    public var upper: [Double]? { [.infinity, .infinity, 5, 5] }

    public func logLoss(_ t: [Double], row i: Int, data: FitData, gradient g: inout [Double]) -> Double {
        let x = data.logParams[i], y = data.logTokens[i]
        let q = t[2] / t[3]
        let w0 = q * (t[0] - x), w1 = t[1] - y
        let m = max(w0, w1)
        let e0 = Foundation.exp(w0 - m), e1 = Foundation.exp(w1 - m)
        let s = e0 + e1
        let lse = m + Foundation.log(s)
        let p0 = e0 / s, p1 = e1 / s
        g[0] = t[2] * p0
        g[1] = t[3] * p1
        g[2] = p0 * (t[0] - x)
        g[3] = lse - q * p0 * (t[0] - x)
        return t[3] * lse
    }

    public func law(_ t: [Double]) throws(LawError) -> ScalingLaw {
        .kaplan(try KaplanLaw(Nc: Foundation.exp(t[0]), Dc: Foundation.exp(t[1]), alphaN: t[2], alphaD: t[3]))
    }
}

/// The repetition half-lives of Muennighoff et al.'s law with the single-epoch law fixed,
/// theta = (ln R*_D, ln R*_N).
public struct DataConstrainedLogModel: LogLossModel {
    public let base: ChinchillaLaw
    public var dimension: Int { 2 }

    public func logLoss(_ t: [Double], row i: Int, data: FitData, gradient g: inout [Double]) -> Double {
        let rD = Foundation.exp(t[0]), rN = Foundation.exp(t[1])
        let n = data.params[i], d = data.tokens[i]
        var nEff = n, dEff = d
        var dNeffdR = 0.0, dDeffdR = 0.0
        if let u = data.uniqueTokens[i] {
            if d > u {
                let r = d / u - 1
                let decay = Foundation.exp(-r / rD)
                dEff = u + u * rD * (1 - decay)
                dDeffdR = u * (1 - decay - (r / rD) * decay)
            }
            let un = min(n, base.computeOptimalParams(tokens: u))
            if n > un {
                let r = n / un - 1
                let decay = Foundation.exp(-r / rN)
                nEff = un + un * rN * (1 - decay)
                dNeffdR = un * (1 - decay - (r / rN) * decay)
            }
        }
        let loss = base.loss(params: nEff, tokens: dEff)
        let grad = base.gradient(params: nEff, tokens: dEff)
        g[0] = grad.dTokens * dDeffdR * rD / loss
        g[1] = grad.dParams * dNeffdR * rN / loss
        return Foundation.log(loss)
    }

    public func law(_ t: [Double]) throws(LawError) -> ScalingLaw {
        .dataConstrained(try DataConstrainedLaw(base: base, rStarD: Foundation.exp(t[0]), rStarN: Foundation.exp(t[1])))
    }
}
