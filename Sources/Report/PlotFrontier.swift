import Diagnostics
import ExperimentDesign
import FileIO
import Numerics
import PlanModel

/// The Pareto frontier between two objectives as an SVG chart: the frontier line and points,
/// the knee ringed, the recommended plan as a diamond, other evaluated (dominated) plans in
/// grey, and uncertainty bands where points carry them.
public struct FrontierPlot: Sendable {
    /// A plotted plan. `xBand` and `yBand` are intervals (e.g. a bootstrap 95% interval of the
    /// loss) on the axis that carries that quantity; nil draws no band for that point.
    public struct Point: Equatable, Sendable {
        public var x: Double
        public var y: Double
        public var xBand: ClosedRange<Double>?
        public var yBand: ClosedRange<Double>?
        public init(x: Double, y: Double, xBand: ClosedRange<Double>? = nil, yBand: ClosedRange<Double>? = nil) {
            self.x = x; self.y = y; self.xBand = xBand; self.yBand = yBand
        }
    }

    public var title: String
    public var xAxis: PlotAxis
    public var yAxis: PlotAxis
    /// Non-dominated points, any order (drawn sorted by x).
    public var frontier: [Point]
    /// Index into `frontier` of the knee, if marked.
    public var knee: Int?
    /// The recommended plan, if it should be marked.
    public var recommended: Point?
    /// Other plans that were evaluated (drawn in grey, behind the frontier).
    public var evaluated: [Point]
    /// What the bands mean, for the legend ("loss 95% interval, 200 bootstrap laws").
    public var bandLabel: String

    public static let frontierColour = "#1f6fb4"
    public static let kneeColour = "#d62728"
    public static let recommendedColour = "#ff9f1c"
    public static let evaluatedColour = "#b5b5b5"

    public init(title: String, x: PlotAxis, y: PlotAxis, frontier: [Point], knee: Int? = nil, recommended: Point? = nil,
                evaluated: [Point] = [], bandLabel: String = "uncertainty band") {
        self.title = title
        self.xAxis = x
        self.yAxis = y
        self.frontier = frontier
        self.knee = knee
        self.recommended = recommended
        self.evaluated = evaluated
        self.bandLabel = bandLabel
    }

    /// The plot of a computed frontier. `lossBands[i]`, when given, is the loss interval of
    /// `frontier.points[i]`; it becomes a band on whichever axis shows the loss.
    public init(frontier f: Frontier, recommended: PlanMetrics? = nil, evaluated: [PlanMetrics] = [],
                lossBands: [ClosedRange<Double>?]? = nil, bandLabel: String = "loss interval", title: String? = nil) {
        func point(_ m: PlanMetrics, band: ClosedRange<Double>?) -> Point {
            Point(x: m.value(f.x), y: m.value(f.y), xBand: f.x == .loss ? band : nil, yBand: f.y == .loss ? band : nil)
        }
        let bands = lossBands ?? []
        self.init(
            title: title ?? "Pareto frontier: \(f.y.title) against \(f.x.title)",
            x: PlotAxis(title: f.x.title.capitalizedFirst + f.x.displayUnit.axisSuffix, unit: f.x.displayUnit),
            y: PlotAxis(title: f.y.title.capitalizedFirst + f.y.displayUnit.axisSuffix, unit: f.y.displayUnit),
            frontier: f.points.enumerated().map { i, m in point(m, band: i < bands.count ? bands[i] : nil) },
            knee: f.knee, recommended: recommended.map { point($0, band: nil) },
            evaluated: evaluated.map { point($0, band: nil) }, bandLabel: bandLabel)
    }

    /// True when some point carries a band.
    public var hasBands: Bool { frontier.contains { $0.xBand != nil || $0.yBand != nil } }

