import Diagnostics
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import ScalingLaws

/// A fitted law against the runs it was fitted to, as an SVG chart: each run a point at its
/// training compute C = 6ND and final loss; the law's loss at fixed model sizes along C
/// (one curve per size, coloured like the runs nearest that size); and the law's
/// compute-optimal loss L*(C), with a bootstrap band when refitted laws are given.
public struct FitPlot: Sendable {
    public var title: String
    public var runs: [TrainingRun]
    public var law: ScalingLaw
    /// Laws refitted on bootstrap resamples (for the band on L*(C)); empty for none.
    public var bootstrapLaws: [ScalingLaw]
    /// Central probability of the band.
    public var confidence: Double
    /// At most this many fixed-size curves.
    public var maxSizes: Int

    static let palette = ["#440154", "#3b528b", "#21918c", "#5ec962", "#b8a000", "#e8702a"]
    static let optimumColour = "#d62728"

    public init(title: String = "Fitted law against the runs", runs: [TrainingRun], law: ScalingLaw,
                bootstrapLaws: [ScalingLaw] = [], confidence: Double = 0.95, maxSizes: Int = 6) {
        self.title = title
        self.runs = runs
        self.law = law
        self.bootstrapLaws = bootstrapLaws
        self.confidence = confidence
        self.maxSizes = max(1, min(maxSizes, Self.palette.count))
    }

    /// The model sizes that get a curve: distinct run sizes, up to `maxSizes` picked evenly
    /// in log N from smallest to largest.
    public var curveSizes: [Double] {
        let sizes = Array(Set(runs.map(\.params))).sorted()
        guard sizes.count > maxSizes else { return sizes }
        return (0..<maxSizes).map { k in sizes[Int((Double(k) * Double(sizes.count - 1) / Double(maxSizes - 1)).rounded())] }
    }

    /// Compute range of the curves, FLOP: the runs' range widened by 2x on each side.
    var computeRange: (Double, Double) {
        let c = runs.map(\.compute).filter { $0.isFinite && $0 > 0 }
        return ((c.min() ?? 1e18) / 2, (c.max() ?? 1e20) * 2)
    }

    static func logGrid(_ lo: Double, _ hi: Double, count: Int = 60) -> [Double] {
        (0..<count).map { lo * Foundation.pow(hi / lo, Double($0) / Double(count - 1)) }
    }

    /// Loss at compute C for model size N (D = C / 6N), on the base law (unlimited unique data).
    func curve(_ n: Double) -> [(c: Double, loss: Double)] {
        let (lo, hi) = computeRange
        return Self.logGrid(lo, hi).map { c in (c, law.unsafeLoss(params: n, tokens: c / (6 * n))) }
            .filter { $0.loss.isFinite && $0.loss > 0 }
    }

    /// L*(C) and, with bootstrap laws, its percentile band.
    func optimum() -> [(c: Double, loss: Double, band: ClosedRange<Double>?)] {
        let (lo, hi) = computeRange
        let tail = (1 - confidence) / 2
        return Self.logGrid(lo, hi).compactMap { c in
            guard let a = try? law.computeOptimal(compute: c), a.loss.isFinite else { return nil }
            var band: ClosedRange<Double>?
            if bootstrapLaws.count >= 2 {
                let v = bootstrapLaws.compactMap { try? $0.computeOptimal(compute: c).loss }.filter(\.isFinite).sorted()
                if v.count >= 2 { band = percentile(v, tail)...percentile(v, 1 - tail) }
            }
            return (c, a.loss, band)
        }
    }

    public func svg(id: String = "fit") -> SVGElement {
        let sizes = curveSizes
        let curves = sizes.map(curve)
        let opt = optimum()
        var ys = runs.map(\.loss) + opt.map(\.loss)
        for b in opt.compactMap(\.band) { ys += [b.lowerBound, b.upperBound] }
        // Fixed-size curves rise far above the data at small compute; keep them from setting the scale.
        let (lossLo, lossHi) = (ys.min() ?? 1, ys.max() ?? 10)
        let frame = PlotFrame(title: title, x: PlotAxis(title: "Training compute C = 6ND (FLOP)", unit: .flop),
                              y: PlotAxis(title: "Loss (nats/token)", unit: .loss),
                              xValues: runs.map(\.compute) + [computeRange.0, computeRange.1], yValues: [lossLo, lossHi])
        func colour(_ n: Double) -> String {
            let k = sizes.indices.min { abs(Foundation.log(sizes[$0] / n)) < abs(Foundation.log(sizes[$1] / n)) } ?? 0
            return Self.palette[k % Self.palette.count]
        }
        var content: [SVGElement] = []
        var legend: [LegendEntry] = []
        let bandPoints = opt.filter { $0.band != nil }
        if bandPoints.count >= 2 {
            let upper = bandPoints.map { frame.point($0.c, $0.band!.upperBound) }
            let lower = bandPoints.reversed().map { frame.point($0.c, $0.band!.lowerBound) }
            content.append(SVGElement("path", [("class", "band"), ("d", PlotFrame.path(upper + lower, closed: true)), ("fill", Self.optimumColour), ("fill-opacity", "0.15")]))
        }
        var lines = SVGElement("g", [("class", "law-curves"), ("fill", "none"), ("stroke-width", "1.6")])
        for (k, points) in curves.enumerated() where points.count >= 2 {
            lines.append(SVGElement("path", [("class", "law-curve"), ("d", PlotFrame.path(points.map { frame.point($0.c, $0.loss) })),
                                             ("stroke", Self.palette[k % Self.palette.count]), ("stroke-opacity", "0.85")]))
        }
        content.append(lines)
        if opt.count >= 2 {
            content.append(SVGElement("path", [("class", "optimum-curve"), ("d", PlotFrame.path(opt.map { frame.point($0.c, $0.loss) })),
                                               ("fill", "none"), ("stroke", Self.optimumColour), ("stroke-width", "2.4"), ("stroke-dasharray", "7 4")]))
        }
        var dots = SVGElement("g", [("class", "runs")])
        for r in runs {
            let q = frame.point(r.compute, r.loss)
            dots.append(SVGElement("circle", [("class", "run-point"), ("cx", svgNumber(q.x)), ("cy", svgNumber(q.y)), ("r", "3.5"),
                                              ("fill", colour(r.params)), ("fill-opacity", "0.8"), ("stroke", "#ffffff"), ("stroke-width", "0.6")]))
        }
        content.append(dots)
        legend.append(LegendEntry(.marker(fill: "#555", stroke: "#ffffff"), "runs (\(runs.count)), coloured by nearest size"))
        for (k, n) in sizes.enumerated() {
            let note = law.form == .dataConstrained ? " (unique data)" : ""
            legend.append(LegendEntry(.line(stroke: Self.palette[k % Self.palette.count]), "law at N = \(DisplayUnit.params.format(n))\(note)"))
        }
        legend.append(LegendEntry(.line(stroke: Self.optimumColour), "compute-optimal loss L*(C)"))
        if bandPoints.count >= 2 {
            legend.append(LegendEntry(.area(fill: Self.optimumColour, opacity: 0.15),
                                      "L*(C) \(Int((confidence * 100).rounded()))% band, \(bootstrapLaws.count) bootstrap laws"))
        }
        return frame.document(id: id, content: content, legend: legend,
                              description: "\(runs.count) runs and the fitted \(law.form.rawValue) law.")
    }
}
