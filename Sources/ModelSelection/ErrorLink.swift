import Foundation
import Numerics
import ScalingLaws

/// Gadre et al. 2024's link from loss to downstream error (Language models scale reliably
/// with over-training and on downstream tasks, arXiv:2403.08540, eq. 5):
/// Err(L) = ε − k exp(−γ L), fitted per candidate to its runs' (loss, error) pairs. A
/// downstream metric predicted through the loss is this link at the loss law's prediction.
public struct ErrorLink: Sendable, Equatable {
    /// θ = (ln ε, ln k, γ).
    public let theta: [Double]

    public static let formula = "Err = eps - k exp(-gamma L)"
    public static let citation = "Gadre et al. 2024, arXiv:2403.08540, eq. 5"

    /// The error at loss `loss` (nats), never below 1e-300.
    public func error(atLoss loss: Double) -> Double {
        max(Foundation.exp(theta[0]) - Foundation.exp(theta[1] - theta[2] * loss), 1e-300)
    }

    /// ln Err at `loss` and its gradient in θ (where the link is positive).
    public func logError(atLoss loss: Double) -> (value: Double, gradient: [Double]) {
        var g = [0.0, 0, 0]
        let v = ErrorLinkLogModel().logLoss(theta, row: 0, data: FitData([TrainingRun(params: loss, tokens: 1, loss: 1)]), gradient: &g)
        return (v, g)
    }

    public init(theta: [Double]) { self.theta = theta }

    /// Fits the link to (loss, error) pairs by multi-start L-BFGS on the Huber loss of log
    /// residuals, or from warm starts when given.
    static func fit(losses: [Double], errors: [Double], weights: [Double]? = nil, from starts: [[Double]]? = nil, delta: Double) -> ErrorLink? {
        var data = FitData(zip(losses, errors).map { TrainingRun(params: $0, tokens: 1, loss: $1) })
        if let weights { data = data.reweighted(weights) }
        let engine = FitEngine(model: ErrorLinkLogModel(), delta: delta)
        if let starts { return engine.refine(data, from: starts).map { ErrorLink(theta: $0.theta) } }
        let grid = StartGrid(axes: [[-0.7, -0.35, -0.1, 0], [0, 2, 4, 6, 8], [0.5, 1, 2, 3]])
        return engine.multiStart(data, grid: grid).first.map { ErrorLink(theta: $0.theta) }
    }
}

/// ln Err = ln(e^a − e^(b − γ L)), θ = (a, b, γ), with L read from the runs' `params` slot.
struct ErrorLinkLogModel: LogLossPredictor {
    var dimension: Int { 3 }
    var lower: [Double]? { [-10, -30, 1e-3] }
    var upper: [Double]? { [2, 30, 20] }

    func logLoss(_ t: [Double], row i: Int, data: FitData, gradient g: inout [Double]) -> Double {
        let l = data.params[i]
        let eps = Foundation.exp(t[0]), term = Foundation.exp(t[1] - t[2] * l)
        let pred = eps - term
        guard pred > 1e-300 else {
            // Past the link's zero the prediction is meaningless: a steep slope back towards
            // it (the value rises as e^a grows or e^(b − γL) shrinks).
            let excess = term / max(eps, 1e-300)
            g[0] = 1e3 * excess; g[1] = -1e3 * excess; g[2] = 1e3 * l * excess
            return Foundation.log(1e-300) - 1e3 * (excess - 1)
        }
        g[0] = eps / pred; g[1] = -term / pred; g[2] = term * l / pred
        return Foundation.log(pred)
    }
}
