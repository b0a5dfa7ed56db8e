import Diagnostics
import Demand
import ExperimentDesign
import FileIO
import Hardware
import Numerics
import PlanModel
import ScalingLaws
import ValueTree

/// The HTML report of `evaluate` and `frontier`: scenario, recommended plan, frontier table
/// and plots, lifetime budget, assumptions (law with provenance, hardware figures with their
/// sources, demand) and warnings, in one self-contained file.
public struct PlanHTMLReport: Sendable {
    /// Where the problem came from: what the report's assumptions section cites.
    public struct Inputs: Sendable {
        /// The scenario file, as the user named it.
        public var file: String
        public var problem: PlanningProblem
        /// The law's citation, or the file or runs it was fitted from.
        public var lawSource: String
        /// Bootstrap laws the law file carries (0 without).
        public var lawSampleCount: Int

        public init(file: String, problem: PlanningProblem, lawSource: String, lawSampleCount: Int) {
            self.file = file
            self.problem = problem
            self.lawSource = lawSource
            self.lawSampleCount = lawSampleCount
        }
    }

    public var spec: Inputs
    /// "optimal" or "infeasible".
    public var status: String
    public var recommended: PlanMetrics?
    /// Why the recommended plan was chosen.
    public var recommendation: String
    public var frontier: Frontier?
    /// For an infeasible scenario: (constraint, bound, needed bound or nil).
    public var relaxations: [(constraint: String, bound: Double, needed: Double?)]
    /// Loss interval of each frontier point (same order), if known.
    public var lossBands: [ClosedRange<Double>?]?
    /// What the bands are, for the legend.
    public var bandLabel: String
    /// The command that made the report, printed in the footer.
    public var command: String

    /// The report of a solved scenario.
    public init(spec: Inputs, outcome: PlanOutcome, lossBands: [ClosedRange<Double>?]? = nil,
                bandLabel: String = "loss 95% interval", command: String = "scaleplan evaluate") {
        self.spec = spec
        status = outcome.status.rawValue
        recommended = outcome.recommended
        recommendation = outcome.recommendation
        frontier = outcome.frontier
        relaxations = outcome.relaxations.map { ($0.constraint, $0.bound, $0.needed) }
        warnings = outcome.warnings
        self.lossBands = lossBands
        self.bandLabel = bandLabel
        self.command = command
    }

    /// The report of a frontier alone (the `frontier` command): the knee is the recommendation.
    public init(spec: Inputs, frontier: Frontier, lossBands: [ClosedRange<Double>?]? = nil,
                bandLabel: String = "loss 95% interval", command: String = "scaleplan frontier") {
        self.spec = spec
        status = frontier.points.isEmpty ? "infeasible" : "optimal"
        recommended = frontier.knee.map { frontier.points[$0] }
        recommendation = "the knee of the \(frontier.y.rawValue)-\(frontier.x.rawValue) frontier"
        self.frontier = frontier
        relaxations = []
        warnings = frontier.knee.map { PlanWarnings.check(frontier.points[$0], problem: spec.problem, subject: "the knee") } ?? []
        self.lossBands = lossBands
        self.bandLabel = bandLabel
        self.command = command
    }

    var problem: PlanningProblem { spec.problem }

    /// The frontier chart, if there is a frontier.
    public var frontierPlot: FrontierPlot? {
        guard let f = frontier, !f.points.isEmpty else { return nil }
        let dominated = f.evaluated.filter { e in !f.points.contains { $0.params == e.params && $0.tokens == e.tokens } }
        return FrontierPlot(frontier: f, recommended: recommended, evaluated: dominated, lossBands: lossBands, bandLabel: bandLabel,
                            title: "\(problem.name): \(f.y.title) against \(f.x.title)")
    }

    /// The budget chart, if the plan serves a forecast.
    public var budgetPlot: BudgetPlot? {
        guard let r = recommended, let inf = problem.inference, inf.modelsServing else { return nil }
        return BudgetPlot(budget: PlanReport.budget(r, inf), title: "\(problem.name): lifetime cost by month (cumulative)")
    }

    /// The recommended plan's warnings (carried by the outcome; see `PlanWarnings`).
    public var warnings: [Warning]

