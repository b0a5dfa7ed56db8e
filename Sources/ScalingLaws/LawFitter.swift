import Foundation
import Numerics

/// How to fit a law.
public struct FitOptions: Sendable {
    /// The law family.
    public var form: LawForm
    /// Huber threshold delta on log-loss residuals (Hoffmann et al. use 1e-3).
    public var huberDelta: Double
    /// Starting points; nil uses `StartGrid.default(for: form)`.
    public var starts: StartGrid?
    /// How many starts successive halving carries to full convergence.
    public var finalists: Int
    /// Hears of each stage of the multi-start search (evaluation, halving rounds, final runs).
    public var progress: ProgressHandler? = nil

    public init(form: LawForm = .chinchilla, huberDelta: Double = 1e-3, starts: StartGrid? = nil, finalists: Int = 16) {
        self.form = form
        self.huberDelta = huberDelta
        self.starts = starts
        self.finalists = finalists
    }
}

/// A fitted law with what it took to get it.
public struct LawFit: Sendable {
    /// The fitted law.
    public let law: ScalingLaw
    /// Summed Huber objective at the optimum (dimensionless, on ln L residuals).
    public let objective: Double
    /// Runs used in the fit.
    public let runs: [TrainingRun]
    /// Starting points evaluated.
    public let startsEvaluated: Int
    /// Starts carried to full convergence.
    public let startsRefined: Int
    /// The options used.
    public let options: FitOptions
    /// For data-constrained fits: the single-epoch runs the base law was fitted on.
    public let baseRunsUsed: Int?

    /// Distinct optima in the fitting parameterisation, best first (bootstrap warm starts).
    let candidates: [[Double]]
    /// For data-constrained fits, the base law's distinct optima.
    let baseCandidates: [[Double]]

    /// Residuals ln L_predicted - ln L_observed, one per run.
    public var residuals: [Double] {
        runs.map { Foundation.log(law.unsafeLoss(params: $0.params, tokens: $0.tokens, uniqueTokens: $0.uniqueTokens) / $0.loss) }
    }

    /// Root mean square of the log residuals.
    public var rmse: Double {
        let r = residuals
        return (r.reduce(0) { $0 + $1 * $1 } / Double(max(r.count, 1))).squareRoot()
    }
}

/// Fits loss laws to training runs by multi-start L-BFGS on the Huber objective.
public enum LawFitter {
    /// Fits `options.form` to `runs`.
    ///
    /// - Throws: `FitError` for invalid runs, too few runs, or when no start converges.
    public static func fit(_ runs: [TrainingRun], options: FitOptions = FitOptions()) throws(FitError) -> LawFit {
        try validate(runs, options: options)
        let data = FitData(runs)
        switch options.form {
        case .chinchilla:
            let cands = try search(ChinchillaLogModel(), data, options, grid: options.starts ?? .hoffmann)
            return try finish(runs, options, law: law(ChinchillaLogModel(), cands[0]), cands: cands, grid: options.starts ?? .hoffmann)
        case .overtrain:
            let grid = options.starts ?? .overtrain
            let cands = try search(OvertrainLogModel(), data, options, grid: grid)
            return try finish(runs, options, law: law(OvertrainLogModel(), cands[0]), cands: cands, grid: grid)
        case .kaplan:
            let grid = options.starts ?? .kaplan
            let cands = try search(KaplanLogModel(), data, options, grid: grid)
            return try finish(runs, options, law: law(KaplanLogModel(), cands[0]), cands: cands, grid: grid)
        case .dataConstrained:
            return try fitDataConstrained(runs, data, options)
        }
    }

    /// Muennighoff et al.'s law, fitted by block coordinate descent. Start: the Chinchilla
    /// base law on the runs that see each token at most once (D <= U), then R*_D and R*_N with
    /// the base held fixed. Then alternate until the objective stops improving: refit the base
    /// on the effective sizes (N', D') the current law assigns to every run, and refit the
    /// half-lives on the new base. Each block is an exact Huber fit with analytic gradients;
    /// the coupling through U_N (which depends on the base law) is resolved by the iteration.
    private static func fitDataConstrained(_ runs: [TrainingRun], _ data: FitData, _ options: FitOptions) throws(FitError) -> LawFit {
        let singleEpoch = runs.filter { $0.tokens <= $0.uniqueTokens! }
        guard singleEpoch.count >= 5 else { throw .tooFewRuns(needed: 5, found: singleEpoch.count) }
        let baseCands = try search(ChinchillaLogModel(), FitData(singleEpoch), options, grid: .hoffmann)
        guard case .chinchilla(let base0) = try law(ChinchillaLogModel(), baseCands[0]) else { throw .noConvergence }
        let grid = options.starts ?? .dataConstrained
        let cands = try search(DataConstrainedLogModel(base: base0), data, options, grid: grid)
        guard case .dataConstrained(var best) = try law(DataConstrainedLogModel(base: base0), cands[0]) else { throw .noConvergence }
        var bestValue = cands[0].value
        var rStarCands = cands.prefix(4).map(\.theta)
        for _ in 0..<50 {
            guard let next = alternate(best, data, delta: options.huberDelta, rStarStarts: rStarCands) else { break }
            let improved = next.value < bestValue - 1e-12 * max(bestValue, 1e-300)
            if next.value < bestValue { best = next.law; bestValue = next.value; rStarCands = [next.theta] + rStarCands.prefix(3) }
            if !improved { break }
        }
        let law = ScalingLaw.dataConstrained(best)
        return LawFit(
            law: law, objective: bestValue, runs: runs, startsEvaluated: grid.count + StartGrid.hoffmann.count,
            startsRefined: min(options.finalists, grid.count), options: options, baseRunsUsed: singleEpoch.count,
            candidates: rStarCands, baseCandidates: [ChinchillaLogModel.theta(best.base)] + baseCands.prefix(3).map(\.theta))
    }

