import Diagnostics
import ExperimentDesign
import FileIO
import Numerics
import PlanModel
import ValueTree

/// Terminal views of plan reports: the same numbers as the JSON, in real units ("70B",
/// "$12.3M", "41 MWh") and in columns that fit a 100-column terminal. JSON, CSV and YAML keep
/// the full report with plain numbers.
public enum PlanTable {
    /// The `evaluate` answer for a terminal: the recommended plan, its fleet, a compact
    /// frontier and the budget totals, rendered from the typed outcome (the JSON renders from
    /// the same values, `PlanReport.outcome`).
    public static func evaluate(_ o: PlanOutcome, scenario: String, problem: PlanningProblem, lawSource: String) -> ReportValue {
        var out: [(String, ReportValue?)] = [("scenario", .string(scenario)), ("status", .string(o.status.rawValue))]
        out.append(("recommended", o.recommended.map(plan) ?? .null))
        if let r = o.recommended, !r.fleet.assignments.isEmpty { out.append(("fleet", .list(r.fleet.assignments.map(fleetRow)))) }
        if let r = o.recommended, !r.fleet.reservations.isEmpty {
            out.append(("reserved", .string(r.fleet.reservations.map {
                "\($0.hardware): \($0.devicesByTerm.map(String.init).joined(separator: ", ")) devices in \($0.termMonths)-month terms at \(Int(($0.discount * 100).rounded()))% off"
                    + ($0.discountSource == "scenario" ? "" : " (the profile's figure: \($0.discountSource))")
            }.joined(separator: "; "))))
        }
        out.append(("recommendation", .string(o.recommendation)))
        if let f = o.frontier {
            out.append(("frontier axes", .string("\(f.y.rawValue) against \(f.x.rawValue)")))
            if !f.points.isEmpty { out.append(("frontier", frontier(f))) }
        }
        if let r = o.recommended, let inf = problem.inference, inf.modelsServing {
            let monthly = PlanEvaluator.monthlyServing(inf, r.fleet)
            let servingUSD = monthly.reduce(0) { $0 + $1.usd }
            let servingKWh = monthly.reduce(0) { $0 + $1.joules / 3.6e6 }
            out.append(("budget", reportObject([
                ("training cost", .string(DisplayUnit.usd.format(r.trainCost))), ("serving cost", .string(DisplayUnit.usd.format(servingUSD))),
                ("training energy", .string(DisplayUnit.kwh.format(r.trainEnergyKWh))), ("serving energy", .string(DisplayUnit.kwh.format(servingKWh))),
                ("serving months", .integer(monthly.count)),
            ])))
        }
        if let c = problem.lossUncertainty?.confidence, let samples = problem.lossUncertainty?.samples.count {
            let primary = problem.objectives.first ?? .cost
            func text(_ v: Double) -> ReportValue { .string(primary == .cost ? DisplayUnit.usd.format(v) : DisplayUnit.plain.format(v, digits: 4)) }
            func value(_ m: PlanMetrics?) -> ReportValue? { m.map { text($0.value(primary)) } }
            let extra = o.nominal.flatMap { n in o.recommended.map { $0.value(primary) - n.value(primary) } }
            out.append(("price of confidence", reportObject([
                ("confidence", .number(c)), ("bootstrap laws", .integer(samples)), ("objective", .string(primary.rawValue)),
                ("with the point estimate", value(o.nominal)),
                ("with the confidence", value(o.recommended)),
                ("extra", extra.map(text)),
            ])))
        }
        if !o.relaxations.isEmpty {
            out.append(("relaxations", .list(o.relaxations.map { r in
                reportObject([("constraint", .string(r.constraint)), ("bound", .string(DisplayUnit.plain.format(r.bound, digits: 4))),
                              ("needed", .string(r.needed.map { DisplayUnit.plain.format($0, digits: 4) } ?? "-"))])
            })))
        }
        if !o.architectures.isEmpty {
            // Each architecture's own best plan under the constraints: at a loss bound, the
            // plans at equal loss, and why the winner wins.
            out.append(("architectures", .list(o.architectures.map { a in
                guard let m = a.best else {
                    return reportObject([("arch", .string(a.label)), ("active", .string("no plan")), ("total", .string(a.reason == nil ? "-" : "(warnings)"))])
                }
                let r = m.fleet.assignments.first?.replica
                return reportObject([
                    ("arch", .string(a.label)), ("active", .string(DisplayUnit.params.format(m.params))),
                    ("total", .string(DisplayUnit.params.format(m.totalParams ?? m.params))),
                    ("loss", .string(DisplayUnit.loss.format(m.loss, digits: 4))), ("train FLOP", .string(DisplayUnit.flop.format(m.trainFLOPs))),
                    ("train", .string(DisplayUnit.usd.format(m.trainCost))), ("serve", .string(DisplayUnit.usd.format(m.inferenceCost))),
                    ("total $", .string(DisplayUnit.usd.format(m.totalCost))),
                    ("weights", .string(r.map { NumberText.short((m.totalParams ?? m.params) * $0.option.precision.bytesPerValue / 1e9) + " GB" } ?? "-")),
                    ("replica", .string(r.map { "\($0.devices)x \($0.parallelismLabel)" } ?? "-")),
                ])
            })))
        }
        out.append(("law source", .string(lawSource)))
        return reportObject(out)
    }

