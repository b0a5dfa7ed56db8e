import Diagnostics
import Foundation
import Numerics
import ScalingLaws

/// `scaleplan select`: which candidate configuration will be best at a target scale, from
/// small runs of each, and how sure that is.
///
/// Each candidate gets its own law (`SelectionLawForm`), fitted by multi-start L-BFGS on the
/// Huber objective of log residuals. The noise of one run is the seed-to-seed spread where
/// replicates exist, else a trimmed residual scale. Runs beyond `flagSigma` of it are flagged
/// and left out. A leave-one-size-out test decides whether the law shows a trend at all.
/// Intervals come from a bootstrap that resamples within sizes and seeds; the same resample
/// index refits every candidate, so the probability that each is best and the expected
/// regret of choosing the leader come from one joint distribution.
public enum ModelSelector {
    /// The law the runs support: size alone when they give no tokens, or when every
    /// candidate's tokens are a fixed multiple of its size (within 1%); otherwise Chinchilla
    /// with 15 runs or more per candidate (three per parameter), the over-training law with
    /// its one exponent below that.
    public static func chooseLaw(_ runs: [SelectionRun]) -> SelectionLawForm {
        let complete = runs.filter { !$0.partial }
        guard complete.allSatisfy({ $0.tokens != nil }) else { return .size }
        let byCandidate = Dictionary(grouping: complete, by: \.candidate)
        let fixedRatio = byCandidate.values.allSatisfy { rs in
            let ratios = rs.map { $0.tokens! / $0.params }
            return (ratios.max()! / ratios.min()!) < 1.01
        }
        if fixedRatio { return .size }
        return byCandidate.values.allSatisfy { $0.count >= 15 } ? .chinchilla : .overtrain
    }