    /// The whole page.
    public func html() -> String {
        var page = HTMLPage(title: "scaleplan report: \(problem.name)")
        page.heading("scaleplan report: \(problem.name)", level: 1)
        let objectives = problem.objectives.map(\.rawValue).joined(separator: " and ")
        page.paragraph("Scenario \(spec.file): minimise \(objectives) with a \(problem.law.form.rawValue) loss law, training on \(problem.training.hardware.displayName).", class: "lead")

        page.heading("Recommended plan")
        if let r = recommended {
            page.paragraph("Status: \(status). Recommended: \(recommendation).", class: "ok")
            page.notes(warnings.map { "Warning (\($0.code.rawValue)): \($0.message)" }, class: "warn")
            page.cards(headline(r))
            page.facts(planFacts(r))
        } else {
            page.paragraph("Status: \(status). No plan meets every constraint.", class: "bad")
            if !relaxations.isEmpty {
                page.table(header: ["constraint", "bound", "needed (others kept)"], rows: relaxations.map { r in
                    [.init(r.constraint), .init(NumberText.short(r.bound, digits: 4), numeric: true),
                     .init(r.needed.map { NumberText.short($0, digits: 4) } ?? "no value helps alone", numeric: true)]
                })
            }
        }

        if let plot = frontierPlot, let f = frontier {
            page.heading("Pareto frontier")
            page.figure(plot.svg(id: "frontier"), caption: "Each blue point is a plan no other plan beats on both \(f.x.title) and \(f.y.title) (epsilon-constraint method, every point re-evaluated independently); grey points were evaluated and are dominated.")
            page.table(header: frontierHeader(f), rows: f.points.enumerated().map { frontierRow($1, index: $0, f: f) },
                       rowClasses: f.points.indices.map { i in i == f.knee ? "knee" : nil })
        }
        if let plot = budgetPlot, let r = recommended, let inf = problem.inference {
            page.heading("Lifetime budget")
            page.figure(plot.svg(id: "budget"), caption: "Training is paid in month 0; serving month by month for the provisioned fleet.")
            page.table(header: ["month", "phase", "cost", "energy"], rows: budgetRows(PlanReport.budget(r, inf)))
        }
        page.heading("Assumptions")
        assumptions(into: &page)
        page.body.append("<footer>Made by <code>\(XMLText.escape(command, quotes: false))</code>. Every number comes from the formulas in scaleplan's source, the cited law, or the hardware profile figures and sources listed above.</footer>")
        return page.rendered()
    }

    func headline(_ r: PlanMetrics) -> [(String, String)] {
        var out: [(String, String)] = [
            ("model size N", DisplayUnit.params.format(r.params)),
            ("training tokens D", DisplayUnit.tokens.format(r.tokens)),
            ("predicted loss", DisplayUnit.loss.format(r.loss, digits: 4)),
            ("lifetime cost", DisplayUnit.usd.format(r.totalCost)),
            ("lifetime energy", DisplayUnit.kwh.format(r.totalEnergyKWh)),
        ]
        if let t = r.tpotMs, problem.inference != nil { out.append(("time per output token", DisplayUnit.ms.format(t))) }
        return out
    }

    func planFacts(_ r: PlanMetrics) -> [(String, String, String?)] {
        var rows: [(String, String, String?)] = [
            ("tokens per parameter", NumberText.short(r.tokensPerParam), "D / N"),
            ("training compute", DisplayUnit.flop.format(r.trainFLOPs), "6 N D"),
            ("training", "\(DisplayUnit.days.format(r.trainDays)) on \(r.trainDevices) devices", "6ND / (peak x MFU x devices)"),
            ("training cost", DisplayUnit.usd.format(r.trainCost), "device-hours x price"),
            ("serving cost", DisplayUnit.usd.format(r.inferenceCost), problem.inference == nil ? "no serving in this scenario" : "provisioned fleet, month by month"),
            ("training energy", DisplayUnit.kwh.format(r.trainEnergyKWh), nil),
            ("serving energy", DisplayUnit.kwh.format(r.inferenceEnergyKWh), nil),
            ("inference compute", DisplayUnit.flop.format(r.inferenceFLOPs), "2 N per prompt and output token"),
        ]
        if let e = r.emissionsTonnes { rows.append(("emissions", NumberText.short(e) + " t CO2", "energy x carbon intensity")) }
        if let d = r.downstreamError { rows.append(("downstream error", NumberText.short(d), "Gadre et al. 2024, eq. 5")) }
        for a in r.fleet.assignments {
            let replicas = a.replicasByMonth.isEmpty ? "busy device-hours" : "\(a.peakReplicas) replica\(a.peakReplicas == 1 ? "" : "s") at peak"
            rows.append(("serving on \(a.replica.option.label)", "\(replicas) x \(a.replica.devices) devices, batch \(a.replica.batch)",
                         "\(NumberText.short(a.replica.requestsPerSecond)) requests/s per replica"))
        }
        if let inf = problem.inference {
            if let t = r.ttftMs { rows.append(("time to first token", DisplayUnit.ms.format(t), inf.slo.ttftSeconds.map { "SLO \(DisplayUnit.ms.format($0 * 1000))" })) }
            if let t = r.tpotMs { rows.append(("time per output token", DisplayUnit.ms.format(t), inf.slo.tpotSeconds.map { "SLO \(DisplayUnit.ms.format($0 * 1000))" })) }
        }
        return rows
    }

