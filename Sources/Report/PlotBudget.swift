import Diagnostics
import ExperimentDesign
import FileIO
import Numerics
import ValueTree

/// The lifetime budget of a plan as an SVG chart: cumulative cost by month, training (paid in
/// month 0) stacked under serving (paid month by month), so the chart shows when serving
/// overtakes training.
public struct BudgetPlot: Sendable {
    /// One month: `month` 0 is training, 1... are serving months. USD.
    public struct Month: Equatable, Sendable {
        public var month: Int
        public var trainingUSD: Double
        public var servingUSD: Double
        public init(month: Int, trainingUSD: Double, servingUSD: Double) {
            self.month = month; self.trainingUSD = trainingUSD; self.servingUSD = servingUSD
        }
    }

    public var title: String
    public var months: [Month]

    public static let trainingColour = "#6a51a3"
    public static let servingColour = "#2ca25f"

    public init(title: String = "Lifetime cost by month (cumulative)", months: [Month]) {
        self.title = title
        self.months = months.sorted { $0.month < $1.month }
    }

    /// Months from the `budget` list of an `evaluate` report (rows with month, phase and
    /// cost_usd): the training row is month 0, serving rows follow.
    public init?(budget: ReportValue, title: String = "Lifetime cost by month (cumulative)") {
        guard case .list(let rows) = budget, !rows.isEmpty else { return nil }
        var months: [Month] = []
        for row in rows {
            guard let m = row["month"]?.doubleValue, let usd = row["cost_usd"]?.doubleValue, usd.isFinite else { return nil }
            let training = row["phase"] == .string("training")
            months.append(Month(month: Int(m), trainingUSD: training ? usd : 0, servingUSD: training ? 0 : usd))
        }
        self.init(title: title, months: months)
    }

    /// Cumulative (training, serving) USD at the end of each month.
    public var cumulative: [(month: Int, training: Double, serving: Double)] {
        var t = 0.0, s = 0.0
        return months.map { m in
            t += m.trainingUSD; s += m.servingUSD
            return (m.month, t, s)
        }
    }

    public func svg(id: String = "budget") -> SVGElement {
        let c = cumulative
        let totals = c.map { $0.training + $0.serving }
        let frame = PlotFrame(title: title, x: PlotAxis(title: "Month (0 = training)", unit: .plain, forceLinear: true),
                              y: PlotAxis(title: "Cumulative cost (USD)", unit: .usd, forceLinear: true),
                              xValues: c.map { Double($0.month) }, yValues: [0] + totals)
        var content: [SVGElement] = []
        let base = c.map { frame.point(Double($0.month), 0) }
        let trainingTop = c.map { frame.point(Double($0.month), $0.training) }
        let totalTop = c.map { frame.point(Double($0.month), $0.training + $0.serving) }
        content.append(SVGElement("path", [("class", "area training"), ("d", PlotFrame.path(trainingTop + base.reversed(), closed: true)),
                                           ("fill", Self.trainingColour), ("fill-opacity", "0.75")]))
        content.append(SVGElement("path", [("class", "area serving"), ("d", PlotFrame.path(totalTop + trainingTop.reversed(), closed: true)),
                                           ("fill", Self.servingColour), ("fill-opacity", "0.7")]))
        content.append(SVGElement("path", [("class", "total-line"), ("d", PlotFrame.path(totalTop)), ("fill", "none"), ("stroke", "#222"), ("stroke-width", "1.5")]))
        var marks = SVGElement("g", [("class", "months")])
        for q in totalTop {
            marks.append(SVGElement("circle", [("class", "month-point"), ("cx", svgNumber(q.x)), ("cy", svgNumber(q.y)), ("r", "2.5"), ("fill", "#222")]))
        }
        content.append(marks)
        let training = c.last?.training ?? 0, serving = c.last?.serving ?? 0
        let servingMonths = months.filter { $0.month > 0 }.count
        // Where cumulative serving first exceeds training, if it does.
        if let cross = c.first(where: { $0.serving > $0.training && $0.training > 0 }) {
            let q = frame.point(Double(cross.month), cross.training + cross.serving)
            content.append(SVGElement("text", [("class", "crossover"), ("x", svgNumber(q.x + 6)), ("y", svgNumber(q.y + 16)), ("fill", "#222")],
                                      text: "serving passes training in month \(cross.month)"))
        }
        let legend = [
            LegendEntry(.area(fill: Self.trainingColour, opacity: 0.75), "training \(DisplayUnit.usd.format(training))"),
            LegendEntry(.area(fill: Self.servingColour, opacity: 0.7), "serving \(DisplayUnit.usd.format(serving)) over \(servingMonths) months"),
            LegendEntry(.line(stroke: "#222"), "total \(DisplayUnit.usd.format(training + serving))"),
        ]
        return frame.document(id: id, content: content, legend: legend, legendAtLeft: true,
                              description: "Cumulative training and serving cost over \(servingMonths) months.")
    }
}
