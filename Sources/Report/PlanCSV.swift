import Diagnostics
import PlanModel
import ValueTree

/// The tidy CSV of `scaleplan evaluate` (docs/OUTPUTS.md, "CSV"):
///
/// - main sheet, one row per plan: every frontier point (`point` 0, 1, ...) and, when the
///   recommended plan is not one of them (a robust or single-objective recommendation), the
///   recommended plan as one more row with `on_frontier` false; `recommended` and `knee` mark
///   the rows; the plan's scalar keys as in JSON, its fleet summarised in `fleet` and its
///   warning codes in `warnings` (";"-separated);
/// - `fleet`: one row per plan, serving option and month (`point`, `hardware`, `precision`,
///   `devices_per_replica`, `batch`, `requests_per_second_per_replica`, `ttft_ms`, `tpot_ms`,
///   `month`, `replicas`);
///   a fixed-size fleet has one row with `month` empty;
/// - `budget`: the recommended plan's lifetime budget by month (month 0 is training);
/// - `relaxations`: for an infeasible scenario, the bound each constraint would need;
/// - `warnings`: `code`, `subject`, `message`.
public enum PlanCSV {
    public static func evaluate(_ o: PlanOutcome, problem: PlanningProblem) -> CSVBundle {
        var plans: [(metrics: PlanMetrics, warnings: [Warning], knee: Bool, onFrontier: Bool)] = []
        if let f = o.frontier {
            for (i, p) in f.points.enumerated() { plans.append((p, f.pointWarnings[i], i == f.knee, true)) }
        }
        var recommendedIndex: Int?
        if let r = o.recommended {
            recommendedIndex = plans.firstIndex { $0.metrics.params == r.params && $0.metrics.tokens == r.tokens }
            if recommendedIndex == nil {
                plans.append((r, o.warnings, false, false))
                recommendedIndex = plans.count - 1
            }
        }
        let rows: [ReportValue] = plans.enumerated().map { i, plan in
            guard case .object(let kv) = PlanReport.frontierRow(plan.metrics, knee: plan.knee, warnings: plan.warnings) else { return .null }
            return .object([("point", .integer(i)), ("recommended", .bool(i == recommendedIndex)),
                            ("on_frontier", .bool(plan.onFrontier))] + kv)
        }
        // The fleet entry's keys as in JSON, one row per month instead of its monthly list.
        var fleetRows: [ReportValue] = []
        for (i, plan) in plans.enumerated() {
            for a in plan.metrics.fleet.assignments {
                guard case .object(let entry) = PlanReport.fleetEntry(a) else { continue }
                let common = [("point", ReportValue.integer(i))] + entry.filter { !["replicas", "replicas_by_month"].contains($0.0) }
                if a.replicasByMonth.isEmpty { fleetRows.append(.object(common)) }
                for (m, n) in a.replicasByMonth.enumerated() {
                    fleetRows.append(.object(common + [("month", .integer(m + 1)), ("replicas", .integer(n))]))
                }
            }
        }
        let budgetRows: [ReportValue]
        if let r = o.recommended, case .list(let items) = PlanReport.budget(r, problem.inference) { budgetRows = items } else { budgetRows = [] }
        let relaxations = CSVSheet(part: "relaxations", columns: ["constraint", "bound", "needed"], rows: o.relaxations.map { r in
            ["constraint": .string(r.constraint), "bound": .number(r.bound), "needed": r.needed.map { .number($0) } ?? .null]
        })
        return CSVBundle(
            main: CSVSheet(part: "", leading: ["point", "recommended", "on_frontier"], objects: rows),
            companions: [
                // The columns stay when no plan has a fleet (a pure-FLOP question).
                CSVSheet(part: "fleet", leading: ["point", "hardware", "precision", "devices_per_replica", "batch",
                                                  "requests_per_second_per_replica", "ttft_ms", "tpot_ms", "month", "replicas"],
                         objects: fleetRows),
                CSVSheet(part: "budget", leading: ["month", "phase", "cost_usd", "energy_kwh", "emissions_t_co2"], objects: budgetRows),
                relaxations,
                CSVSheet.warnings(o.warnings),
            ])
    }
}

/// The tidy CSV of `scaleplan downscale`: one row per candidate (`candidate` 0, 1, ...), with
/// `recommended` marking the best one and `reaches_reference` the candidates that reach the
/// reference's loss; the reference model as its own one-row sheet (`reference`); the warnings.
public enum DownscaleCSV {
    public static func outcome(_ o: DownscaleOutcome, scenario: String) -> CSVBundle {
        func same(_ a: DownscalePlan, _ b: DownscalePlan) -> Bool {
            a.params == b.params && a.tokens == b.tokens && a.device.name == b.device.name && a.precision == b.precision
                && a.architecture == b.architecture
        }
        var candidates = o.frontier
        if let best = o.best, !candidates.contains(where: { same($0, best) }) { candidates.append(best) }
        let rows: [ReportValue] = candidates.enumerated().map { i, p in
            guard case .object(let kv) = DownscaleReport.plan(p) else { return .null }
            return .object([("candidate", .integer(i)), ("recommended", .bool(o.best.map { same($0, p) } ?? false))] + kv)
        }
        return CSVBundle(main: CSVSheet(part: "", leading: ["candidate", "recommended"], objects: rows),
                         companions: [CSVSheet(part: "reference", objects: [DownscaleReport.reference(o.reference)]), CSVSheet.warnings(o.warnings)])
    }
}