    func frontierHeader(_ f: Frontier) -> [String] {
        ["#", "params N", "tokens D", "D/N", "loss", "cost", "energy", "train days", "TPOT", "note"]
    }

    func frontierRow(_ m: PlanMetrics, index i: Int, f: Frontier) -> [HTMLPage.Cell] {
        var note = i == f.knee ? "knee" : ""
        if let r = recommended, r.params == m.params, r.tokens == m.tokens { note += note.isEmpty ? "recommended" : ", recommended" }
        var loss = DisplayUnit.loss.format(m.loss, digits: 4)
        if let bands = lossBands, i < bands.count, let b = bands[i] {
            loss += " (\(DisplayUnit.loss.format(b.lowerBound, digits: 4))-\(DisplayUnit.loss.format(b.upperBound, digits: 4)))"
        }
        return [.init(String(i + 1), numeric: true), .init(DisplayUnit.params.format(m.params), numeric: true),
                .init(DisplayUnit.params.format(m.tokens), numeric: true), .init(NumberText.short(m.tokensPerParam), numeric: true),
                .init(loss, numeric: true), .init(DisplayUnit.usd.format(m.totalCost), numeric: true),
                .init(DisplayUnit.kwh.format(m.totalEnergyKWh), numeric: true), .init(NumberText.short(m.trainDays), numeric: true),
                .init(m.tpotMs.map { DisplayUnit.ms.format($0) } ?? "-", numeric: true), .init(note)]
    }

    func budgetRows(_ budget: ReportValue) -> [[HTMLPage.Cell]] {
        guard case .list(let rows) = budget else { return [] }
        return rows.map { row in
            [.init(row["month"].map(TableWriter.cell) ?? "", numeric: true), .init(row["phase"].map(TableWriter.cell) ?? ""),
             .init(row["cost_usd"]?.doubleValue.map { DisplayUnit.usd.format($0) } ?? "", numeric: true),
             .init(row["energy_kwh"]?.doubleValue.map { DisplayUnit.kwh.format($0) } ?? "", numeric: true)]
        }
    }

    func assumptions(into page: inout HTMLPage) {
        page.heading("Loss law", level: 3)
        var law: [(String, String, String?)] = [("form", problem.law.form.rawValue, nil)]
        law += problem.law.parameters.map { ($0.name, NumberText.short($0.value, digits: 5), nil) }
        law.append(("source", "", spec.lawSource))
        if let r = spec.problem.fittedRange {
            law.append(("fitted range", "N \(DisplayUnit.params.format(r.params.lowerBound))-\(DisplayUnit.params.format(r.params.upperBound)), D \(DisplayUnit.params.format(r.tokens.lowerBound))-\(DisplayUnit.params.format(r.tokens.upperBound))", r.source))
        }
        if spec.lawSampleCount > 0 { law.append(("bootstrap laws", String(spec.lawSampleCount), "from the law file; they give the loss bands")) }
        page.facts(law)

        let t = problem.training
        page.heading("Training: \(t.hardware.displayName) (\(t.hardware.name))", level: 3)
        var training: [(String, String, String?)] = [
            ("model FLOP utilisation", NumberText.short(t.mfu), t.mfu == t.hardware.efficiency.trainingMFU.value ? t.hardware.efficiency.trainingMFU.source : "scenario"),
            ("price per device-hour", DisplayUnit.usd.format(t.usdPerDeviceHour, digits: 4), t.usdPerDeviceHour == t.hardware.usdPerHour.value ? t.hardware.usdPerHour.source : "scenario"),
            ("devices", String(t.devices), "scenario"), ("PUE", NumberText.short(t.pue), "scenario"),
        ]
        if let u = t.uniqueTokens { training.append(("unique tokens", DisplayUnit.tokens.format(u), "scenario")) }
        page.facts(training)
        profileFigures(t.hardware, into: &page)

        guard let inf = problem.inference else { return }
        page.heading("Serving", level: 3)
        page.facts(demandFacts(inf))
        var seen = Set<String>([t.hardware.name])
        for o in inf.options where seen.insert(o.hardware.name).inserted {
            page.heading("Serving hardware: \(o.hardware.displayName) (\(o.hardware.name))", level: 3)
            profileFigures(o.hardware, into: &page)
        }
    }