    /// Compares the candidates in `runs` at `options.target`.
    ///
    /// - Throws: `SelectionError` for bad settings or runs, a candidate with too few runs for
    ///   its law, or a fit that does not converge.
    public static func select(_ runs: [SelectionRun], options: SelectionOptions) throws(SelectionError) -> SelectionResult {
        try options.validate()
        try check(runs, options)
        let form = options.law ?? chooseLaw(runs)
        let formChosen = options.law == nil
        try checkTarget(form, options.target, runs)
        let higher = options.higherIsBetter
        let toFitted: (Double) -> Double = { higher ? 1 - $0 : $0 }
        var names: [String] = []
        for r in runs where !names.contains(r.candidate) { names.append(r.candidate) }
        if form.usesTokens, runs.contains(where: { $0.tokens == nil }) {
            throw .invalidOption("the \(form.rawValue) law reads tokens, and the runs give none (name their column with --tokens-column)")
        }

        // Through the loss, the law is fitted to each run's loss and the link to its metric.
        let through = options.throughLoss
        if through, let r = runs.first(where: { $0.loss == nil }) {
            throw .invalidRun(row: r.row, "predicting through the loss needs each run's loss, and this run gives none")
        }
        let lawRuns = through ? runs.map { r -> SelectionRun in var copy = r; copy.value = r.loss!; return copy } : runs
        let originalByRow = Dictionary(runs.map { ($0.row, $0) }, uniquingKeysWith: { a, _ in a })
        let metricByRow = Dictionary(runs.map { ($0.row, toFitted($0.value)) }, uniquingKeysWith: { a, _ in a })
        let lawScale: (Double) -> Double = through ? { $0 } : toFitted
        var fits: [CandidateFit] = []
        var links: [ErrorLink?] = []
        for name in names {
            let complete = lawRuns.filter { $0.candidate == name && !$0.partial }
            let f = try CandidateFit.make(name: name, form: form, runs: complete, toFitted: lawScale,
                                          flagSigma: options.flagSigma, delta: options.huberDelta)
            fits.append(f)
            if through {
                guard let link = ErrorLink.fit(losses: f.runs.map(\.value), errors: f.runs.map { metricByRow[$0.row]! }, delta: f.delta) else {
                    throw .noConvergence(candidate: name)
                }
                links.append(link)
            } else {
                links.append(nil)
            }
        }
        let metrics: [[Double]?] = fits.map { f in through ? f.runs.map { metricByRow[$0.row]! } : nil }
        let trends = fits.indices.map { TrendAnalysis.test(fits[$0], metric: metrics[$0], delta: fits[$0].delta) }
        let ratio = tokensPerParam(runs)
        func metricLog(_ c: Int, _ theta: [Double], _ link: ErrorLink?) -> (params: Double?, tokens: Double?, logValue: Double)? {
            guard let at = targetPoint(form, theta, options.target, ratio: ratio) else { return nil }
            guard let link else { return at }
            return (at.params, at.tokens, Foundation.log(link.error(atLoss: Foundation.exp(at.logValue))))
        }
        let targets = fits.indices.map { metricLog($0, fits[$0].fit.theta, links[$0]) }
        let partials = lawRuns.filter(\.partial)

        // The joint bootstrap: resample b refits every candidate from its own stream.
        let draws: [[Draw?]] = parallelMap(options.bootstrap) { b in
            var rng = SeededRandom(seed: options.seed, stream: b)
            return fits.indices.map { c -> Draw? in
                let f = fits[c]
                let logs = f.resample(&rng)
                var link: ErrorLink?
                if let full = links[c], let m = metrics[c] {
                    // Case resampling of the (loss, error) pairs.
                    var w = [Double](repeating: 0, count: m.count)
                    for _ in m.indices { w[Int(rng.next() % UInt64(m.count))] += 1 }
                    guard let l = ErrorLink.fit(losses: f.runs.map(\.value), errors: m, weights: w, from: [full.theta], delta: f.delta) else { return nil }
                    link = l
                }
                guard let theta = SelectionFitter.refine(form, SelectionFitter.data(f.runs, logValues: logs), from: [f.fit.theta] + f.fit.starts,
                                                         delta: f.delta),
                      let at = metricLog(c, theta, link), at.logValue.isFinite else { return nil }
                let partialLogs = partials.filter { $0.candidate == f.name }.map {
                    SelectionFitter.logPredict(form, theta, params: $0.params, tokens: $0.tokens).value
                }
                return Draw(theta: theta, link: link, target: at.logValue, partial: partialLogs)
            }
        }
        let failures = draws.reduce(0) { $0 + $1.filter { $0 == nil }.count }

        let verdicts: [TrendVerdict] = trends.map { $0?.verdict ?? .untested }
        let rankedIdx = fits.indices.filter { verdicts[$0] != .none || options.includeNoTrend }
        let point = targets.map { $0?.logValue ?? .infinity }
        let leaderIdx = rankedIdx.min { (point[$0], $0) < (point[$1], $1) }
        let tail = (1 - options.confidence) / 2
        let logIntervals: [(Double, Double)] = fits.indices.map { c in
            let v = draws.compactMap { $0[c]?.target }.filter(\.isFinite).sorted()
            return (percentile(v, tail), percentile(v, 1 - tail))
        }
        // p_best and regret over resamples in which every ranked candidate was refitted.
        var wins = [Int](repeating: 0, count: fits.count)
        var regret = 0.0, complete = 0
        for d in draws {
            let values = rankedIdx.map { d[$0]?.target }
            guard !rankedIdx.isEmpty, values.allSatisfy({ $0 != nil }) else { continue }
            let v = values.map { $0! }
            let best = v.indices.min { (v[$0], $0) < (v[$1], $1) }!
            wins[rankedIdx[best]] += 1
            if let l = leaderIdx, let k = rankedIdx.firstIndex(of: l) {
                regret += Foundation.exp(v[k]) - Foundation.exp(v[best])
            }
            complete += 1
        }
        let fromFitted = toFitted
        var results: [CandidateResult] = []
        for c in fits.indices {
            let f = fits[c]
            let status: CandidateStatus
            if !rankedIdx.contains(c) { status = .unranked }
            else if c == leaderIdx { status = .leader }
            else if let l = leaderIdx, logIntervals[c].0 <= logIntervals[l].1 { status = .undecided }
            else { status = .behind }
            let (lo, hi) = (fromFitted(Foundation.exp(logIntervals[c].0)), fromFitted(Foundation.exp(logIntervals[c].1)))
            results.append(CandidateResult(
                name: f.name, form: form, theta: f.fit.theta, link: links[c], runs: f.runs.map { originalByRow[$0.row]! }, sizes: f.sizes, noise: f.noise, seedNoise: f.seedNoise,
                targetParams: targets[c]?.params, targetTokens: targets[c]?.tokens,
                predicted: fromFitted(Foundation.exp(point[c])), low: min(lo, hi), high: max(lo, hi),
                pBest: rankedIdx.contains(c) && complete > 0 ? Double(wins[c]) / Double(complete) : nil,
                trend: trends[c], verdict: verdicts[c], status: status,
                bootstrapThetas: draws.compactMap { $0[c]?.theta }, bootstrapLinks: draws.compactMap { $0[c] }.map(\.link),
                bootstrapLogPredictions: draws.map { $0[c]?.target }))
        }
        let leader = leaderIdx.map { fits[$0].name }
        let pWrong = leaderIdx.flatMap { results[$0].pBest }.map { 1 - $0 }
        let partialChecks = checkPartials(partials, fits: fits, draws: draws, form: form, higherIsBetter: options.higherIsBetter && !through,
                                          confidence: options.confidence)
        let next = NextRunDesign.propose(fits: fits, results: results, rankedIdx: rankedIdx, leaderIdx: leaderIdx,
                                         targets: targets, form: form, ratio: ratio, options: options)
        let flagged = fits.flatMap(\.flagged)
        var warnings = SelectionWarnings.make(fits: fits, results: results, trends: trends, form: form, formChosen: formChosen,
                                              failures: failures, samples: options.bootstrap * fits.count, partial: partialChecks,
                                              options: options)
        if form.usesTokens == false, !partials.isEmpty {
            warnings.append(Warning(.partialRunUnchecked, "\(partials.count) partial run\(partials.count == 1 ? "" : "s") cannot be checked: the size law reads no tokens, so it has no prediction for a run part-way through its tokens; use --law chinchilla or overtrain", subject: "partial runs"))
        }
        return SelectionResult(
            form: form, formChosen: formChosen, target: options.target, candidates: results, leader: leader,
            expectedRegret: complete > 0 && leaderIdx != nil ? regret / Double(complete) : nil, pWrong: pWrong,
            flagged: flagged, partial: partialChecks, nextRuns: next, bootstrapSamples: options.bootstrap,
            bootstrapFailures: failures, confidence: options.confidence, higherIsBetter: options.higherIsBetter, throughLoss: through,
            warnings: warnings)
    }

