import Foundation
import LinearAlgebra
import Numerics
import ScalingLaws

/// How precisely a law fitted to a set of runs predicts a target run, by the delta method:
/// with Fisher information M = sum_i g_i g_iᵀ / sigma^2 (g_i = d ln L(N_i, D_i) / d theta),
/// the fitted parameters are approximately Normal(theta, M⁻¹), so a smooth function q(theta)
/// has standard deviation sqrt(qᵀ M⁻¹ q) with q its gradient (Seber and Wild 1989, Nonlinear Regression, ch. 2 and 5).
///
/// Two functions are reported: ln L at the target (N_T, D_T), and ln N* at the target's
/// compute C_T = 6 N_T D_T (ln D* = ln(C_T / 6) - ln N* has the same standard deviation).
/// When the target is the compute-optimal run, the loss at the optimum L*(C_T) has the same
/// gradient as L at fixed (N*, D*) (the envelope theorem), so one interval serves both.
public struct PilotPrecision: Equatable, Sendable {
    /// The target run.
    public let target: PilotRun
    /// The law's loss at the target, nats per token.
    public let loss: Double
    /// Standard deviation of the predicted ln L at the target (dimensionless, about the
    /// relative standard deviation of L).
    public let sigmaLogLoss: Double
    /// The law's compute-optimal N* and D* at the target's compute.
    public let optimalParams: Double
    public let optimalTokens: Double
    /// Standard deviation of ln N* (and of ln D*).
    public let sigmaLogOptimum: Double

    /// The standard normal 97.5% quantile, for central 95% intervals.
    public static let z95 = 1.959963984540054

    /// exp(ln L -/+ z sigma): the loss interval, asymmetric in L.
    public func lossInterval(z: Double = Self.z95) -> ClosedRange<Double> {
        loss * Foundation.exp(-z * sigmaLogLoss)...loss * Foundation.exp(z * sigmaLogLoss)
    }

    /// N* exp(-/+ z sigma).
    public func optimalParamsInterval(z: Double = Self.z95) -> ClosedRange<Double> {
        optimalParams * Foundation.exp(-z * sigmaLogOptimum)...optimalParams * Foundation.exp(z * sigmaLogOptimum)
    }

    /// D* exp(-/+ z sigma).
    public func optimalTokensInterval(z: Double = Self.z95) -> ClosedRange<Double> {
        optimalTokens * Foundation.exp(-z * sigmaLogOptimum)...optimalTokens * Foundation.exp(z * sigmaLogOptimum)
    }

    /// The precision of `law` fitted by least squares to `runs`, each with ln L noise of
    /// standard deviation `sigma`, at `target`.
    ///
    /// - Throws: `PilotError.singularDesign` when the runs cannot identify every parameter,
    ///   `.unsupportedForm` for the data-constrained family, `.invalidOption` for a bad sigma.
    public init(law: ScalingLaw, runs: [PilotRun], sigma: Double, target: PilotRun) throws(PilotError) {
        guard sigma.isFinite, sigma > 0 else { throw .invalidOption(name: "noise sigma", value: sigma, expected: "a positive finite number") }
        try self.init(model: try PilotModel(law), theta: nil, runs: runs, sigma: sigma, target: target)
    }

    init(model: PilotModel, theta: [Double]?, runs: [PilotRun], sigma: Double, target: PilotRun) throws(PilotError) {
        let t = theta ?? model.theta
        let p = model.dimension
        var g = Matrix(rows: runs.count, columns: p)
        for (i, r) in runs.enumerated() {
            let row = model.logLoss(t, params: r.params, tokens: r.tokens).gradient
            for j in 0..<p { g[i, j] = row[j] / sigma }
        }
        guard runs.count >= p, let m = try? g.weightedGram([Double](repeating: 1, count: runs.count)),
              let f = try? m.cholesky() else { throw .singularDesign }
        let at = model.logLoss(t, params: target.params, tokens: target.tokens)
        let optimum: (value: Double, gradient: [Double])
        do { optimum = try model.logOptimalParams(t, compute: target.flops) } catch { throw .law(error) }
        guard let vLoss = try? f.inverseQuadraticForm(at.gradient), let vOpt = try? f.inverseQuadraticForm(optimum.gradient) else {
            throw .singularDesign
        }
        self.target = target
        loss = Foundation.exp(at.value)
        sigmaLogLoss = vLoss.squareRoot()
        optimalParams = Foundation.exp(optimum.value)
        optimalTokens = target.flops / 6 / optimalParams
        sigmaLogOptimum = vOpt.squareRoot()
    }
}
