import Diagnostics

/// Whether a candidate's law predicts held-out sizes better than the baselines.
public enum TrendVerdict: String, Sendable {
    /// The law beats both a flat and a log-linear baseline when each size is left out in turn.
    case law
    /// It does not: no scaling trend in this range (Ivgi et al. 2022 find such tasks).
    case none
    /// Too few sizes to leave one out and still fit the law.
    case untested
}

/// Leave-one-size-out prediction: each distinct size held out in turn, the law and the
/// baselines fitted on the rest, each held-out run predicted. Errors are mean squared log
/// residuals over all held-out runs.
public struct TrendTest: Sendable {
    /// Sizes held out (folds that could be fitted).
    public let folds: Int
    public let lawError: Double
    /// The mean of the training runs' log metric.
    public let flatError: Double
    /// Least squares of the log metric on ln N (and ln D where the law reads tokens).
    public let logLinearError: Double
    public let verdict: TrendVerdict
}

/// A run whose residual is beyond `flagSigma` noise standard deviations: a likely training
/// problem (learning rate, warmup, batch), left out of the refit.
public struct FlaggedRun: Sendable {
    /// The run as fitted: through the loss, its `value` is its loss.
    public let run: SelectionRun
    /// The law's prediction for the run (metric units), from the fit that included it.
    public let predicted: Double
    /// (ln observed − ln predicted) / noise, on the fitted scale (positive: worse than the law).
    public let residualSigma: Double
}

/// A checkpoint of a run still training, against the law's prediction for a finished run of
/// the same size and tokens.
public struct PartialRunCheck: Sendable {
    public enum Status: String, Sendable { case onTrack = "on_track", behind, ahead }
    public let run: SelectionRun
    /// Predicted metric and its interval (bootstrap and run noise together), metric units.
    public let predicted: Double
    public let low: Double
    public let high: Double
    /// (ln observed − ln predicted) / sqrt(noise² + bootstrap variance), on the fitted scale.
    public let z: Double
    /// The probability that a healthy run would do at least this badly: 1 − Φ(z).
    public let probability: Double
    /// How much worse than predicted, as a fraction of the prediction (negative: better).
    public let behindBy: Double
    public let status: Status
}

/// Where a candidate stands in the decision.
public enum CandidateStatus: String, Sendable {
    /// The best predicted metric at the target.
    case leader
    /// Its interval overlaps the leader's: the budget cannot tell them apart.
    case undecided
    /// Its interval lies wholly on the worse side of the leader's.
    case behind
    /// Not ranked (no scaling trend; `includeNoTrend` ranks it).
    case unranked
}

/// One candidate's fitted law and prediction at the target.
public struct CandidateResult: Sendable {
    public let name: String
    public let form: SelectionLawForm
    /// Fitted parameters, in `form.parameterNames` order (of the loss law, through the loss).
    public let theta: [Double]
    /// The loss-to-error link, when the metric is predicted through the loss.
    public let link: ErrorLink?
    /// The runs fitted (flagged and partial runs excluded), with their metric as given.
    public let runs: [SelectionRun]
    /// Distinct sizes among them.
    public let sizes: Int
    /// Noise of one run, standard deviation of the log metric.
    public let noise: Double
    /// Seed-to-seed standard deviation of the log metric, when replicates exist.
    public let seedNoise: Double?
    /// Where the candidate is evaluated (the compute-optimal point for a compute target).
    public let targetParams: Double?
    public let targetTokens: Double?
    /// Predicted metric at the target and its bootstrap percentile interval.
    public let predicted: Double
    public let low: Double
    public let high: Double
    /// Probability of being the best at the target over the joint bootstrap (ranked candidates only).
    public let pBest: Double?
    public let trend: TrendTest?
    public let verdict: TrendVerdict
    public let status: CandidateStatus
    /// Laws (and links) refitted on the bootstrap resamples (for bands).
    public let bootstrapThetas: [[Double]]
    public let bootstrapLinks: [ErrorLink?]
    /// Log predictions at the target, one per successful resample.
    let bootstrapLogPredictions: [Double?]

    public var ranked: Bool { status != .unranked }
}

/// A run to do next, and how much it lowers the chance of choosing wrongly.
public struct NextRun: Sendable {
    public let candidate: String
    public let params: Double
    public let tokens: Double
    public let seeds: Int
    /// Training compute of all its seeds, 6ND x seeds, FLOP.
    public let flops: Double
    /// Dollars on the chosen hardware, when one is given.
    public let usd: Double?
    /// Probability that the leader is not the best at the target, now and after the run
    /// (Gaussian approximation, linearised information of the new run).
    public let pWrongBefore: Double
    public let pWrongAfter: Double
    /// Whether the tokens were assumed (20 per parameter) because the runs give none.
    public let tokensAssumed: Bool
}

/// The answer of `scaleplan select`.
public struct SelectionResult: Sendable {
    public let form: SelectionLawForm
    /// Whether the law was chosen from the runs.
    public let formChosen: Bool
    public let target: SelectionTarget
    public let candidates: [CandidateResult]
    /// The ranked candidate with the best prediction.
    public let leader: String?
    /// E[metric of the leader − metric of the best] over the joint bootstrap (metric units, ≥ 0).
    public let expectedRegret: Double?
    /// Probability that the leader is not the best (1 − its p_best).
    public let pWrong: Double?
    public let flagged: [FlaggedRun]
    public let partial: [PartialRunCheck]
    public let nextRuns: [NextRun]
    public let bootstrapSamples: Int
    public let bootstrapFailures: Int
    public let confidence: Double
    public let higherIsBetter: Bool
    /// Whether the metric was predicted through the loss (`ErrorLink`).
    public let throughLoss: Bool
    public let warnings: [Warning]
}