    /// The chart. `id` must be unique within an HTML page.
    public func svg(id: String = "frontier") -> SVGElement {
        let all = frontier + evaluated + (recommended.map { [$0] } ?? [])
        var xs = all.map(\.x), ys = all.map(\.y)
        for p in frontier {
            if let b = p.xBand { xs += [b.lowerBound, b.upperBound] }
            if let b = p.yBand { ys += [b.lowerBound, b.upperBound] }
        }
        let frame = PlotFrame(title: title, x: xAxis, y: yAxis, xValues: xs, yValues: ys)
        let order = frontier.indices.sorted { (frontier[$0].x, frontier[$0].y) < (frontier[$1].x, frontier[$1].y) }
        var content: [SVGElement] = []
        var legend: [LegendEntry] = []

        if hasBands {
            var band = SVGElement("g", [("class", "bands")])
            let withY = order.filter { frontier[$0].yBand != nil }, withX = order.filter { frontier[$0].xBand != nil }
            if withY.count >= 2 {
                let upper = withY.map { frame.point(frontier[$0].x, frontier[$0].yBand!.upperBound) }
                let lower = withY.reversed().map { frame.point(frontier[$0].x, frontier[$0].yBand!.lowerBound) }
                band.append(SVGElement("path", [("class", "band"), ("d", PlotFrame.path(upper + lower, closed: true)), ("fill", Self.frontierColour), ("fill-opacity", "0.16")]))
            }
            if withX.count >= 2 {
                let low = withX.map { frame.point(frontier[$0].xBand!.lowerBound, frontier[$0].y) }
                let high = withX.reversed().map { frame.point(frontier[$0].xBand!.upperBound, frontier[$0].y) }
                band.append(SVGElement("path", [("class", "band"), ("d", PlotFrame.path(low + high, closed: true)), ("fill", Self.frontierColour), ("fill-opacity", "0.16")]))
            }
            for i in order {
                let p = frontier[i]
                if let b = p.yBand {
                    let (a, c) = (frame.point(p.x, b.lowerBound), frame.point(p.x, b.upperBound))
                    band.append(SVGElement("line", [("class", "error-bar"), ("x1", svgNumber(a.x)), ("x2", svgNumber(c.x)), ("y1", svgNumber(a.y)), ("y2", svgNumber(c.y)), ("stroke", Self.frontierColour), ("stroke-opacity", "0.55")]))
                }
                if let b = p.xBand {
                    let (a, c) = (frame.point(b.lowerBound, p.y), frame.point(b.upperBound, p.y))
                    band.append(SVGElement("line", [("class", "error-bar"), ("x1", svgNumber(a.x)), ("x2", svgNumber(c.x)), ("y1", svgNumber(a.y)), ("y2", svgNumber(c.y)), ("stroke", Self.frontierColour), ("stroke-opacity", "0.55")]))
                }
            }
            content.append(band)
        }

        if !evaluated.isEmpty {
            var grey = SVGElement("g", [("class", "evaluated")])
            for p in evaluated {
                let q = frame.point(p.x, p.y)
                grey.append(SVGElement("circle", [("class", "evaluated-point"), ("cx", svgNumber(q.x)), ("cy", svgNumber(q.y)), ("r", "3.5"),
                                                  ("fill", Self.evaluatedColour), ("stroke", "#8a8a8a"), ("stroke-width", "0.6")]))
            }
            content.append(grey)
            legend.append(LegendEntry(.marker(fill: Self.evaluatedColour, stroke: "#8a8a8a"), "evaluated, dominated (\(evaluated.count))"))
        }

        let pixels = order.map { frame.point(frontier[$0].x, frontier[$0].y) }
        if pixels.count >= 2 {
            content.append(SVGElement("path", [("class", "frontier-line"), ("d", PlotFrame.path(pixels)), ("fill", "none"), ("stroke", Self.frontierColour), ("stroke-width", "2")]))
        }
        var dots = SVGElement("g", [("class", "frontier")])
        for q in pixels {
            dots.append(SVGElement("circle", [("class", "frontier-point"), ("cx", svgNumber(q.x)), ("cy", svgNumber(q.y)), ("r", "4.5"),
                                              ("fill", Self.frontierColour), ("stroke", "#ffffff"), ("stroke-width", "1")]))
        }
        content.append(dots)
        legend.insert(LegendEntry(.marker(fill: Self.frontierColour, stroke: "#ffffff"), "Pareto frontier (\(frontier.count) plans)"), at: 0)
        if hasBands { legend.append(LegendEntry(.area(fill: Self.frontierColour, opacity: 0.16), bandLabel)) }

        if let k = knee, frontier.indices.contains(k) {
            let p = frontier[k], q = frame.point(p.x, p.y)
            var g = SVGElement("g", [("class", "knee")])
            g.append(SVGElement("circle", [("cx", svgNumber(q.x)), ("cy", svgNumber(q.y)), ("r", "9"), ("fill", "none"), ("stroke", Self.kneeColour), ("stroke-width", "2")]))
            g.append(SVGElement("text", [("x", svgNumber(q.x + 12)), ("y", svgNumber(q.y - 10)), ("fill", Self.kneeColour), ("font-weight", "bold")],
                                text: "knee: \(xAxis.unit.format(p.x)), \(yAxis.unit.format(p.y))"))
            content.append(g)
            legend.append(LegendEntry(.ring(stroke: Self.kneeColour), "knee (largest bend)"))
        }
        if let r = recommended {
            let q = frame.point(r.x, r.y)
            content.append(SVGElement("path", [("class", "recommended"), ("d", PlotFrame.diamondPath(q.x, q.y, 7)), ("fill", Self.recommendedColour), ("stroke", "#333")]))
            legend.append(LegendEntry(.diamond(fill: Self.recommendedColour), "recommended plan"))
        }
        let description = "\(frontier.count) non-dominated plans; x: \(xAxis.title), y: \(yAxis.title)."
        return frame.document(id: id, content: content, legend: legend, description: description)
    }
}

extension Objective {
    /// The unit labels of this objective are written in.
    public var displayUnit: DisplayUnit {
        switch self {
        case .loss: .loss
        case .cost: .usd
        case .compute: .flop
        case .energy: .kwh
        case .latency: .ms
        case .trainTime: .days
        }
    }

    /// A short name for titles ("lifetime cost").
    public var title: String {
        switch self {
        case .loss: "loss"
        case .cost: "lifetime cost"
        case .compute: "lifetime compute"
        case .energy: "lifetime energy"
        case .latency: "time per output token"
        case .trainTime: "training time"
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
