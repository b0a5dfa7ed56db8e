import Foundation
import Numerics
import ScalingLaws

/// The law a candidate's runs are fitted with in `scaleplan select`, chosen by the variables
/// the runs vary. Every form predicts the log of a positive metric (a loss, or an error rate)
/// and is fitted by the Huber objective on log residuals (Hoffmann et al. 2022, Approach 3).
public enum SelectionLawForm: String, CaseIterable, Sendable {
    /// Size alone, L(N) = E + A N^-alpha (the form Ivgi et al. 2022 fit per configuration).
    case size
    /// Size and tokens, L(N, D) = E + A N^-alpha + B D^-beta (Hoffmann et al. 2022).
    case chinchilla
    /// Size and tokens with one exponent, L = E + (a N^-alpha + c D^-alpha) (Gadre et al. 2024).
    case overtrain
    /// Base-model size X and fine-tuning data D_f, L = A X^-alpha D_f^-beta + E: the
    /// multiplicative joint law of Zhang et al. 2024 (When Scaling Meets LLM Finetuning,
    /// arXiv:2402.17193, eq. 1).
    case finetune
    /// Fine-tuning data alone with a pre-learned data size D_l, L(D) = B / (D_l + D^beta) + E:
    /// the rectified law of Lin et al. 2024 (Selecting Large Language Model to Fine-tune via
    /// Rectified Scaling Law, arXiv:2402.02314, eq. 3), whose pre-power phase is the flat
    /// start while D^beta is below D_l.
    case rectified

    /// Names of the fitted parameters, in the order of `theta`.
    public var parameterNames: [String] {
        switch self {
        case .size: ["ln_A", "ln_E", "alpha"]
        case .chinchilla: ["ln_A", "ln_B", "ln_E", "alpha", "beta"]
        case .overtrain: ["ln_a", "ln_c6", "ln_E", "alpha"]
        case .finetune: ["ln_A", "ln_E", "alpha", "beta"]
        case .rectified: ["ln_B", "ln_E", "ln_Dl", "beta"]
        }
    }

    public var dimension: Int { parameterNames.count }

    /// Whether the law reads the tokens of a run.
    public var usesTokens: Bool { self != .size }

    /// Whether the law reads the model size of a run.
    public var usesParams: Bool { self != .rectified }

    /// The variable a run's "size" is for leave-one-size-out and the bootstrap strata: the
    /// fine-tuning data for the rectified law, the model size otherwise.
    public var scaleIsTokens: Bool { self == .rectified }

    /// The formula, for reports.
    public var formula: String {
        switch self {
        case .size: "L = E + A N^-alpha"
        case .chinchilla: "L = E + A N^-alpha + B D^-beta"
        case .overtrain: "L = E + a N^-alpha + c' D^-alpha"
        case .finetune: "L = A X^-alpha D_f^-beta + E"
        case .rectified: "L = B / (D_l + D^beta) + E"
        }
    }

    /// Where the form comes from.
    public var citation: String {
        switch self {
        case .size: "Ivgi, Carmon and Berant 2022, Scaling Laws Under the Microscope, arXiv:2202.06387"
        case .chinchilla: "Hoffmann et al. 2022, Training Compute-Optimal Large Language Models, arXiv:2203.15556, eq. 2"
        case .overtrain: "Gadre et al. 2024, Language models scale reliably with over-training and on downstream tasks, arXiv:2403.08540, eq. 4"
        case .finetune: "Zhang et al. 2024, When Scaling Meets LLM Finetuning, arXiv:2402.17193, eq. 1"
        case .rectified: "Lin et al. 2024, Selecting Large Language Model to Fine-tune via Rectified Scaling Law, arXiv:2402.02314, eq. 3"
        }
    }

    /// The predictor the fitting engine minimises.
    var predictor: any LogLossPredictor {
        switch self {
        case .size: SizeLogModel()
        case .chinchilla: ChinchillaLogModel()
        case .overtrain: OvertrainLogModel()
        case .finetune: FinetuneLogModel()
        case .rectified: RectifiedLogModel()
        }
    }

    /// The multi-start grid, in the fitting parameterisation.
    var startGrid: StartGrid {
        let lnA: [Double] = [0, 5, 10, 15, 20, 25]
        let lnE: [Double] = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5]
        switch self {
        case .size: return StartGrid(axes: [lnA, lnE, [0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1.2]])
        case .chinchilla: return .hoffmann
        case .overtrain: return .overtrain
        case .finetune: return StartGrid(axes: [lnA, lnE, [0.05, 0.2, 0.5, 1], [0.05, 0.2, 0.5, 1]])
        case .rectified: return StartGrid(axes: [[0, 5, 10, 15], lnE, [0, 5, 10, 15], [0.1, 0.3, 0.6, 1]])
        }
    }
}

/// ln L = LSE(a - alpha ln N, e), theta = (a, e, alpha).
struct SizeLogModel: LogLossPredictor {
    var dimension: Int { 3 }
    var lower: [Double]? { [-50, -30, 1e-3] }
    var upper: [Double]? { [100, 5, 5] }

    func logLoss(_ t: [Double], row i: Int, data: FitData, gradient g: inout [Double]) -> Double {
        let x = data.logParams[i]
        let l = logSumExp2(t[0] - t[2] * x, t[1])
        g[0] = l.p0; g[1] = l.p1; g[2] = -x * l.p0
        return l.value
    }
}

/// ln L = LSE(a - alpha ln X - beta ln D, e), theta = (a, e, alpha, beta).
struct FinetuneLogModel: LogLossPredictor {
    var dimension: Int { 4 }
    var lower: [Double]? { [-50, -30, 0, 1e-3] }
    var upper: [Double]? { [100, 5, 5, 5] }

    func logLoss(_ t: [Double], row i: Int, data: FitData, gradient g: inout [Double]) -> Double {
        let x = data.logParams[i], y = data.logTokens[i]
        let l = logSumExp2(t[0] - t[2] * x - t[3] * y, t[1])
        g[0] = l.p0; g[1] = l.p1; g[2] = -x * l.p0; g[3] = -y * l.p0
        return l.value
    }
}

/// ln L = LSE(b - LSE(l, beta ln D), e), theta = (b, e, l = ln D_l, beta).
struct RectifiedLogModel: LogLossPredictor {
    var dimension: Int { 4 }
    var lower: [Double]? { [-50, -30, -30, 1e-3] }
    var upper: [Double]? { [100, 5, 100, 5] }

    func logLoss(_ t: [Double], row i: Int, data: FitData, gradient g: inout [Double]) -> Double {
        let y = data.logTokens[i]
        let inner = logSumExp2(t[2], t[3] * y)
        let l = logSumExp2(t[0] - inner.value, t[1])
        g[0] = l.p0; g[1] = l.p1; g[2] = -l.p0 * inner.p0; g[3] = -l.p0 * inner.p1 * y
        return l.value
    }
}

/// ln(e^z0 + e^z1) with the softmax weights (the gradient).
@inline(__always)
func logSumExp2(_ z0: Double, _ z1: Double) -> (value: Double, p0: Double, p1: Double) {
    if z0 >= z1 {
        let e = Foundation.exp(z1 - z0), s = 1 + e
        return (z0 + Foundation.log(s), 1 / s, e / s)
    }
    let e = Foundation.exp(z0 - z1), s = 1 + e
    return (z1 + Foundation.log(s), e / s, 1 / s)
}