    struct Draw: Sendable {
        let theta: [Double]
        let link: ErrorLink?
        let target: Double
        let partial: [Double]
    }

    /// Every run's numbers must be usable; an accuracy (higher is better) must lie in [0, 1).
    static func check(_ runs: [SelectionRun], _ options: SelectionOptions) throws(SelectionError) {
        guard !runs.isEmpty else { throw .invalidOption("there are no runs") }
        for r in runs {
            guard r.params.isFinite, r.params > 0 else { throw .invalidRun(row: r.row, "the size must be a positive number") }
            if let d = r.tokens, !(d.isFinite && d > 0) { throw .invalidRun(row: r.row, "the tokens must be a positive number") }
            if options.higherIsBetter {
                guard r.value >= 0, r.value < 1 else {
                    throw .invalidRun(row: r.row, "with --higher-is-better the metric must be an accuracy in [0, 1), found \(r.value); give an error or loss (lower is better) otherwise")
                }
            } else {
                guard r.value.isFinite, r.value > 0 else { throw .invalidRun(row: r.row, "the metric must be a positive number (a loss or error rate), found \(r.value)") }
            }
        }
        guard runs.contains(where: { !$0.partial }) else { throw .invalidOption("every run is marked partial; nothing is left to fit") }
    }

    /// The target must give what the law reads.
    static func checkTarget(_ form: SelectionLawForm, _ target: SelectionTarget, _ runs: [SelectionRun]) throws(SelectionError) {
        switch target {
        case .point(let n, let d):
            if form.usesParams, n == nil { throw .invalidOption("the \(form.rawValue) law needs a target size (--target-params)") }
            if form.usesTokens, d == nil { throw .invalidOption("the \(form.rawValue) law needs target tokens (--target-tokens)") }
        case .compute:
            switch form {
            case .finetune, .rectified:
                throw .invalidOption("a compute target has no meaning for the \(form.rawValue) law; give --target-params and --target-tokens")
            case .size:
                guard runs.allSatisfy({ $0.tokens != nil }) else {
                    throw .invalidOption("the size law turns a compute target into a size through the runs' tokens per parameter, and the runs give no tokens; give --target-params")
                }
            case .chinchilla, .overtrain: break
            }
        }
    }

