/// How `ModelSelector.select` compares the candidates.
public struct SelectionOptions: Sendable {
    /// The law every candidate is fitted with; nil chooses it from the runs (`ModelSelector.chooseLaw`).
    public var law: SelectionLawForm?
    /// Where the candidates are compared.
    public var target: SelectionTarget
    /// Bootstrap resamples (each refits every candidate); at least 20.
    public var bootstrap: Int
    /// Seed of the resampling: the same seed gives the same answer.
    public var seed: UInt64
    /// Central probability of the reported intervals.
    public var confidence: Double
    /// Runs whose log residual exceeds this many noise standard deviations are flagged.
    public var flagSigma: Double
    /// The metric is better when higher (an accuracy in [0, 1)): the laws are fitted to 1 − metric.
    public var higherIsBetter: Bool
    /// Predict the metric through each run's loss: a loss law, then Gadre et al.'s link
    /// from loss to error (`ErrorLink`), both per candidate.
    public var throughLoss: Bool
    /// Rank candidates whose law shows no scaling trend too.
    public var includeNoTrend: Bool
    /// Huber threshold on log residuals; nil chooses 1.345σ from a first fit (`CandidateFit.make`).
    public var huberDelta: Double?
    /// How many next runs to propose.
    public var nextRuns: Int
    /// Seeds per proposed run considered (1 to this many).
    public var maxSeedsPerNextRun: Int
    /// Dollars to train one run of (params, tokens), from a hardware profile; nil ranks the
    /// next runs per FLOP only.
    public var runCost: (@Sendable (_ params: Double, _ tokens: Double) -> Double?)?

    public init(law: SelectionLawForm? = nil, target: SelectionTarget, bootstrap: Int = 1000, seed: UInt64 = 0,
                confidence: Double = 0.95, flagSigma: Double = 3, higherIsBetter: Bool = false, throughLoss: Bool = false, includeNoTrend: Bool = false,
                huberDelta: Double? = nil, nextRuns: Int = 5, maxSeedsPerNextRun: Int = 3,
                runCost: (@Sendable (_ params: Double, _ tokens: Double) -> Double?)? = nil) {
        self.law = law
        self.target = target
        self.bootstrap = bootstrap
        self.seed = seed
        self.confidence = confidence
        self.flagSigma = flagSigma
        self.higherIsBetter = higherIsBetter
        self.throughLoss = throughLoss
        self.includeNoTrend = includeNoTrend
        self.huberDelta = huberDelta
        self.nextRuns = nextRuns
        self.maxSeedsPerNextRun = maxSeedsPerNextRun
        self.runCost = runCost
    }

    /// Checks every setting's range.
    func validate() throws(SelectionError) {
        guard (20...100_000).contains(bootstrap) else {
            throw .invalidOption("the bootstrap needs 20 to 100000 resamples, found \(bootstrap)")
        }
        guard confidence > 0, confidence < 1 else { throw .invalidOption("the confidence must lie strictly between 0 and 1, found \(confidence)") }
        guard flagSigma.isFinite, flagSigma > 0 else { throw .invalidOption("the flag threshold must be a positive number of standard deviations, found \(flagSigma)") }
        if let d = huberDelta, !(d.isFinite && d > 0) { throw .invalidOption("the Huber threshold must be positive, found \(d)") }
        guard (0...100).contains(nextRuns) else { throw .invalidOption("between 0 and 100 next runs can be proposed, found \(nextRuns)") }
        guard (1...16).contains(maxSeedsPerNextRun) else { throw .invalidOption("1 to 16 seeds per next run, found \(maxSeedsPerNextRun)") }
        switch target {
        case .compute(let c):
            guard c.isFinite, c > 0 else { throw .invalidOption("the target compute must be a positive number of FLOP") }
        case .point(let n, let d):
            for v in [n, d].compactMap({ $0 }) where !(v.isFinite && v > 0) {
                throw .invalidOption("the target size and tokens must be positive numbers")
            }
        }
    }
}
