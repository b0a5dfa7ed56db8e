import Foundation
import Numerics

/// What to resample and which derived quantities to report intervals for.
public struct BootstrapOptions: Sendable {
    /// Number of resamples (each refits the law).
    public var samples: Int
    /// Seed of the resampling; the same seed gives the same intervals.
    public var seed: UInt64
    /// Central interval probability, e.g. 0.95 for the 2.5th to 97.5th percentiles.
    public var confidence: Double
    /// Compute budget C (FLOP) at which to report the compute-optimal N* and D*.
    public var compute: Double?
    /// (N, D) at which to report the predicted loss.
    public var predictAt: (params: Double, tokens: Double)?
    /// Hears of each finished resample (of `samples`), from the worker threads one at a time.
    public var progress: ProgressHandler? = nil

    public init(samples: Int = 1000, seed: UInt64 = 0, confidence: Double = 0.95, compute: Double? = nil,
                predictAt: (params: Double, tokens: Double)? = nil) {
        self.samples = samples
        self.seed = seed
        self.confidence = confidence
        self.compute = compute
        self.predictAt = predictAt
    }
}

/// A percentile interval for one quantity.
public struct Interval: Equatable, Sendable {
    public let name: String
    /// The estimate from the full data.
    public let estimate: Double
    public let low: Double
    public let high: Double
}

/// Bootstrap results: the refitted laws and percentile intervals.
public struct BootstrapResult: Sendable {
    /// One law per successful resample, in sample order.
    public let laws: [ScalingLaw]
    /// Resamples whose refit failed (excluded from the intervals).
    public let failures: Int
    /// Intervals for each law parameter, in the law's canonical order.
    public let parameters: [Interval]
    /// Intervals for N*, D* (at `compute`) and the predicted loss (at `predictAt`).
    public let derived: [Interval]
    public let options: BootstrapOptions
}

/// Percentile bootstrap over training runs (Efron and Tibshirani 1993, ch. 13): resample
/// runs with replacement, refit, and take percentiles of each quantity.
///
/// Each refit starts from the distinct optima the full-data fit found (warm starts) rather
/// than the whole grid: a resample moves the optimum only a little, and this keeps 1,000
/// resamples to seconds. Resample i draws from its own stream of `seed`, so results do not
/// depend on how the work is spread over cores.
public enum Bootstrap {
    /// The most run refits one bootstrap may do (samples x runs): each refit visits every run,
    /// so the work grows with both. 25M is 100,000 resamples of 250 runs (about 90 s here) or
    /// 1,250 of 20,000 runs (a few minutes), so a typo cannot start an hours-long run.
    public static let maximumWork = 25_000_000

    /// Checks `samples` against the 1 to 1,000,000 range and `maximumWork` for `runs` runs,
    /// so a caller can refuse a bootstrap before it spends time on the fit.
    public static func check(samples: Int, runs: Int) throws(FitError) {
        guard samples >= 1, samples <= 1_000_000 else {
            throw .invalidOption(name: "bootstrap samples", value: Double(samples), expected: "1 to 1,000,000")
        }
        let most = maximumWork / max(1, runs)
        guard samples <= most else {
            throw .invalidOption(name: "bootstrap samples", value: Double(samples),
                                 expected: "at most \(most) with \(runs) runs (samples x runs is capped at \(maximumWork))")
        }
    }