    /// One round of the block coordinate descent: base law on effective sizes, then half-lives.
    static func alternate(_ current: DataConstrainedLaw, _ data: FitData, delta: Double, rStarStarts: [[Double]])
        -> (law: DataConstrainedLaw, value: Double, theta: [Double])?
    {
        let effective = (0..<data.count).map { i in
            TrainingRun(
                params: current.effectiveParams(params: data.params[i], uniqueTokens: data.uniqueTokens[i]).value,
                tokens: current.effectiveTokens(tokens: data.tokens[i], uniqueTokens: data.uniqueTokens[i]).value,
                loss: Foundation.exp(data.logLoss[i]))
        }
        let baseEngine = FitEngine(model: ChinchillaLogModel(), delta: delta)
        guard let b = baseEngine.refine(FitData(effective).reweighted(data.weights), from: [ChinchillaLogModel.theta(current.base)]),
              case .chinchilla(let base)? = try? ChinchillaLogModel().law(b.theta) else { return nil }
        let model = DataConstrainedLogModel(base: base)
        let start = [Foundation.log(current.rStarD), Foundation.log(current.rStarN)]
        guard let r = FitEngine(model: model, delta: delta).refine(data, from: [start] + rStarStarts),
              case .dataConstrained(let law)? = try? model.law(r.theta) else { return nil }
        return (law, r.value, r.theta)
    }

    private static func search<M: LogLossModel>(_ model: M, _ data: FitData, _ options: FitOptions, grid: StartGrid) throws(FitError) -> [Candidate] {
        guard grid.axes.count == model.dimension else { throw .badStartGrid(expected: model.dimension, found: grid.axes.count) }
        var engine = FitEngine(model: model, delta: options.huberDelta)
        engine.finalists = options.finalists
        engine.progress = options.progress
        let cands = engine.multiStart(data, grid: grid)
        guard !cands.isEmpty else { throw .noConvergence }
        return cands
    }

    static func law<M: LogLossModel>(_ model: M, _ c: Candidate) throws(FitError) -> ScalingLaw {
        do { return try model.law(c.theta) } catch { throw .noConvergence }
    }

    private static func finish(_ runs: [TrainingRun], _ options: FitOptions, law: ScalingLaw, cands: [Candidate], grid: StartGrid) throws(FitError) -> LawFit {
        LawFit(
            law: law, objective: cands[0].value, runs: runs, startsEvaluated: grid.count,
            startsRefined: min(options.finalists, grid.count), options: options, baseRunsUsed: nil,
            candidates: cands.prefix(8).map(\.theta), baseCandidates: [])
    }

    static func validate(_ runs: [TrainingRun], options: FitOptions) throws(FitError) {
        guard options.huberDelta.isFinite, options.huberDelta > 0 else {
            throw .invalidOption(name: "huber delta", value: options.huberDelta, expected: "a positive number")
        }
        guard options.finalists >= 1 else {
            throw .invalidOption(name: "finalists", value: Double(options.finalists), expected: "at least 1")
        }
        for (i, r) in runs.enumerated() {
            for (q, v) in [("params", r.params), ("tokens", r.tokens), ("loss", r.loss)] where !(v.isFinite && v > 0) {
                throw .invalidRun(index: i, quantity: q, value: v)
            }
            if let u = r.uniqueTokens, !(u.isFinite && u > 0) { throw .invalidRun(index: i, quantity: "unique tokens", value: u) }
            if options.form == .dataConstrained, r.uniqueTokens == nil { throw .missingUniqueTokens(index: i) }
        }
        let needed = options.form.parameterNames.count
        guard runs.count >= needed else { throw .tooFewRuns(needed: needed, found: runs.count) }
    }
}
