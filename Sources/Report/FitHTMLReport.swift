import Diagnostics
import ExperimentDesign
import FileIO
import Numerics
import ScalingLaws

/// The HTML report of `scaleplan fit`: the fitted law, its quality, the hold-out check, the
/// bootstrap intervals and the fitted-law plot, in one self-contained file.
extension FitReport {
    /// The fitted-law chart: runs, fixed-size curves and L*(C) with its bootstrap band.
    public var plot: FitPlot {
        FitPlot(title: "\(fit.law.form.rawValue) law fitted to \(fit.runs.count) runs", runs: fit.runs, law: fit.law,
                bootstrapLaws: bootstrap?.laws ?? [], confidence: bootstrap?.options.confidence ?? 0.95)
    }

    /// The whole page. `command` is printed in the footer.
    public func html(command: String = "scaleplan fit") -> String {
        var page = HTMLPage(title: "scaleplan fit: \(dataFile)")
        page.heading("Loss law fitted to \(dataFile)", level: 1)
        page.paragraph("\(fit.law.form.rawValue) law, \(fit.runs.count) runs, summed Huber objective \(NumberText.short(fit.objective, digits: 4)) (delta \(NumberText.short(fit.options.huberDelta))), \(fit.startsEvaluated) starts evaluated, \(fit.startsRefined) refined.", class: "lead")

        page.heading("Parameters")
        let intervals = Dictionary((bootstrap?.parameters ?? []).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let level = bootstrap.map { "\(NumberText.short(100 * $0.options.confidence))% interval (\($0.laws.count) resamples)" } ?? "interval (run with --bootstrap)"
        page.table(header: ["parameter", "estimate", level], rows: fit.law.parameters.map { p in
            let i = intervals[p.name]
            return [.init(p.name), .init(NumberText.short(p.value, digits: 5), numeric: true),
                    .init(i.map { "\(NumberText.short($0.low, digits: 4)) to \(NumberText.short($0.high, digits: 4))" } ?? "-", numeric: true)]
        })
        page.figure(plot.svg(id: "fit"), caption: "Each point is a run at its training compute 6ND. Coloured lines: the law at fixed model sizes; dashed red: the loss of the compute-optimal allocation at each budget.")

        page.heading("Fit quality")
        let abs = fit.residuals.map { Swift.abs($0) }.sorted()
        page.facts([
            ("RMSE of log residuals", NumberText.short(fit.rmse, digits: 4), "ln L_pred - ln L_obs"),
            ("median |log residual|", NumberText.short(percentile(abs, 0.5), digits: 4), nil),
            ("largest |log residual|", NumberText.short(abs.last ?? .nan, digits: 4), nil),
        ])
        if let h = holdout {
            page.heading("Leave-largest-out check")
            page.paragraph("Refitted on the \(h.trainedOn) smallest-compute runs, the law predicts the \(h.predictions.count) largest with mean absolute relative error \(NumberText.short(100 * h.meanAbsoluteRelativeError, digits: 3))% (largest \(NumberText.short(100 * h.maxAbsoluteRelativeError, digits: 3))%).")
        }
        if let a = try? fit.law.computeOptimal(compute: referenceCompute) {
            page.heading("Compute-optimal allocation at \(DisplayUnit.flop.format(referenceCompute))")
            var rows: [(String, String, String?)] = [
                ("model size N*", DisplayUnit.params.format(a.params), nil), ("tokens D*", DisplayUnit.tokens.format(a.tokens), nil),
                ("tokens per parameter", NumberText.short(a.tokensPerParam), nil), ("loss", DisplayUnit.loss.format(a.loss, digits: 4), nil),
            ]
            for i in bootstrap?.derived ?? [] {
                rows.append(("\(i.name) interval", "\(NumberText.short(i.low, digits: 4)) to \(NumberText.short(i.high, digits: 4))", "bootstrap percentiles"))
            }
            page.facts(rows)
        }
        page.body.append("<footer>Made by <code>\(XMLText.escape(command, quotes: false))</code>.</footer>")
        return page.rendered()
    }
}
