import Diagnostics
import Foundation
import ModelSelection
import Numerics

/// The HTML report of `scaleplan select`: the decision, the ranking, the candidates' laws out
/// to the target, flagged and partial runs and the next runs, in one self-contained file.
extension SelectReport {
    public var plot: SelectPlot { SelectPlot(result: result, metric: metric) }

    public func html(command: String = "scaleplan select", warnings: [Warning]) -> String {
        var page = HTMLPage(title: "scaleplan select: \(dataFile)")
        page.heading("Which candidate is best at the target", level: 1)
        let lead: String
        if let leader = result.leader {
            let p = result.pWrong.map { ", probability \(NumberText.short(100 * (1 - $0), digits: 3))% that it is the best" } ?? ""
            let r = result.expectedRegret.map { "; expected regret of choosing it \(NumberText.short($0, digits: 3)) in \(metric)" } ?? ""
            lead = "Leader: \(leader)\(p)\(r). \(result.form.rawValue) law (\(result.form.formula); \(result.form.citation)), \(result.bootstrapSamples) joint bootstrap resamples."
        } else {
            lead = "No candidate is ranked: none shows a scaling trend in its runs."
        }
        page.paragraph(lead, class: "lead")
        if !warnings.isEmpty { page.notes(warnings.map { "Warning (\($0.code.rawValue)): \($0.description)" }, class: "warn") }
        let level = "\(NumberText.short(100 * result.confidence))% interval"
        page.table(header: ["candidate", "predicted \(metric)", level, "p_best", "trend", "status", "runs"], rows: result.candidates.map { c in
            [.init(c.name), .init(NumberText.short(c.predicted, digits: 4), numeric: true),
             .init("\(NumberText.short(c.low, digits: 4)) to \(NumberText.short(c.high, digits: 4))", numeric: true),
             .init(c.pBest.map { NumberText.short($0, digits: 3) } ?? "-", numeric: true), .init(c.verdict.rawValue), .init(c.status.rawValue),
             .init(String(c.runs.count), numeric: true)]
        })
        if let svg = plot.svg() {
            page.figure(svg, caption: "Each candidate's runs and its fitted law with the bootstrap band, out to the target (dashed line). Crosses: runs flagged and left out; rings: runs still in training.")
        }
        if !result.flagged.isEmpty {
            page.heading("Flagged runs")
            let fitted = result.throughLoss ? "loss" : metric
            page.table(header: ["candidate", "params", "tokens", "seed", fitted, "predicted", "residual (sigma)"], rows: result.flagged.map { f in
                [.init(f.run.candidate), .init(DisplayUnit.params.format(f.run.params), numeric: true),
                 .init(f.run.tokens.map { DisplayUnit.tokens.format($0) } ?? "-", numeric: true), .init(f.run.seed ?? "-"),
                 .init(NumberText.short(f.run.value, digits: 4), numeric: true),
                 .init(NumberText.short(result.higherIsBetter && !result.throughLoss ? 1 - f.predicted : f.predicted, digits: 4), numeric: true),
                 .init(NumberText.short(f.residualSigma, digits: 3), numeric: true)]
            })
        }
        if !result.partial.isEmpty {
            page.heading("Runs in training")
            page.table(header: ["candidate", "params", "tokens so far", result.throughLoss ? "loss" : metric, "predicted", "behind by", "status"], rows: result.partial.map { p in
                [.init(p.run.candidate), .init(DisplayUnit.params.format(p.run.params), numeric: true),
                 .init(p.run.tokens.map { DisplayUnit.tokens.format($0) } ?? "-", numeric: true),
                 .init(NumberText.short(p.run.value, digits: 4), numeric: true), .init(NumberText.short(p.predicted, digits: 4), numeric: true),
                 .init("\(NumberText.short(100 * p.behindBy, digits: 3))%", numeric: true), .init(p.status.rawValue)]
            })
        }
        if !result.nextRuns.isEmpty {
            page.heading("What to run next")
            page.table(header: ["candidate", "params", "tokens", "seeds", "compute", "USD", "P(wrong) now", "after"], rows: result.nextRuns.map { r in
                [.init(r.candidate), .init(DisplayUnit.params.format(r.params), numeric: true), .init(DisplayUnit.tokens.format(r.tokens), numeric: true),
                 .init(String(r.seeds), numeric: true), .init(DisplayUnit.flop.format(r.flops), numeric: true),
                 .init(r.usd.map { DisplayUnit.usd.format($0) } ?? "-", numeric: true),
                 .init(NumberText.short(r.pWrongBefore, digits: 3), numeric: true), .init(NumberText.short(r.pWrongAfter, digits: 3), numeric: true)]
            })
        }
        page.body.append("<footer>Made by <code>\(XMLText.escape(command, quotes: false))</code>.</footer>")
        return page.rendered()
    }
}
