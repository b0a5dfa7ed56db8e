import Diagnostics
import ExperimentDesign
import FileIO
import Numerics

/// One axis of a chart: its title and the unit its tick labels are written in.
public struct PlotAxis: Equatable, Sendable {
    public var title: String
    public var unit: DisplayUnit
    /// Keep the axis linear even when the values span decades (stacked areas need it).
    public var forceLinear: Bool

    public init(title: String, unit: DisplayUnit, forceLinear: Bool = false) {
        self.title = title
        self.unit = unit
        self.forceLinear = forceLinear
    }
}

/// A legend entry: a sample of how a series is drawn, and its label.
public struct LegendEntry: Equatable, Sendable {
    public enum Swatch: Equatable, Sendable {
        case marker(fill: String, stroke: String)
        case line(stroke: String)
        case area(fill: String, opacity: Double)
        case ring(stroke: String)
        case diamond(fill: String)
    }
    public var swatch: Swatch
    public var label: String
    public init(_ swatch: Swatch, _ label: String) { self.swatch = swatch; self.label = label }
}

/// The frame every chart shares: size, margins, scales, grid, tick labels in real units,
/// axis titles, the title and the legend. Charts add their series between grid and legend.
public struct PlotFrame: Sendable {
    public static let width = 760.0
    public static let height = 460.0
    static let left = 86.0, right = 24.0, top = 44.0, bottom = 62.0
    static let font = "DejaVu Sans, Helvetica, Arial, sans-serif"

    public let title: String
    public let xAxis: PlotAxis
    public let yAxis: PlotAxis
    public let x: PlotScale
    public let y: PlotScale