    public static func run(_ fit: LawFit, options: BootstrapOptions) throws(FitError) -> BootstrapResult {
        try check(samples: options.samples, runs: fit.runs.count)
        guard options.confidence > 0, options.confidence < 1 else {
            throw .invalidOption(name: "confidence", value: options.confidence, expected: "a probability strictly between 0 and 1")
        }
        let n = fit.runs.count
        let data = FitData(fit.runs)
        let counter = ProgressCounter(total: options.samples, handler: options.progress)
        let laws: [ScalingLaw?] = parallelMap(options.samples) { i in
            defer { counter.advance() }
            var rng = SeededRandom(seed: options.seed, stream: i)
            var weights = [Double](repeating: 0, count: n)
            for _ in 0..<n { weights[Int(rng.next() % UInt64(n))] += 1 }
            return refit(fit, data.reweighted(weights))
        }
        let ok = laws.compactMap { $0 }
        let tail = (1 - options.confidence) / 2
        func interval(_ name: String, _ estimate: Double, _ values: [Double]) -> Interval {
            let v = values.filter(\.isFinite).sorted()
            return Interval(name: name, estimate: estimate, low: percentile(v, tail), high: percentile(v, 1 - tail))
        }
        let names = fit.law.parameters.map(\.name)
        let parameters = names.enumerated().map { k, name in
            interval(name, fit.law.parameters[k].value, ok.map { $0.parameters[k].value })
        }
        var derived: [Interval] = []
        if let c = options.compute {
            let best = try? fit.law.computeOptimal(compute: c)
            let optima = ok.map { try? $0.computeOptimal(compute: c) }
            derived.append(interval("params_opt", best?.params ?? .nan, optima.map { $0?.params ?? .nan }))
            derived.append(interval("tokens_opt", best?.tokens ?? .nan, optima.map { $0?.tokens ?? .nan }))
            derived.append(interval("loss_opt", best?.loss ?? .nan, optima.map { $0?.loss ?? .nan }))
        }
        if let p = options.predictAt {
            let est = fit.law.unsafeLoss(params: p.params, tokens: p.tokens)
            derived.append(interval("loss_at_point", est, ok.map { $0.unsafeLoss(params: p.params, tokens: p.tokens) }))
        }
        return BootstrapResult(laws: ok, failures: laws.count - ok.count, parameters: parameters, derived: derived, options: options)
    }

    /// Refits on reweighted data from the full fit's optima.
    static func refit(_ fit: LawFit, _ data: FitData) -> ScalingLaw? {
        let delta = fit.options.huberDelta
        switch fit.law.form {
        case .chinchilla:
            return best(ChinchillaLogModel(), delta, data, fit.candidates)
        case .overtrain:
            return best(OvertrainLogModel(), delta, data, fit.candidates)
        case .kaplan:
            return best(KaplanLogModel(), delta, data, fit.candidates)
        case .dataConstrained:
            guard case .dataConstrained(var current) = fit.law else { return nil }
            let starts = fit.candidates
            for _ in 0..<10 {
                guard let next = LawFitter.alternate(current, data, delta: delta, rStarStarts: starts) else { return nil }
                let moved = next.law.parameters().maxRelativeChange(from: current.parameters())
                current = next.law
                if moved < 1e-9 { break }
            }
            return .dataConstrained(current)
        }
    }

    private static func best<M: LogLossModel>(_ model: M, _ delta: Double, _ data: FitData, _ starts: [[Double]]) -> ScalingLaw? {
        let engine = FitEngine(model: model, delta: delta)
        guard let c = engine.refine(data, from: Array(starts.prefix(4))) else { return nil }
        return try? model.law(c.theta)
    }
}

/// Counts finished units of work from several threads and reports each count in order.
public final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let total: Int
    private let handler: ProgressHandler?

    /// A counter of `total` units reporting to `handler` (none: counting costs nothing).
    public init(total: Int, handler: ProgressHandler?) { self.total = total; self.handler = handler }

    /// Counts one finished unit and reports the count.
    public func advance() {
        guard let handler else { return }
        lock.lock()
        defer { lock.unlock() }
        done += 1
        handler(done, total)
    }
}

/// The q-quantile of sorted values with linear interpolation between order statistics
/// (numpy's default, Hyndman and Fan type 7). NaN for an empty list.
public func percentile(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let h = Double(sorted.count - 1) * q
    let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
    return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
}

extension DataConstrainedLaw {
    fileprivate func parameters() -> [Double] { ScalingLaw.dataConstrained(self).parameters.map(\.value) }
}

extension Array where Element == Double {
    fileprivate func maxRelativeChange(from other: [Double]) -> Double {
        zip(self, other).map { abs($0 - $1) / Swift.max(abs($1), 1e-300) }.max() ?? 0
    }
}
