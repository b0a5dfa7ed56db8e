import Foundation
import Numerics
import ScalingLaws

/// One candidate's runs fitted: the law, the noise of one run, and the runs flagged as
/// likely training problems (left out of the refit).
struct CandidateFit: Sendable {
    let name: String
    let form: SelectionLawForm
    /// The runs fitted, and their log metric on the fitted scale (ln of the loss or error).
    let runs: [SelectionRun]
    let logValues: [Double]
    let fit: LogFit
    /// The Huber threshold the law was fitted with (and its refits use).
    let delta: Double
    /// Log predictions at each fitted run.
    let fitted: [Double]
    /// Indices of `runs` grouped by (N, D): seed replicates share a cell.
    let cells: [[Int]]
    let seedNoise: Double?
    let noise: Double
    let flagged: [FlaggedRun]
    /// More runs lay beyond the threshold than a few failed runs explain; none were dropped.
    let misfitCount: Int

    /// The bootstrap's noise pool: within-cell deviations (scaled to unbiased spread) when
    /// replicates exist, else the fit's centred residuals scaled by sqrt(n / (n − p)).
    let pool: [Double]
    let poolIsReplicates: Bool

    var sizes: Int { Set(runs.map { form.scaleIsTokens ? ($0.tokens ?? 0) : $0.params }).count }

    /// Fits `runs` (complete runs of one candidate); flags runs beyond `flagSigma` noise
    /// standard deviations and refits without them when they are few (at most a fifth).
    ///
    /// `delta` nil chooses the Huber threshold from the data: a first fit at 1e-3 (nearly
    /// least absolute deviations, robust to failed runs) gives the noise σ, and the law is
    /// refitted at 1.345σ, Huber's threshold for 95% efficiency under Gaussian noise (Huber
    /// 1964; Huber and Ronchetti 2009, sec. 4.6). A near-L1 fit alone is inefficient, and a
    /// bootstrap of it understates the spread of extrapolated predictions.
    static func make(name: String, form: SelectionLawForm, runs all: [SelectionRun], toFitted: (Double) -> Double,
                     flagSigma: Double, delta: Double?) throws(SelectionError) -> CandidateFit {
        let first = try fitOnce(name: name, form: form, runs: all, toFitted: toFitted, delta: delta)
        // Each run is judged against the noise of the others (studentised), so a failed run
        // cannot hide in the spread it inflates.
        let z = all.indices.map { i in (first.logValues[i] - first.fitted[i]) / first.noiseWithout(i) }
        let beyond = z.indices.filter { abs(z[$0]) > flagSigma }
        let few = !beyond.isEmpty && beyond.count <= max(1, all.count / 5)
        guard few else {
            return first.with(flagged: [], misfit: beyond.count)
        }
        let flagged = beyond.map { i in
            FlaggedRun(run: all[i], predicted: Foundation.exp(first.fitted[i]), residualSigma: z[i])
        }
        let keep = all.indices.filter { !beyond.contains($0) }.map { all[$0] }
        let second = try fitOnce(name: name, form: form, runs: keep, toFitted: toFitted, delta: delta)
        return second.with(flagged: flagged, misfit: 0)
    }

    private func with(flagged: [FlaggedRun], misfit: Int) -> CandidateFit {
        CandidateFit(name: name, form: form, runs: runs, logValues: logValues, fit: fit, delta: delta, fitted: fitted, cells: cells,
                     seedNoise: seedNoise, noise: noise, flagged: flagged, misfitCount: misfit, pool: pool, poolIsReplicates: poolIsReplicates)
    }

    private static func fitOnce(name: String, form: SelectionLawForm, runs: [SelectionRun], toFitted: (Double) -> Double,
                                delta given: Double?) throws(SelectionError) -> CandidateFit {
        try checkIdentifiable(name: name, form: form, runs: runs)
        let logs = runs.map { Foundation.log(toFitted($0.value)) }
        let data = SelectionFitter.data(runs, logValues: logs)
        var delta = given ?? 1e-3
        guard var fit = SelectionFitter.fit(form, data, delta: delta) else { throw .noConvergence(candidate: name) }
        var fitted = runs.map { SelectionFitter.logPredict(form, fit.theta, params: $0.params, tokens: $0.tokens).value }
        var byPoint: [String: [Int]] = [:]
        var order: [String] = []
        for (i, r) in runs.enumerated() {
            let key = "\(r.params)|\(r.tokens ?? 0)"
            if byPoint[key] == nil { order.append(key) }
            byPoint[key, default: []].append(i)
        }
        let cells = order.map { byPoint[$0]! }
        var spread = noise(logs: logs, fitted: fitted, cells: cells, parameters: form.dimension)
        if given == nil {
            delta = 1.345 * spread.noise
            let starts = [fit.theta] + fit.starts
            guard let theta = SelectionFitter.refine(form, data, from: starts, delta: delta) else { throw .noConvergence(candidate: name) }
            fit = LogFit(theta: theta, starts: starts)
            fitted = runs.map { SelectionFitter.logPredict(form, fit.theta, params: $0.params, tokens: $0.tokens).value }
            spread = noise(logs: logs, fitted: fitted, cells: cells, parameters: form.dimension)
        }
        return CandidateFit(name: name, form: form, runs: runs, logValues: logs, fit: fit, delta: delta, fitted: fitted, cells: cells,
                            seedNoise: spread.seed, noise: spread.noise, flagged: [], misfitCount: 0, pool: spread.pool,
                            poolIsReplicates: spread.replicates)
    }