    /// A frame whose scales fit `xValues` and `yValues`.
    public init(title: String, x xAxis: PlotAxis, y yAxis: PlotAxis, xValues: [Double], yValues: [Double]) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        x = PlotScale(fitting: xValues, from: Self.left, to: Self.width - Self.right, forceLinear: xAxis.forceLinear)
        y = PlotScale(fitting: yValues, from: Self.height - Self.bottom, to: Self.top, forceLinear: yAxis.forceLinear)
    }

    /// The pixel position of a data point.
    public func point(_ px: Double, _ py: Double) -> (x: Double, y: Double) { (x.position(px), y.position(py)) }

    /// The whole SVG document: frame, `content` clipped to the plotting area, legend. `id` names
    /// the document and prefixes its clip path, so several charts can sit in one HTML page.
    public func document(id: String, content: [SVGElement], legend: [LegendEntry], legendAtLeft: Bool = false, description: String) -> SVGElement {
        let plotW = Self.width - Self.left - Self.right, plotH = Self.height - Self.top - Self.bottom
        var svg = SVGElement("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("width", svgNumber(Self.width)), ("height", svgNumber(Self.height)),
            ("viewBox", "0 0 \(svgNumber(Self.width)) \(svgNumber(Self.height))"), ("role", "img"), ("id", id),
            ("font-family", Self.font), ("font-size", "12"),
        ])
        svg.append(SVGElement("title", text: title))
        svg.append(SVGElement("desc", text: description))
        svg.append(SVGElement("rect", [("width", "100%"), ("height", "100%"), ("fill", "#ffffff")]))
        var defs = SVGElement("defs")
        var clip = SVGElement("clipPath", [("id", "\(id)-area")])
        clip.append(SVGElement("rect", [("x", svgNumber(Self.left)), ("y", svgNumber(Self.top)), ("width", svgNumber(plotW)), ("height", svgNumber(plotH))]))
        defs.append(clip)
        svg.append(defs)
        svg.append(SVGElement("text", [("class", "chart-title"), ("x", svgNumber(Self.left)), ("y", "24"), ("font-size", "15"), ("font-weight", "bold"), ("fill", "#222")], text: title))
        svg.append(contentsOf: axes())
        var series = SVGElement("g", [("clip-path", "url(#\(id)-area)")])
        series.append(contentsOf: content)
        svg.append(series)
        svg.append(SVGElement("rect", [("x", svgNumber(Self.left)), ("y", svgNumber(Self.top)), ("width", svgNumber(plotW)), ("height", svgNumber(plotH)),
                                       ("fill", "none"), ("stroke", "#444"), ("stroke-width", "1")]))
        if !legend.isEmpty { svg.append(Self.legend(legend, atLeft: legendAtLeft)) }
        return svg
    }

    /// Grid lines, tick labels and axis titles.
    func axes() -> [SVGElement] {
        var out: [SVGElement] = []
        let xTicks = x.ticks(target: 7), yTicks = y.ticks(target: 6)
        let x0 = Self.left, x1 = Self.width - Self.right, y0 = Self.height - Self.bottom, y1 = Self.top
        var grid = SVGElement("g", [("class", "grid"), ("stroke", "#e3e3e3"), ("stroke-width", "1")])
        for t in xTicks { let px = svgNumber(x.position(t)); grid.append(SVGElement("line", [("x1", px), ("x2", px), ("y1", svgNumber(y1)), ("y2", svgNumber(y0))])) }
        for t in yTicks { let py = svgNumber(y.position(t)); grid.append(SVGElement("line", [("x1", svgNumber(x0)), ("x2", svgNumber(x1)), ("y1", py), ("y2", py)])) }
        out.append(grid)
        var labels = SVGElement("g", [("fill", "#333")])
        for (t, text) in zip(xTicks, Self.labels(xTicks, xAxis.unit)) {
            labels.append(SVGElement("text", [("class", "tick-label x"), ("x", svgNumber(x.position(t))), ("y", svgNumber(y0 + 17)), ("text-anchor", "middle")],
                                     text: text))
        }
        for (t, text) in zip(yTicks, Self.labels(yTicks, yAxis.unit)) {
            labels.append(SVGElement("text", [("class", "tick-label y"), ("x", svgNumber(x0 - 6)), ("y", svgNumber(y.position(t) + 4)), ("text-anchor", "end")],
                                     text: text))
        }
        out.append(labels)
        let xTitle = xAxis.title + (x.logarithmic ? " (log scale)" : "")
        let yTitle = yAxis.title + (y.logarithmic ? " (log scale)" : "")
        out.append(SVGElement("text", [("class", "axis-title x"), ("x", svgNumber((x0 + x1) / 2)), ("y", svgNumber(Self.height - 16)), ("text-anchor", "middle"), ("font-size", "13"), ("fill", "#222")], text: xTitle))
        out.append(SVGElement("text", [("class", "axis-title y"), ("x", "0"), ("y", "0"), ("text-anchor", "middle"), ("font-size", "13"), ("fill", "#222"),
                                       ("transform", "translate(18 \(svgNumber((y0 + y1) / 2))) rotate(-90)")], text: yTitle))
        return out
    }

    /// Tick labels in `unit` with the fewest significant digits (2 to 6) that tell every tick apart.
    static func labels(_ ticks: [Double], _ unit: DisplayUnit) -> [String] {
        var labels: [String] = []
        for digits in 2...6 {
            labels = ticks.map { unit.tick($0, digits: digits) }
            if Set(labels).count == labels.count { break }
        }
        return labels
    }

    /// The legend: a white box in the top right (or left) corner of the plotting area.
    static func legend(_ entries: [LegendEntry], atLeft: Bool) -> SVGElement {
        let rowH = 18.0, w = min(320.0, 40 + 6.6 * Double(entries.map(\.label.count).max() ?? 0))
        let x = atLeft ? left + 8 : width - right - w - 8, y = top + 8
        var g = SVGElement("g", [("class", "legend")])
        g.append(SVGElement("rect", [("x", svgNumber(x)), ("y", svgNumber(y)), ("width", svgNumber(w)), ("height", svgNumber(8 + rowH * Double(entries.count))),
                                     ("fill", "#ffffff"), ("fill-opacity", "0.92"), ("stroke", "#bbb")]))
        for (i, e) in entries.enumerated() {
            let cy = y + 4 + rowH * (Double(i) + 0.5), sx = x + 16
            switch e.swatch {
            case .marker(let fill, let stroke):
                g.append(SVGElement("circle", [("cx", svgNumber(sx)), ("cy", svgNumber(cy)), ("r", "4"), ("fill", fill), ("stroke", stroke)]))
            case .line(let stroke):
                g.append(SVGElement("line", [("x1", svgNumber(sx - 10)), ("x2", svgNumber(sx + 10)), ("y1", svgNumber(cy)), ("y2", svgNumber(cy)), ("stroke", stroke), ("stroke-width", "2.5")]))
            case .area(let fill, let opacity):
                g.append(SVGElement("rect", [("x", svgNumber(sx - 10)), ("y", svgNumber(cy - 6)), ("width", "20"), ("height", "12"), ("fill", fill), ("fill-opacity", svgNumber(opacity))]))
            case .ring(let stroke):
                g.append(SVGElement("circle", [("cx", svgNumber(sx)), ("cy", svgNumber(cy)), ("r", "7"), ("fill", "none"), ("stroke", stroke), ("stroke-width", "2")]))
            case .diamond(let fill):
                g.append(SVGElement("path", [("d", diamondPath(sx, cy, 6)), ("fill", fill), ("stroke", "#333")]))
            }
            g.append(SVGElement("text", [("x", svgNumber(sx + 18)), ("y", svgNumber(cy + 4)), ("fill", "#222")], text: e.label))
        }
        return g
    }

    static func diamondPath(_ x: Double, _ y: Double, _ r: Double) -> String {
        "M\(svgNumber(x)) \(svgNumber(y - r))L\(svgNumber(x + r)) \(svgNumber(y))L\(svgNumber(x)) \(svgNumber(y + r))L\(svgNumber(x - r)) \(svgNumber(y))Z"
    }

    /// An SVG path through pixel points ("M x y L x y ...").
    static func path(_ points: [(x: Double, y: Double)], closed: Bool = false) -> String {
        guard let first = points.first else { return "" }
        var d = "M\(svgNumber(first.x)) \(svgNumber(first.y))"
        for p in points.dropFirst() { d += "L\(svgNumber(p.x)) \(svgNumber(p.y))" }
        return closed ? d + "Z" : d
    }
}

/// A complete standalone SVG file: XML declaration and the document.
public func svgFile(_ svg: SVGElement) -> String {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg.rendered() + "\n"
}
