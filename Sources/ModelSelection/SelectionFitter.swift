import Foundation
import LinearAlgebra
import Numerics
import ScalingLaws

/// A fitted parameter vector with the other optima the search found (warm starts for refits).
struct LogFit: Sendable {
    var theta: [Double]
    var starts: [[Double]]
}

/// Fitting and evaluating a selection law on runs given as (N, D, ln v).
enum SelectionFitter {
    /// The runs in the fitting engine's form. `logValues` replaces the runs' own log metric
    /// (bootstrap resamples); runs without tokens get D = 1 (no law that reads D is fitted to them).
    static func data(_ runs: [SelectionRun], logValues: [Double]) -> FitData {
        FitData(zip(runs, logValues).map { r, lv in
            TrainingRun(params: r.params, tokens: r.tokens ?? 1, loss: Foundation.exp(lv))
        })
    }

    /// Multi-start fit from the form's grid.
    static func fit(_ form: SelectionLawForm, _ data: FitData, delta: Double) -> LogFit? {
        multiStart(form.predictor, data, grid: form.startGrid, delta: delta)
    }

    private static func multiStart<M: LogLossPredictor>(_ model: M, _ data: FitData, grid: StartGrid, delta: Double) -> LogFit? {
        var engine = FitEngine(model: model, delta: delta)
        engine.finalists = 8
        let found = engine.multiStart(data, grid: grid)
        guard let best = found.first else { return nil }
        return LogFit(theta: best.theta, starts: found.prefix(4).map(\.theta))
    }

    /// Refit from warm starts (bootstrap resamples).
    static func refine(_ form: SelectionLawForm, _ data: FitData, from starts: [[Double]], delta: Double) -> [Double]? {
        refine(form.predictor, data, starts, delta)
    }

    private static func refine<M: LogLossPredictor>(_ model: M, _ data: FitData, _ starts: [[Double]], _ delta: Double) -> [Double]? {
        FitEngine(model: model, delta: delta).refine(data, from: starts)?.theta
    }

    /// ln v predicted at (N, D), with its gradient in theta.
    static func logPredict(_ form: SelectionLawForm, _ theta: [Double], params: Double, tokens: Double?) -> (value: Double, gradient: [Double]) {
        let one = FitData([TrainingRun(params: params, tokens: tokens ?? 1, loss: 1)])
        var g = [Double](repeating: 0, count: form.dimension)
        let v = predict(form.predictor, theta, one, &g)
        return (v, g)
    }

    private static func predict<M: LogLossPredictor>(_ model: M, _ theta: [Double], _ data: FitData, _ g: inout [Double]) -> Double {
        model.logLoss(theta, row: 0, data: data, gradient: &g)
    }

    /// The model size that minimises the law at compute C (tokens D = C / 6N), searched over
    /// tokens per parameter from e^-14 to e^14 around N = sqrt(C / 6).
    static func computeOptimal(_ form: SelectionLawForm, _ theta: [Double], compute c: Double) -> (params: Double, tokens: Double, logValue: Double)? {
        let mid = 0.5 * Foundation.log(c / 6)
        guard let x = ScalarSearch.minimize(in: (mid - 7)...(mid + 7), scanSteps: 56, tolerance: 1e-7, { (x: Double) -> Double in
            let n = Foundation.exp(x)
            return logPredict(form, theta, params: n, tokens: c / (6 * n)).value
        }) else { return nil }
        let n = Foundation.exp(x)
        return (n, c / (6 * n), logPredict(form, theta, params: n, tokens: c / (6 * n)).value)
    }

    /// Ordinary least squares of y on the columns of x with an intercept (LAPACK `dgels`
    /// through `Matrix.leastSquares`); the prediction at each row of `at`. Nil when the design
    /// is rank deficient or has fewer rows than columns.
    static func linearPrediction(x: [[Double]], y: [Double], at: [[Double]]) -> [Double]? {
        let p = (x.first?.count ?? 0) + 1
        guard y.count >= p, let design = try? Matrix(rowMajor: x.map { [1] + $0 }),
              let beta = try? design.leastSquares(y) else { return nil }
        return at.map { row in zip([1] + row, beta).reduce(0) { $0 + $1.0 * $1.1 } }
    }
}

extension SelectionLawForm {
    /// ln of the predicted metric at (N, D) for parameters `theta` (in `parameterNames`
    /// order), with its gradient in theta.
    public func logPrediction(_ theta: [Double], params: Double, tokens: Double?) -> (value: Double, gradient: [Double]) {
        SelectionFitter.logPredict(self, theta, params: params, tokens: tokens)
    }
}

extension CandidateResult {
    /// The prediction in the metric's own units at (N, D), from the fitted law or from
    /// `theta` (a bootstrap refit).
    /// Through the loss, the law gives the loss and `link` (or the fitted link) the error.
    public func prediction(params: Double, tokens: Double?, theta: [Double]? = nil, link: ErrorLink? = nil, higherIsBetter: Bool) -> Double {
        var v = Foundation.exp(SelectionFitter.logPredict(form, theta ?? self.theta, params: params, tokens: tokens).value)
        if let l = link ?? self.link { v = l.error(atLoss: v) }
        return higherIsBetter ? 1 - v : v
    }
}
