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
    /// frontier and the budget totals.
    public static func evaluate(_ full: ReportValue) -> ReportValue {
        guard case .object(let pairs) = full else { return full }
        var out: [(String, ReportValue?)] = []
        for (k, v) in pairs {
            switch k {
            case "recommended":
                out.append((k, v == .null ? .null : plan(v)))
                if case .list(let fleet)? = v["fleet"], !fleet.isEmpty { out.append(("fleet", .list(fleet.map(fleetRow)))) }
            case "frontier":
                guard case .list(let rows) = v else { continue }
                out.append((k, rows.isEmpty ? nil : .list(rows.map(frontierRow))))
            case "budget":
                guard case .list(let rows) = v else { continue }
                let serving = rows.dropFirst()
                let servingUSD = serving.reduce(0) { $0 + ($1["cost_usd"]?.doubleValue ?? 0) }
                let servingKWh = serving.reduce(0) { $0 + ($1["energy_kwh"]?.doubleValue ?? 0) }
                out.append(("budget", reportObject([
                    ("training cost", usd(rows.first?["cost_usd"])), ("serving cost", .string(DisplayUnit.usd.format(servingUSD))),
                    ("training energy", kwh(rows.first?["energy_kwh"])), ("serving energy", .string(DisplayUnit.kwh.format(servingKWh))),
                    ("serving months", .integer(serving.count)),
                ])))
            case "relaxations":
                guard case .list(let rows) = v else { continue }
                out.append((k, .list(rows.map { r in
                    reportObject([("constraint", r["constraint"]), ("bound", short(r["bound"])),
                                  ("needed", r["needed"] == .null ? .string("-") : short(r["needed"]))])
                })))
            case "frontier_axes":
                out.append(("frontier axes", .string("\(v["y"].map(TableWriter.cell) ?? "") against \(v["x"].map(TableWriter.cell) ?? "")")))
            case "law_source":
                out.append(("law source", v))
            case "price_of_confidence":
                let money = v["objective"] == .string("cost")
                func value(_ x: ReportValue?) -> ReportValue? { x.flatMap { $0 == .null ? nil : (money ? usd($0) : short($0)) } }
                out.append(("price of confidence", reportObject([
                    ("confidence", v["confidence"]), ("bootstrap laws", v["samples"]), ("objective", v["objective"]),
                    ("with the point estimate", value(v["nominal"])),
                    ("with the confidence", value(v["robust"])),
                    ("extra", value(v["extra"])),
                ])))
            default:
                out.append((k, v))
            }
        }
        return reportObject(out)
    }

    /// Frontier rows (`PlanReport.frontierRow`) for a terminal, the traded-off objectives included.
    public static func frontier(_ rows: ReportValue, x: Objective, y: Objective) -> ReportValue {
        guard case .list(let items) = rows else { return rows }
        return .list(items.map { row in
            var view = frontierRow(row)
            // Show an objective that is not among the standard columns (compute, train_time).
            for o in [x, y] where !["loss", "cost", "energy", "latency"].contains(o.rawValue) {
                guard case .object(var p) = view else { continue }
                let value = row[reportKey(o)]?.doubleValue
                p.insert((o.rawValue, .string(value.map { o.displayUnit.format($0) } ?? "-")), at: p.count - 1)
                view = .object(p)
            }
            return view
        })
    }

    /// The key of an objective's value in a plan report.
    public static func reportKey(_ o: Objective) -> String {
        switch o {
        case .loss: "loss"
        case .cost: "total_cost_usd"
        case .compute: "total_flops"
        case .energy: "energy_kwh"
        case .latency: "tpot_ms"
        case .trainTime: "train_days"
        }
    }

    static func plan(_ p: ReportValue) -> ReportValue {
        reportObject([
            ("model size N", p["params"].map { fmt($0, .params) }),
            ("model", p["model"]),
            ("training tokens D", p["tokens"].map { fmt($0, .tokens) }),
            ("tokens per parameter", p["tokens_per_param"].map { fmt($0, .plain) }),
            ("loss", p["loss"].map { fmt($0, .loss, digits: 4) }),
            ("loss band (5-95%)", p["loss_low"].flatMap { lo in p["loss_high"].map { hi in
                .string("\(TableWriter.cell(fmt(lo, .loss, digits: 4))) to \(TableWriter.cell(fmt(hi, .loss, digits: 4)))") } }),
            ("loss at confidence", p["loss_at_confidence"].map { fmt($0, .loss, digits: 4) }),
            ("downstream error", p["downstream_error"].map { fmt($0, .plain) }),
            ("training compute", p["train_flops"].map { fmt($0, .flop) }),
            ("inference compute", p["inference_flops"].map { fmt($0, .flop) }),
            ("training cost", usd(p["train_cost_usd"])),
            ("serving cost", usd(p["inference_cost_usd"])),
            ("total cost", usd(p["total_cost_usd"])),
            ("total energy", kwh(p["energy_kwh"])),
            ("emissions", p["emissions_t_co2"].map { .string(NumberText.short($0.doubleValue ?? .nan) + " t CO2") }),
            ("training time", p["train_days"].map { v in .string(DisplayUnit.days.format(v.doubleValue ?? .nan) + " on \(p["train_devices"].map(TableWriter.cell) ?? "?") devices") }),
            ("time to first token", p["ttft_ms"].flatMap { $0 == .null ? nil : fmt($0, .ms) }),
            ("time per output token", p["tpot_ms"].flatMap { $0 == .null ? nil : fmt($0, .ms) }),
        ])
    }

    static func fleetRow(_ f: ReportValue) -> ReportValue {
        reportObject([
            ("serving", .string("\(f["hardware"].map(TableWriter.cell) ?? "")/\(f["precision"].map(TableWriter.cell) ?? "")")),
            ("peak replicas", f["replicas"]),
            ("devices each", f["devices_per_replica"]),
            ("batch", f["batch"]),
            ("req/s each", f["requests_per_second_per_replica"]),
            ("replicas by month", f["replicas_by_month"].map(range)),
        ])
    }

    static func frontierRow(_ r: ReportValue) -> ReportValue {
        reportObject([
            ("params", r["params"].map { fmt($0, .params) }),
            ("tokens", r["tokens"].map { fmt($0, .params) }),
            ("D/N", r["tokens_per_param"].map { fmt($0, .plain) }),
            ("loss", r["loss"].map { fmt($0, .loss, digits: 4) }),
            ("at conf.", r["loss_at_confidence"].map { fmt($0, .loss, digits: 4) }),
            ("cost", usd(r["total_cost_usd"])),
            ("energy", kwh(r["energy_kwh"])),
            ("TPOT", r["tpot_ms"].map { $0 == .null ? .string("-") : fmt($0, .ms) }),
            ("knee", r["knee"].map { $0 == .bool(true) ? .string("<- knee") : .string("") }),
        ])
    }

    static func fmt(_ v: ReportValue, _ unit: DisplayUnit, digits: Int = 3) -> ReportValue {
        guard let d = v.doubleValue else { return v }
        return .string(unit.format(d, digits: digits))
    }

    static func usd(_ v: ReportValue?) -> ReportValue? { v.map { fmt($0, .usd) } }
    static func kwh(_ v: ReportValue?) -> ReportValue? { v.map { fmt($0, .kwh) } }
    static func short(_ v: ReportValue?) -> ReportValue? { v.map { fmt($0, .plain, digits: 4) } }

    /// "12-31" for a list of monthly replica counts.
    static func range(_ v: ReportValue) -> ReportValue {
        guard case .list(let items) = v else { return v }
        let n = items.compactMap(\.doubleValue)
        guard let lo = n.min(), let hi = n.max() else { return .string("-") }
        return .string(lo == hi ? NumberText.short(lo) : "\(NumberText.short(lo))-\(NumberText.short(hi))")
    }
}