    /// The runs' median tokens per parameter (the size law's compute target is N = sqrt(C / 6r)).
    static func tokensPerParam(_ runs: [SelectionRun]) -> Double? {
        let r = runs.compactMap { run in run.tokens.map { $0 / run.params } }.sorted()
        return r.isEmpty ? nil : percentile(r, 0.5)
    }

    /// Where a law with parameters `theta` is evaluated, and its log prediction there.
    static func targetPoint(_ form: SelectionLawForm, _ theta: [Double], _ target: SelectionTarget, ratio: Double?)
        -> (params: Double?, tokens: Double?, logValue: Double)?
    {
        switch target {
        case .point(let n, let d):
            return (n, d, SelectionFitter.logPredict(form, theta, params: n ?? 1, tokens: d).value)
        case .compute(let c):
            if form == .size {
                guard let r = ratio else { return nil }
                let n = (c / (6 * r)).squareRoot()
                return (n, n * r, SelectionFitter.logPredict(form, theta, params: n, tokens: nil).value)
            }
            guard let o = SelectionFitter.computeOptimal(form, theta, compute: c) else { return nil }
            return (o.params, o.tokens, o.logValue)
        }
    }

    /// Each partial run against the law's bootstrap and run noise.
    /// Through the loss, partial runs are compared on their loss with the loss law.
    static func checkPartials(_ partials: [SelectionRun], fits: [CandidateFit], draws: [[Draw?]], form: SelectionLawForm,
                              higherIsBetter higher: Bool, confidence: Double) -> [PartialRunCheck] {
        guard form.usesTokens else { return [] }
        let fromFitted: (Double) -> Double = { higher ? 1 - $0 : $0 }
        let q = NormalDistribution.quantile(0.5 + confidence / 2)
        var out: [PartialRunCheck] = []
        for (c, f) in fits.enumerated() {
            let mine = partials.filter { $0.candidate == f.name }
            for (k, r) in mine.enumerated() {
                let pred = SelectionFitter.logPredict(form, f.fit.theta, params: r.params, tokens: r.tokens).value
                let b = draws.compactMap { $0[c]?.partial[k] }.filter(\.isFinite)
                let mean = b.isEmpty ? pred : b.reduce(0, +) / Double(b.count)
                let variance = b.count < 2 ? 0 : b.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(b.count - 1)
                let sd = (f.noise * f.noise + variance).squareRoot()
                let observed = Foundation.log(higher ? 1 - r.value : r.value)
                let z = (observed - pred) / sd
                let status: PartialRunCheck.Status = z > 1.96 ? .behind : (z < -1.96 ? .ahead : .onTrack)
                let lo = fromFitted(Foundation.exp(pred - q * sd)), hi = fromFitted(Foundation.exp(pred + q * sd))
                out.append(PartialRunCheck(
                    run: r, predicted: fromFitted(Foundation.exp(pred)), low: min(lo, hi), high: max(lo, hi), z: z,
                    probability: 1 - NormalDistribution.cdf(z), behindBy: Foundation.exp(observed - pred) - 1, status: status))
            }
        }
        // Partial runs of a candidate with no complete runs have no law to compare with.
        return out
    }
}
