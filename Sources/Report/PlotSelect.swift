import Diagnostics
import Foundation
import ModelSelection
import Numerics
import ScalingLaws

/// The selection as an SVG chart: each candidate's runs, its fitted law out to the target
/// with the bootstrap band, the target as a dashed vertical line, flagged runs as crosses and
/// runs still in training as rings. The x axis is the model size for the size and fine-tuning
/// laws, the fine-tuning data for the rectified law, and the compute 6ND for the laws in N
/// and D (whose curves follow the target's tokens per parameter).
public struct SelectPlot: Sendable {
    public let result: SelectionResult
    public let metric: String

    public init(result: SelectionResult, metric: String) {
        self.result = result
        self.metric = metric
    }

    static let palette = FitPlot.palette

    enum Axis { case params, tokens, compute }

    var axis: Axis {
        switch result.form {
        case .size, .finetune: .params
        case .rectified: .tokens
        case .chinchilla, .overtrain: .compute
        }
    }

    func x(_ params: Double, _ tokens: Double?) -> Double {
        switch axis {
        case .params: params
        case .tokens: tokens ?? 1
        case .compute: 6 * params * (tokens ?? 1)
        }
    }

    /// (params, tokens) along a candidate's curve at position x: the target's tokens per
    /// parameter for the laws in N and D, its fine-tuning data for the fine-tuning law.
    func point(_ c: CandidateResult, atX v: Double) -> (params: Double, tokens: Double?) {
        switch axis {
        case .params:
            return (v, result.form == .finetune ? c.targetTokens : nil)
        case .tokens:
            return (c.targetParams ?? 1, v)
        case .compute:
            let r = (c.targetTokens ?? 20) / (c.targetParams ?? 1)
            let n = (v / (6 * r)).squareRoot()
            return (n, n * r)
        }
    }

    func display(_ fittedLog: Double) -> Double {
        let v = Foundation.exp(fittedLog)
        return result.higherIsBetter ? 1 - v : v
    }