    func profileFigures(_ p: HardwareProfile, into page: inout HTMLPage) {
        page.facts(p.figures.map { f in (f.label.replacingOccurrences(of: "_", with: " "), "\(NumberText.short(f.figure.value, digits: 4)) \(f.unit)", f.figure.source) })
    }

    func demandFacts(_ inf: InferenceSetup) -> [(String, String, String?)] {
        var rows: [(String, String, String?)] = [
            ("options", inf.options.map(\.label).joined(separator: ", "), nil),
        ]
        switch inf.demand {
        case .forecast(let f):
            let growth: String
            switch f.growth {
            case .constant: growth = "constant"
            case .linear(let g): growth = "linear, +\(NumberText.short(100 * g))% of month 1 per month"
            case .exponential(let g): growth = "exponential, \(NumberText.short(100 * g))% per month"
            case .monthly(let r): growth = "monthly table (\(r.count) months)"
            }
            rows += [
                ("requests per day (month 1)", NumberText.short(f.requestsPerDay), "scenario"), ("growth", growth, "scenario"),
                ("horizon", "\(f.horizonMonths) months", "scenario"),
                ("prompt / output tokens", "\(NumberText.short(f.promptTokens)) / \(NumberText.short(f.outputTokens))",
                 inf.outputLengths == nil ? "per request" : "per request (output: the histogram's mean)"),
            ]
            if let d = inf.outputLengths {
                let bins = zip(d.tokens, d.weights).map { "\($0.0) (\(NumberText.short(100 * $0.1))%)" }.joined(separator: ", ")
                rows.append(("output lengths", bins, "scenario histogram; replicas are sized on it"))
            }
            rows += [
                ("peak to mean", NumberText.short(f.peakToMean), "fleet sized for each month's peak"),
                ("lifetime requests", NumberText.short(f.totals.requests), "sum of the monthly series"),
                ("lifetime tokens", DisplayUnit.tokens.format(f.totals.tokens), nil),
            ]
        case .totalTokens(let total, let p, let o):
            rows += [("lifetime tokens", DisplayUnit.tokens.format(total), "scenario"), ("prompt / output tokens", "\(p) / \(o)", "per request")]
        }
        if inf.prefixCacheHitRate > 0 {
            rows.append(("prefix-cache hit rate", "\(NumberText.short(100 * inf.prefixCacheHitRate))% of prompt tokens",
                         "scenario; taken as given, those tokens skip the prefill"))
        }
        if inf.sharedPrefixTokens > 0 {
            rows.append(("shared prompt prefix", "\(inf.sharedPrefixTokens) tokens", "scenario; held once in each replica's KV cache"))
        }
        if let s = inf.slo.ttftSeconds { rows.append(("SLO time to first token", DisplayUnit.ms.format(s * 1000), "scenario")) }
        if let s = inf.slo.tpotSeconds { rows.append(("SLO time per output token", DisplayUnit.ms.format(s * 1000), "scenario")) }
        if let u = inf.fixedUtilisation { rows.append(("fixed utilisation", "prefill \(NumberText.short(u.prefill)), decode \(NumberText.short(u.decode))", "scenario (instead of the roofline)")) }
        rows.append(("PUE", NumberText.short(inf.pue), "scenario"))
        if let c = inf.carbonIntensity { rows.append(("carbon intensity", "\(NumberText.short(c)) gCO2/kWh", "scenario")) }
        return rows
    }
}
