import Foundation
import Numerics

/// Leave-one-size-out prediction of a candidate's runs by its law against a flat and a
/// log-linear baseline (the test of a scaling trend Ivgi et al. 2022 motivate: some tasks
/// show no law in the small range).
enum TrendAnalysis {
    /// Holds out each distinct size in turn but the smallest (the fine-tuning data size for the
    /// rectified law), fits the law from its whole start grid and both baselines to the other
    /// runs, and predicts the held-out runs. The smallest size is never held out: selection
    /// predicts upwards, and the smallest models are the ones that sit off the law (on
    /// Gadre et al.'s runs, predicting the 11M models from the larger ones is the one fold
    /// where the log-linear baseline wins; Choshen et al. 2024 advise dropping the smallest
    /// models). Folds whose training runs cannot identify the law are skipped; with fewer than
    /// two folds left the trend is untested.
    ///
    /// With `metric` (the fitted-scale metric of each run, predicted through the loss), the
    /// fold fits the loss law and the link on the training runs and predicts the held-out
    /// metric, and the baselines are fitted to the metric.
    static func test(_ c: CandidateFit, metric: [Double]? = nil, delta: Double) -> TrendTest? {
        let form = c.form
        func scale(_ r: SelectionRun) -> Double { form.scaleIsTokens ? (r.tokens ?? 0) : r.params }
        let sizes = Array(Set(c.runs.map(scale))).sorted()
        var lawSq = 0.0, flatSq = 0.0, linearSq = 0.0, heldOut = 0, folds = 0
        for s in sizes.dropFirst() {
            let train = c.runs.indices.filter { scale(c.runs[$0]) != s }
            let test = c.runs.indices.filter { scale(c.runs[$0]) == s }
            let trainRuns = train.map { c.runs[$0] }
            guard (try? CandidateFit.checkIdentifiable(name: c.name, form: form, runs: trainRuns)) != nil else { continue }
            let logs = train.map { c.logValues[$0] }
            guard let fit = SelectionFitter.fit(form, SelectionFitter.data(trainRuns, logValues: logs), delta: delta) else { continue }
            var link: ErrorLink?
            if let metric {
                guard let l = ErrorLink.fit(losses: train.map { Foundation.exp(c.logValues[$0]) }, errors: train.map { metric[$0] }, delta: delta) else { continue }
                link = l
            }
            // The quantity predicted: the log metric (through the loss) or the law's own.
            let target = metric.map { m in c.runs.indices.map { Foundation.log(m[$0]) } } ?? c.logValues
            let trainTarget = train.map { target[$0] }
            // The baselines: the mean, and least squares on the logs of the variables the law reads.
            func regressors(_ r: SelectionRun) -> [Double] {
                var x: [Double] = []
                if form.usesParams, Set(trainRuns.map(\.params)).count > 1 { x.append(Foundation.log(r.params)) }
                if form.usesTokens, Set(trainRuns.compactMap(\.tokens)).count > 1 { x.append(Foundation.log(r.tokens ?? 1)) }
                return x
            }
            let mean = trainTarget.reduce(0, +) / Double(trainTarget.count)
            let linear = SelectionFitter.linearPrediction(x: trainRuns.map(regressors), y: trainTarget, at: test.map { regressors(c.runs[$0]) })
            for (k, i) in test.enumerated() {
                let r = c.runs[i], y = target[i]
                var law = SelectionFitter.logPredict(form, fit.theta, params: r.params, tokens: r.tokens).value
                if let link { law = Foundation.log(link.error(atLoss: Foundation.exp(law))) }
                lawSq += (law - y) * (law - y)
                flatSq += (mean - y) * (mean - y)
                linearSq += linear.map { ($0[k] - y) * ($0[k] - y) } ?? .infinity
                heldOut += 1
            }
            folds += 1
        }
        guard folds >= 2, heldOut > 0 else { return nil }
        let n = Double(heldOut)
        let law = lawSq / n, flat = flatSq / n, linear = linearSq / n
        // The law must explain at least a quarter of the held-out variance about the flat
        // baseline (on pure noise a 3-parameter law that can fall back to a constant ties with
        // the flat baseline, and wins by chance about one time in five), and beat the log-linear one.
        let verdict: TrendVerdict = law.isFinite && law < 0.75 * flat && law < linear ? .law : .none
        return TrendTest(folds: folds, lawError: law, flatError: flat, logLinearError: linear, verdict: verdict)
    }
}