    public func svg(id: String = "select") -> SVGElement? {
        let runs = result.candidates.flatMap(\.runs)
        guard !runs.isEmpty else { return nil }
        let xs = runs.map { x($0.params, $0.tokens) }
        let targetXs = result.candidates.compactMap { c in c.targetParams.map { x($0, c.targetTokens) } }
        let lo = xs.min()!, hi = max(xs.max()!, targetXs.max() ?? xs.max()!)
        let grid = (0..<60).map { lo * Foundation.pow(hi * 1.2 / lo, Double($0) / 59) }
        let tail = (1 - result.confidence) / 2
        var curves: [(c: Int, line: [(Double, Double)], band: [(Double, Double, Double)])] = []
        for (k, c) in result.candidates.enumerated() {
            var line: [(Double, Double)] = [], band: [(Double, Double, Double)] = []
            for v in grid {
                let p = point(c, atX: v)
                let y = c.prediction(params: p.params, tokens: p.tokens, higherIsBetter: result.higherIsBetter)
                guard y.isFinite else { continue }
                line.append((v, y))
                let draws = zip(c.bootstrapThetas, c.bootstrapLinks).map { (t: [Double], l: ErrorLink?) -> Double in
                    c.prediction(params: p.params, tokens: p.tokens, theta: t, link: l, higherIsBetter: result.higherIsBetter)
                }.filter { $0.isFinite }.sorted()
                if draws.count >= 2 { band.append((v, percentile(draws, tail), percentile(draws, 1 - tail))) }
            }
            curves.append((k, line, band))
        }
        let ys = runs.map(\.value) + curves.flatMap { $0.line.map(\.1) + $0.band.flatMap { [$0.1, $0.2] } }
        let xAxis: PlotAxis = switch axis {
        case .params: PlotAxis(title: "Model size N (parameters)", unit: .params)
        case .tokens: PlotAxis(title: "Fine-tuning data D", unit: .tokens)
        case .compute: PlotAxis(title: "Training compute C = 6ND (FLOP)", unit: .flop)
        }
        let frame = PlotFrame(title: "Candidates' laws out to the target", x: xAxis, y: PlotAxis(title: metric, unit: .plain),
                              xValues: [lo, hi * 1.2], yValues: [ys.filter(\.isFinite).min() ?? 0, ys.filter(\.isFinite).max() ?? 1])
        var content: [SVGElement] = []
        var legend: [LegendEntry] = []
        for (k, line, band) in curves {
            let colour = Self.palette[k % Self.palette.count]
            if band.count >= 2 {
                let upper = band.map { frame.point($0.0, $0.2) }, lower = band.reversed().map { frame.point($0.0, $0.1) }
                content.append(SVGElement("path", [("class", "band"), ("d", PlotFrame.path(upper + lower, closed: true)), ("fill", colour), ("fill-opacity", "0.13")]))
            }
            if line.count >= 2 {
                content.append(SVGElement("path", [("class", "law-curve"), ("d", PlotFrame.path(line.map { frame.point($0.0, $0.1) })), ("fill", "none"),
                                                   ("stroke", colour), ("stroke-width", "2"), ("stroke-dasharray", result.candidates[k].ranked ? "" : "4 3")]))
            }
            let c = result.candidates[k]
            var dots = SVGElement("g", [("class", "runs")])
            for r in c.runs {
                let q = frame.point(x(r.params, r.tokens), r.value)
                dots.append(SVGElement("circle", [("class", "run-point"), ("cx", svgNumber(q.x)), ("cy", svgNumber(q.y)), ("r", "3.5"),
                                                  ("fill", colour), ("fill-opacity", "0.85"), ("stroke", "#fff"), ("stroke-width", "0.6")]))
            }
            content.append(dots)
            let p = c.pBest.map { ", p_best \(NumberText.short($0, digits: 2))" } ?? ", not ranked"
            legend.append(LegendEntry(.line(stroke: colour), "\(c.name): \(c.runs.count) runs\(p)"))
        }
        // Through the loss, flagged and partial runs carry their loss, which this axis does not show.
        var marks = SVGElement("g", [("class", "flagged-runs"), ("stroke", "#d62728"), ("stroke-width", "2")])
        for f in result.flagged where !result.throughLoss {
            let q = frame.point(x(f.run.params, f.run.tokens), f.run.value)
            marks.append(SVGElement("path", [("class", "flagged-run"), ("d", "M\(svgNumber(q.x - 5)) \(svgNumber(q.y - 5))L\(svgNumber(q.x + 5)) \(svgNumber(q.y + 5))M\(svgNumber(q.x - 5)) \(svgNumber(q.y + 5))L\(svgNumber(q.x + 5)) \(svgNumber(q.y - 5))")]))
        }
        content.append(marks)
        if !result.flagged.isEmpty, !result.throughLoss { legend.append(LegendEntry(.line(stroke: "#d62728"), "flagged runs (x), left out")) }
        var rings = SVGElement("g", [("class", "partial-runs"), ("fill", "none"), ("stroke", "#222"), ("stroke-width", "1.5")])
        for p in result.partial where !result.throughLoss {
            let q = frame.point(x(p.run.params, p.run.tokens), p.run.value)
            rings.append(SVGElement("circle", [("class", "partial-run"), ("cx", svgNumber(q.x)), ("cy", svgNumber(q.y)), ("r", "6")]))
        }
        content.append(rings)
        if !result.partial.isEmpty, !result.throughLoss { legend.append(LegendEntry(.ring(stroke: "#222"), "runs in training")) }
        for t in Set(targetXs) {
            let top = frame.point(t, frame.y.upper), bottom = frame.point(t, frame.y.lower)
            content.append(SVGElement("line", [("class", "target-line"), ("x1", svgNumber(top.x)), ("x2", svgNumber(top.x)), ("y1", svgNumber(top.y)),
                                               ("y2", svgNumber(bottom.y)), ("stroke", "#555"), ("stroke-width", "1.5"), ("stroke-dasharray", "6 4")]))
        }
        legend.append(LegendEntry(.line(stroke: "#555"), "target (dashed)"))
        legend.append(LegendEntry(.area(fill: "#777", opacity: 0.2), "\(Int((result.confidence * 100).rounded()))% bootstrap band"))
        return frame.document(id: id, content: content, legend: legend, legendAtLeft: !result.higherIsBetter ? false : true,
                              description: "\(result.candidates.count) candidates, their \(result.form.rawValue) laws and the target.")
    }
}
