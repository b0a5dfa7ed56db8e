import Foundation
import Numerics
import ScalingLaws

/// The spread of a law's predictions: laws refitted on bootstrap resamples of the runs
/// (`scaleplan fit --bootstrap`), and optionally a confidence at which the loss bound must hold.
///
/// With a confidence c the plan's loss is the c-quantile of the sample losses at (N, D): the
/// k-th smallest of the S sample losses with k = ⌈c S⌉ (nearest rank). `loss <= l` at that
/// quantile holds exactly when at least k samples (a fraction c) predict a loss of at most l,
/// which is the sample approximation of the chance constraint P(loss <= l) >= c (Luedtke and
/// Ahmed 2008): each sample's loss falls with D, so the order statistic does too.
public struct LossUncertainty: Sendable {
    /// Bootstrap laws, at least 2.
    public let samples: [ScalingLaw]
    /// Fraction of samples that must meet the loss bound, in (0, 1); nil for bands only.
    public let confidence: Double?

    /// The nearest-rank quantiles reported as a band: 5% and 95%.
    public static let band = (low: 0.05, high: 0.95)

    public init(samples: [ScalingLaw], confidence: Double?) {
        self.samples = samples
        self.confidence = confidence
    }

    /// Sample losses at (N, D), sorted; served at `quantization` under `model` when given.
    public func losses(params n: Double, tokens d: Double, uniqueTokens u: Double?,
                       quantization: QuantizationChoice? = nil, model: QuantizationModel = .free) -> [Double] {
        samples.map { $0.unsafeLoss(params: n, tokens: d, uniqueTokens: u) + model.loss(quantization, law: $0, params: n, tokens: d, uniqueTokens: u) }.sorted()
    }

    /// The nearest-rank q-quantile of sorted values: the ⌈q S⌉-th smallest.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let k = min(sorted.count, max(1, Int((q * Double(sorted.count) - 1e-9).rounded(.up))))
        return sorted[k - 1]
    }

    /// The loss the plan reaches with the requested confidence, or nil without one.
    public func lossAtConfidence(params n: Double, tokens d: Double, uniqueTokens u: Double?,
                                 quantization: QuantizationChoice? = nil, model: QuantizationModel = .free) -> Double? {
        confidence.map { Self.quantile(losses(params: n, tokens: d, uniqueTokens: u, quantization: quantization, model: model), $0) }
    }
}

extension PlanningProblem {
    /// The loss that the loss objective and the loss bound use at (N, D): the loss reached with
    /// the confidence when one is set (`LossUncertainty`), else the law's, with the unique-token
    /// limit, served at `solverQuantization`. `PlanMetrics.value(.loss)` is the same number
    /// for a plan whose fleet is held to that quantisation.
    public func boundedLoss(params n: Double, tokens d: Double) -> Double {
        let u = training.uniqueTokens, q = solverQuantization
        return lossUncertainty?.lossAtConfidence(params: n, tokens: d, uniqueTokens: u, quantization: q, model: quantization)
            ?? law.unsafeLoss(params: n, tokens: d, uniqueTokens: u) + quantization.loss(q, law: law, params: n, tokens: d, uniqueTokens: u)
    }

    /// Whether the served loss can rise with D at a fixed N (post-training rounding under
    /// Kumar et al.'s law): then more tokens are not always better, and searches over D stop
    /// where the loss stops falling (`mostUsefulLogTokens`).
    public var lossMayRiseWithTokens: Bool { quantization.degradesWithTokens(solverQuantization) }

    /// ln D where the loss the bounds bind stops falling at N parameters, within [lo, hi]
    /// (ln D): hi when it falls throughout; otherwise the minimum of the loss in ln D
    /// (convex for a posynomial loss), by golden-section search to 1e-12.
    public func mostUsefulLogTokens(params n: Double, lo: Double, hi: Double) -> Double {
        guard lossMayRiseWithTokens, hi > lo else { return hi }
        return ScalarSearch.endOfDescent(in: lo...hi) { boundedLoss(params: n, tokens: Foundation.exp($0)) }
    }

    /// Whether that loss is a posynomial in (ln N, ln D) that GLPK's cuts can use: not at a
    /// confidence (an order statistic of sample losses), nor for the data-constrained law under
    /// a unique-token limit, nor for Kaplan's law with a post-training degradation added.
    public var lossIsPosynomial: Bool {
        if lossUncertainty?.confidence != nil { return false }
        if case .dataConstrained = law, training.uniqueTokens != nil { return false }
        // Kaplan's loss is a posynomial only through its 1/alphaD-th power, which an added
        // post-training degradation breaks.
        if case .kaplan = law, let q = solverQuantization, QuantizationModel.isQuantized(q.precision), q.method == .postTraining,
           quantization.postTraining != nil { return false }
        return true
    }
}