    /// Frontier points for a terminal, the traded-off objectives included.
    public static func frontier(_ f: Frontier) -> ReportValue {
        .list(f.points.enumerated().map { i, m in
            var view = frontierRow(m, knee: i == f.knee)
            // Show an objective that is not among the standard columns (compute, train_time).
            for o in [f.x, f.y] where !["loss", "cost", "energy", "latency"].contains(o.rawValue) {
                guard case .object(var p) = view else { continue }
                p.insert((o.rawValue, .string(o.displayUnit.format(m.value(o)))), at: p.count - 1)
                view = .object(p)
            }
            return view
        })
    }

    static func plan(_ m: PlanMetrics) -> ReportValue {
        func text(_ v: Double, _ unit: DisplayUnit, digits: Int = 3) -> ReportValue { .string(unit.format(v, digits: digits)) }
        return reportObject([
            ("architecture", m.architecture.map { .string($0) }),
            (m.totalParams == nil ? "model size N" : "active parameters", text(m.params, .params)),
            ("total parameters", m.totalParams.map { text($0, .params) }),
            ("model", m.model.map { .string($0) }),
            ("training tokens D", text(m.tokens, .tokens)),
            ("tokens per parameter", text(m.tokensPerParam, .plain)),
            ("loss", text(m.loss, .loss, digits: 4)),
            ("loss band (5-95%)", m.lossLow.flatMap { lo in m.lossHigh.map { hi in
                .string("\(DisplayUnit.loss.format(lo, digits: 4)) to \(DisplayUnit.loss.format(hi, digits: 4))") } }),
            ("loss at confidence", m.lossAtConfidence.map { text($0, .loss, digits: 4) }),
            ("downstream error", m.downstreamError.map { text($0, .plain) }),
            ("training compute", text(m.trainFLOPs, .flop)),
            ("inference compute", text(m.inferenceFLOPs, .flop)),
            ("training cost", text(m.trainCost, .usd)),
            ("serving cost", text(m.inferenceCost, .usd)),
            ("total cost", text(m.totalCost, .usd)),
            ("total energy", text(m.totalEnergyKWh, .kwh)),
            ("emissions", m.emissionsTonnes.map { .string(NumberText.short($0) + " t CO2") }),
            ("training time", .string(DisplayUnit.days.format(m.trainDays) + " on \(m.trainDevices) devices")),
            ("time to first token", m.ttftMs.map { latency($0, p90: PlanReport.slowest(m, \.ttftP90Seconds)) }),
            ("time per output token", m.tpotMs.map { latency($0, p90: PlanReport.slowest(m, \.tpotP90Seconds)) }),
        ])
    }

    /// "90.9 ms mean, p90 130 ms"; the mean alone when the p90 equals it (a static batch).
    static func latency(_ mean: Double, p90: Double?) -> ReportValue {
        guard let p90, abs(p90 - mean) > 1e-9 * mean else { return .string(DisplayUnit.ms.format(mean)) }
        return .string("\(DisplayUnit.ms.format(mean)) mean, p90 \(DisplayUnit.ms.format(p90))")
    }

    static func fleetRow(_ a: FleetAssignment) -> ReportValue {
        let months = a.replicasByMonth
        return reportObject([
            ("serving", .string(a.replica.option.label)),
            ("peak replicas", months.isEmpty ? .null : .integer(a.peakReplicas)),
            ("devices each", .integer(a.replica.devices)),
            ("layout", a.replica.isBeyondTensorParallel ? .string(a.replica.parallelismLabel) : nil),
            ("batch", .integer(a.replica.batch)),
            ("req/s each", .number(a.replica.requestsPerSecond)),
            ("replicas by month", months.isEmpty ? nil : .string(range(months))),
        ])
    }

    static func frontierRow(_ m: PlanMetrics, knee: Bool) -> ReportValue {
        func text(_ v: Double, _ unit: DisplayUnit, digits: Int = 3) -> ReportValue { .string(unit.format(v, digits: digits)) }
        // A pure-FLOP question knows no serving cost, energy or latency (NaN): no such columns.
        let serving = !m.inferenceCost.isNaN
        return reportObject([
            ("arch", m.architecture.map { .string($0) }),
            ("params", text(m.params, .params)),
            ("total", m.architecture.map { _ in text(m.totalParams ?? m.params, .params) }),
            ("tokens", text(m.tokens, .params)),
            ("D/N", text(m.tokensPerParam, .plain)),
            ("loss", text(m.loss, .loss, digits: 4)),
            ("at conf.", m.lossAtConfidence.map { text($0, .loss, digits: 4) }),
            ("cost", serving ? text(m.totalCost, .usd) : nil),
            ("energy", serving ? text(m.totalEnergyKWh, .kwh) : nil),
            ("TPOT", serving ? m.tpotMs.map { text($0, .ms) } ?? .string("-") : nil),
            ("knee", .string(knee ? "<- knee" : "")),
        ])
    }

    static func fmt(_ v: ReportValue, _ unit: DisplayUnit, digits: Int = 3) -> ReportValue {
        guard let d = v.doubleValue else { return v }
        return .string(unit.format(d, digits: digits))
    }


    /// "12-31" for monthly replica counts.
    static func range(_ counts: [Int]) -> String {
        guard let lo = counts.min(), let hi = counts.max() else { return "-" }
        return lo == hi ? NumberText.short(Double(lo)) : "\(NumberText.short(Double(lo)))-\(NumberText.short(Double(hi)))"
    }
}
