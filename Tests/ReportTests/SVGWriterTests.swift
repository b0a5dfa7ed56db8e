import Diagnostics
import FileIO
import Foundation
import Report
import Testing
import ValueTree

@Suite("SVG writer and plots")
struct SVGWriterTests {
    @Test func escapingKeepsMarkupWellFormedAndTextIntact() throws {
        let nasty = "a < b & c > \"d\" 'e' \u{01}bell ]]> <script>"
        var svg = SVGElement("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("data-label", nasty)])
        svg.append(SVGElement("text", [("class", "t")], text: nasty))
        let (root, error) = XMLTree.parse(svg.rendered())
        let tree = try #require(root, "not well-formed: \(String(describing: error))")
        let expected = nasty.replacingOccurrences(of: "\u{01}", with: "")
        #expect(tree.attributes["data-label"] == expected)
        #expect(tree.elements(named: "text").first?.text == expected)
        #expect(!svg.rendered().contains("<script>"))
    }

    @Test func svgNumbersAreShortAndFinite() {
        #expect(svgNumber(12.345) == "12.35")
        #expect(svgNumber(-0.001) == "0")
        #expect(svgNumber(40) == "40")
        #expect(svgNumber(.nan) == "0")
        #expect(svgNumber(1.5) == "1.5")
    }

    @Test func unitsReadTheWayPeopleWriteThem() {
        #expect(DisplayUnit.params.format(70e9) == "70B")
        #expect(DisplayUnit.tokens.format(1.4e12) == "1.4T tokens")
        #expect(DisplayUnit.usd.format(12.3e6) == "$12.3M")
        #expect(DisplayUnit.kwh.format(41_000) == "41 MWh")
        #expect(DisplayUnit.kwh.format(0.5) == "500 Wh")
        #expect(DisplayUnit.flop.format(5.76e23) == "5.76e23 FLOP")
        #expect(DisplayUnit.flop.tick(1e24) == "1e24")
        #expect(DisplayUnit.usd.format(200e6, digits: 2) == "$200M")
        #expect(DisplayUnit.params.format(999_960) == "1M")
        #expect(DisplayUnit.loss.format(2, digits: 4) == "2.000")
        #expect(DisplayUnit.ms.format(20.94) == "20.9 ms")
    }

    @Test func scalesChooseLogOnlyBeyondADecade() {
        let log = PlotScale(fitting: [1e9, 3e11], from: 0, to: 100)
        #expect(log.logarithmic)
        let lin = PlotScale(fitting: [1.8, 2.0], from: 0, to: 100)
        #expect(!lin.logarithmic)
        #expect(!PlotScale(fitting: [-1, 100], from: 0, to: 100).logarithmic)
        #expect(!PlotScale(fitting: [1, 1e6], from: 0, to: 100, forceLinear: true).logarithmic)
        for s in [log, lin] {
            #expect(abs(s.position(s.lower) - 0) < 1e-9 && abs(s.position(s.upper) - 100) < 1e-9)
            let t = s.ticks()
            #expect(t.count >= 3 && t == t.sorted())
            #expect(t.allSatisfy { $0 >= s.lower * (1 - 1e-9) && $0 <= s.upper * (1 + 1e-9) })
        }
        // Log ticks are decades when the span is wide.
        #expect(PlotScale(fitting: [1e18, 1e23], from: 0, to: 1).ticks().allSatisfy { abs(log10($0) - log10($0).rounded()) < 1e-9 })
        // A single value still gets a range.
        let one = PlotScale(fitting: [5], from: 0, to: 1)
        #expect(one.lower < 5 && one.upper > 5)
    }

    static func syntheticFrontier(bands: Bool) -> FrontierPlot {
        // Cost falls as the loss bound loosens; loss bands of +-1%.
        let losses = [1.80, 1.84, 1.88, 1.92, 1.96, 2.00, 2.04]
        let points = losses.map { l in
            FrontierPlot.Point(x: l, y: 1e6 * Foundation.pow(10, (2.04 - l) * 10),
                               xBand: bands ? (l * 0.99)...(l * 1.01) : nil)
        }
        let grey = [FrontierPlot.Point(x: 1.9, y: 5e8), FrontierPlot.Point(x: 2.0, y: 1e8), FrontierPlot.Point(x: 1.85, y: 1e9)]
        return FrontierPlot(title: "Test & <frontier>", x: PlotAxis(title: "Loss", unit: .loss), y: PlotAxis(title: "Cost", unit: .usd),
                            frontier: points, knee: 3, recommended: points[5], evaluated: grey, bandLabel: "loss 95% interval")
    }

    @Test func frontierPlotHasEveryPointAxisLabelAndBand() throws {
        let plot = Self.syntheticFrontier(bands: true)
        let text = svgFile(plot.svg())
        let (root, error) = XMLTree.parse(text)
        let svg = try #require(root, "not well-formed: \(String(describing: error))")
        #expect(svg.name == "svg")
        #expect(svg.elements(withClass: "frontier-point").count == 7)
        #expect(svg.elements(withClass: "evaluated-point").count == 3)
        #expect(svg.elements(withClass: "knee").count == 1)
        #expect(svg.elements(withClass: "recommended").count == 1)
        #expect(svg.elements(withClass: "band").count == 1)
        #expect(svg.elements(withClass: "error-bar").count == 7)
        // Cost spans 4 decades: log y axis, with dollar tick labels; loss is linear.
        let yLabels = svg.elements(withClass: "tick-label").filter { ($0.attributes["class"] ?? "").hasSuffix(" y") }.map(\.text)
        let xLabels = svg.elements(withClass: "tick-label").filter { ($0.attributes["class"] ?? "").hasSuffix(" x") }.map(\.text)
        #expect(yLabels.count >= 3 && yLabels.allSatisfy { $0.hasPrefix("$") })
        #expect(xLabels.count >= 3 && xLabels.allSatisfy { Double($0) != nil })
        #expect(Set(xLabels).count == xLabels.count && Set(yLabels).count == yLabels.count)
        let titles = svg.elements(withClass: "axis-title").map(\.text)
        #expect(titles.contains("Cost (log scale)") && titles.contains("Loss"))
        let legend = try #require(svg.elements(withClass: "legend").first)
        #expect(legend.elements(named: "text").map(\.text) == ["Pareto frontier (7 plans)", "evaluated, dominated (3)", "loss 95% interval",
                                                               "knee (largest bend)", "recommended plan"])
        #expect(svg.elements(named: "title").first?.text == "Test & <frontier>")
        // Every drawn point lies inside the plotting area.
        for c in svg.elements(withClass: "frontier-point") + svg.elements(withClass: "evaluated-point") {
            let x = Double(c.attributes["cx"]!)!, y = Double(c.attributes["cy"]!)!
            #expect(x >= 86 && x <= PlotFrame.width - 24 && y >= 44 && y <= PlotFrame.height - 62)
        }
    }

    @Test func frontierPlotWithoutBandsDrawsNone() throws {
        let (root, _) = XMLTree.parse(Self.syntheticFrontier(bands: false).svg().rendered())
        let svg = try #require(root)
        #expect(svg.elements(withClass: "band").isEmpty && svg.elements(withClass: "error-bar").isEmpty)
        #expect(!(svg.elements(withClass: "legend").first?.fullText.contains("interval") ?? true))
    }

    @Test func bandsAtTheHigherPointSitHigherOnTheChart() throws {
        // A y band (cost interval) draws error bars spanning the interval's pixels.
        let p = FrontierPlot(title: "t", x: PlotAxis(title: "x", unit: .plain), y: PlotAxis(title: "y", unit: .plain),
                             frontier: [.init(x: 1, y: 10, yBand: 8...12), .init(x: 2, y: 5, yBand: 4...6)])
        let (root, _) = XMLTree.parse(p.svg().rendered())
        let bars = try #require(root).elements(withClass: "error-bar")
        #expect(bars.count == 2)
        let spans = bars.map { abs(Double($0.attributes["y1"]!)! - Double($0.attributes["y2"]!)!) }
        #expect(spans[0] > spans[1] * 1.9)  // 4 units against 2 on a linear axis
    }

    @Test func budgetPlotAccumulatesTrainingThenServing() throws {
        let months = [BudgetPlot.Month(month: 0, trainingUSD: 1e6, servingUSD: 0)]
            + (1...12).map { BudgetPlot.Month(month: $0, trainingUSD: 0, servingUSD: 1e5 * Double($0)) }
        let plot = BudgetPlot(months: months)
        let last = try #require(plot.cumulative.last)
        #expect(last.training == 1e6 && abs(last.serving - 7.8e6) < 1e-6)
        #expect(plot.cumulative.first { $0.serving > $0.training }?.month == 5)  // 100K x (1+...+5) = 1.5M > 1M
        let (root, error) = XMLTree.parse(plot.svg().rendered())
        let svg = try #require(root, "\(String(describing: error))")
        #expect(svg.elements(withClass: "month-point").count == 13)
        #expect(svg.elements(withClass: "area").count == 2)
        #expect(svg.elements(withClass: "crossover").first?.text == "serving passes training in month 5")
        #expect(svg.elements(withClass: "legend").first?.fullText.contains("total $8.8M") == true)
    }

    @Test func budgetFromReportRows() throws {
        let rows = ReportValue.list([
            reportObject([("month", .integer(0)), ("phase", .string("training")), ("cost_usd", .number(5))]),
            reportObject([("month", .integer(1)), ("phase", .string("serving")), ("cost_usd", .number(2))]),
        ])
        let plot = try #require(BudgetPlot(budget: rows))
        #expect(plot.months == [.init(month: 0, trainingUSD: 5, servingUSD: 0), .init(month: 1, trainingUSD: 0, servingUSD: 2)])
        #expect(BudgetPlot(budget: .list([])) == nil)
    }
}
