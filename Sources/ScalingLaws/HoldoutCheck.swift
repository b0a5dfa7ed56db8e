import Foundation
import Numerics

/// How well a law fitted on the smaller runs predicts the largest ones: the check that
/// matters, because users extrapolate.
public struct HoldoutCheck: Sendable {
    /// One held-out run with its prediction.
    public struct Prediction: Sendable {
        public let run: TrainingRun
        /// Loss predicted by the law fitted without this run (nats per token).
        public let predicted: Double
        /// (predicted - observed) / observed.
        public var relativeError: Double { (predicted - run.loss) / run.loss }
    }

    /// The law fitted on the runs that were kept.
    public let law: ScalingLaw
    /// Runs used for that fit.
    public let trainedOn: Int
    /// Held-out runs (the largest by compute 6ND), with predictions.
    public let predictions: [Prediction]

    /// Root mean square of ln(predicted / observed) over the held-out runs.
    public var logRMSE: Double {
        let s = predictions.reduce(0.0) { $0 + Foundation.pow(Foundation.log($1.predicted / $1.run.loss), 2) }
        return (s / Double(max(predictions.count, 1))).squareRoot()
    }

    /// Mean of |relative error| over the held-out runs.
    public var meanAbsoluteRelativeError: Double {
        predictions.reduce(0.0) { $0 + abs($1.relativeError) } / Double(max(predictions.count, 1))
    }

    /// Largest |relative error|.
    public var maxAbsoluteRelativeError: Double { predictions.map { abs($0.relativeError) }.max() ?? 0 }

    /// Fits on all but the `fraction` of runs with the largest compute (at least one held
    /// out, and at least as many kept as the law has parameters), then predicts those.
    public static func leaveLargestOut(_ runs: [TrainingRun], fraction: Double = 0.1, options: FitOptions) throws(FitError) -> HoldoutCheck {
        guard fraction > 0, fraction < 1 else {
            throw .invalidOption(name: "hold-out fraction", value: fraction, expected: "a fraction strictly between 0 and 1")
        }
        let order = runs.indices.sorted { (runs[$0].compute, $0) < (runs[$1].compute, $1) }
        let held = max(1, Int((Double(runs.count) * fraction).rounded()))
        let kept = order.dropLast(held).map { runs[$0] }
        let out = order.suffix(held).map { runs[$0] }
        let fit = try LawFitter.fit(kept, options: options)
        return HoldoutCheck(
            law: fit.law, trainedOn: kept.count,
            predictions: out.map {
                Prediction(run: $0, predicted: fit.law.unsafeLoss(params: $0.params, tokens: $0.tokens, uniqueTokens: $0.uniqueTokens))
            })
    }
}