    /// The noise of one run: the seed-to-seed spread where replicates exist (pooled within
    /// cells), and the residual scale sqrt(Σr² / (n − p)); the larger is used. The bootstrap's pool is the within-cell deviations
    /// (scaled to unbiased spread) with replicates, else the centred residuals scaled by
    /// sqrt(n / (n − p)).
    static func noise(logs: [Double], fitted: [Double], cells: [[Int]], parameters p: Int)
        -> (seed: Double?, noise: Double, pool: [Double], replicates: Bool)
    {
        var squares = 0.0, dof = 0
        var deviations: [Double] = []
        for cell in cells where cell.count >= 2 {
            let mean = cell.map { logs[$0] }.reduce(0, +) / Double(cell.count)
            let scale = (Double(cell.count) / Double(cell.count - 1)).squareRoot()
            for i in cell {
                squares += (logs[i] - mean) * (logs[i] - mean)
                deviations.append((logs[i] - mean) * scale)
            }
            dof += cell.count - 1
        }
        let seedNoise = dof > 0 ? (squares / Double(dof)).squareRoot() : nil
        let n = logs.count
        let residuals = zip(logs, fitted).map { $0 - $1 }
        let residualNoise = (residuals.map { $0 * $0 }.reduce(0, +) / Double(n - p)).squareRoot()
        let noise = max(seedNoise ?? 0, residualNoise, 1e-6)
        if !deviations.isEmpty { return (seedNoise, noise, deviations, true) }
        let mean = residuals.reduce(0, +) / Double(n)
        let scale = (Double(n) / Double(n - p)).squareRoot()
        return (seedNoise, noise, residuals.map { ($0 - mean) * scale }, false)
    }

    /// The noise without run `i`: the seed spread pooled over the other cells' replicates (and
    /// the rest of i's cell), and the residual scale of the other runs; the larger is used.
    func noiseWithout(_ i: Int) -> Double {
        let p = form.dimension, n = runs.count
        var squares = 0.0, dof = 0
        for cell in cells {
            let members = cell.filter { $0 != i }
            guard members.count >= 2 else { continue }
            let mean = members.map { logValues[$0] }.reduce(0, +) / Double(members.count)
            squares += members.reduce(0.0) { $0 + (logValues[$1] - mean) * (logValues[$1] - mean) }
            dof += members.count - 1
        }
        let seed = dof > 0 ? (squares / Double(dof)).squareRoot() : 0
        var residualSquares = 0.0
        for k in runs.indices where k != i { residualSquares += (logValues[k] - fitted[k]) * (logValues[k] - fitted[k]) }
        let residual = n - 1 - p >= 1 ? (residualSquares / Double(n - 1 - p)).squareRoot() : noise
        return max(seed, residual, 1e-6)
    }

    /// The runs must outnumber the law's parameters and vary in every variable it reads.
    static func checkIdentifiable(name: String, form: SelectionLawForm, runs: [SelectionRun]) throws(SelectionError) {
        let p = form.dimension
        let points = Set(runs.map { "\($0.params)|\($0.tokens ?? 0)" }).count
        guard runs.count > p, points >= p else {
            throw .tooFewRuns(candidate: name, "\(runs.count) runs at \(points) distinct points; the \(form.rawValue) law has \(p) parameters, so it needs runs at \(p) or more points and more runs than parameters")
        }
        if form.usesParams, Set(runs.map(\.params)).count < (form == .size ? 3 : 2) {
            throw .tooFewRuns(candidate: name, "every run has \(Set(runs.map(\.params)).count == 1 ? "the same size" : "one of two sizes"); the \(form.rawValue) law needs runs at \(form == .size ? 3 : 2) or more sizes")
        }
        if form.usesTokens, Set(runs.compactMap(\.tokens)).count < (form == .rectified ? 3 : 2) {
            throw .tooFewRuns(candidate: name, "the runs vary too little in tokens; the \(form.rawValue) law needs runs at \(form == .rectified ? 3 : 2) or more token counts")
        }
    }

    /// One bootstrap resample of the log metric: with replicates, each cell (the runs at one
    /// N and D) is its mean plus seed deviations drawn from the pooled within-cell deviations;
    /// without, each fitted value plus a drawn residual.
    func resample(_ rng: inout SeededRandom) -> [Double] {
        var out = logValues
        func draw() -> Double { pool[Int(rng.next() % UInt64(pool.count))] }
        if poolIsReplicates {
            // Each cell keeps its mean and gets freshly drawn seed deviations, so a cell of k
            // replicates varies by σ²/k as the real one does (plain resampling of 2 runs with
            // replacement would halve that).
            for cell in cells {
                let mean = cell.map { logValues[$0] }.reduce(0, +) / Double(cell.count)
                for i in cell { out[i] = mean + draw() }
            }
        } else {
            for i in out.indices { out[i] = fitted[i] + draw() }
        }
        return out
    }
}
