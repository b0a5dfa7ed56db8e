import Foundation
import Testing
import TestSupport

/// `evaluate` and `downscale` write tidy CSV (issue 19): one row per plan or candidate, the
/// fleet by month, the budget, the relaxations and the warnings as their own files. Each sheet
/// is checked against the JSON answer of the same run, which a different renderer writes.
@Suite("Tidy CSV")
struct TidyCSVTests {
    static func directory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-tidy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The rows of a CSV file as dictionaries by header name (RFC 4180 quoting; no cell of
    /// these outputs holds a newline).
    static func table(_ path: String) throws -> (header: [String], rows: [[String: String]]) {
        let lines = GoldenOutputTests.cells(try String(contentsOfFile: path, encoding: .utf8))
        let header = try #require(lines.first)
        let rows = lines.dropFirst().map { cells in
            Dictionary(uniqueKeysWithValues: zip(header, cells + Array(repeating: "", count: max(0, header.count - cells.count))))
        }
        return (header, Array(rows))
    }

    @Test func evaluateWritesOneRowPerPlanAndLongTables() throws {
        let dir = try Self.directory()
        let scenario = "scenarios/chat-assistant.yaml"
        let csv = try runScaleplan(["evaluate", scenario, "-q", "-o", dir + "/plan.csv"])
        #expect(csv.status == 0 && csv.stdout.isEmpty, "\(csv.stderr)")
        let json = try #require(jsonObject(try runScaleplan(["evaluate", scenario, "--format", "json"]).stdout))
        let frontier = try #require(json["frontier"] as? [[String: Any]])
        let recommended = try #require(json["recommended"] as? [String: Any])

        let plans = try Self.table(dir + "/plan.csv")
        #expect(Array(plans.header.prefix(4)) == ["point", "recommended", "on_frontier", "params"])
        let onFrontier = plans.rows.filter { $0["on_frontier"] == "true" }
        #expect(onFrontier.count == frontier.count)
        for (row, point) in zip(onFrontier, frontier) {
            let params = try #require(Double(row["params"] ?? ""))
            #expect(relativeDifference(params, point["params"] as! Double) < 1e-12)
        }
        let marked = plans.rows.filter { $0["recommended"] == "true" }
        #expect(marked.count == 1)
        let recommendedRow = try #require(marked.first)
        #expect(relativeDifference(Double(recommendedRow["total_cost_usd"]!)!, recommended["total_cost_usd"] as! Double) < 1e-12)

        // The fleet: one row per plan, option and month, replicas as in JSON's replicas_by_month.
        let fleet = try Self.table(dir + "/plan.fleet.csv")
        let point = try #require(recommendedRow["point"])
        let recommendedFleet = try #require(recommended["fleet"] as? [[String: Any]])
        for entry in recommendedFleet {
            let months = try #require(entry["replicas_by_month"] as? [Int])
            let rows = fleet.rows.filter { $0["point"] == point && $0["hardware"] == entry["hardware"] as? String && $0["precision"] == entry["precision"] as? String }
            #expect(rows.map { Int($0["replicas"]!)! } == months)
            #expect(rows.map { Int($0["month"]!)! } == Array(1...months.count))
        }

        // The budget: month 0 is training, then each month; the same figures as JSON's budget.
        let budget = try Self.table(dir + "/plan.budget.csv")
        let jsonBudget = try #require(json["budget"] as? [[String: Any]])
        #expect(budget.rows.count == jsonBudget.count && budget.rows.first?["phase"] == "training")
        let total = budget.rows.reduce(0.0) { $0 + Double($1["cost_usd"]!)! }
        let jsonTotal = jsonBudget.reduce(0.0) { $0 + ($1["cost_usd"] as! Double) }
        #expect(relativeDifference(total, jsonTotal) < 1e-12)

        // The warnings, with their messages; a feasible plan has a relaxations file with a header only.
        let warnings = try Self.table(dir + "/plan.warnings.csv")
        let jsonCodes = (json["warnings"] as? [[String: Any]] ?? []).map { $0["code"] as! String }
        #expect(warnings.header == ["code", "subject", "message"] && warnings.rows.map { $0["code"]! } == jsonCodes)
        let relaxations = try Self.table(dir + "/plan.relaxations.csv")
        #expect(relaxations.header == ["constraint", "bound", "needed"] && relaxations.rows.isEmpty)
    }

    /// Every fleet entry reports its own TTFT and TPOT, within the scenario's SLO (800 ms,
    /// 60 ms); the plan's figures are the slowest entry's.
    @Test func fleetEntriesReportTheirOwnLatency() throws {
        let json = try #require(jsonObject(try runScaleplan(["evaluate", "scenarios/chat-assistant.yaml", "--format", "json"]).stdout))
        for plan in [json["recommended"]] + (json["frontier"] as? [Any] ?? []) {
            let p = try #require(plan as? [String: Any])
            let fleet = try #require(p["fleet"] as? [[String: Any]])
            let ttft = fleet.map { $0["ttft_ms"] as! Double }, tpot = fleet.map { $0["tpot_ms"] as! Double }
            #expect(ttft.allSatisfy { $0 <= 800 * (1 + 1e-12) } && tpot.allSatisfy { $0 <= 60 * (1 + 1e-12) })
            #expect(p["ttft_ms"] as? Double == ttft.max() && p["tpot_ms"] as? Double == tpot.max())
        }
    }

    /// On standard output only the plans table is printed; its warnings go to standard error.
    @Test func standardOutputHoldsThePlansTable() throws {
        let r = try runScaleplan(["evaluate", "scenarios/chat-assistant.yaml", "--format", "csv"])
        let lines = r.stdout.split(separator: "\n")
        #expect(r.status == 0 && lines.first?.hasPrefix("point,recommended,on_frontier,params,") == true)
        #expect(lines.count > 2 && lines.dropFirst().filter { $0.split(separator: ",")[1] == "true" }.count == 1)
        #expect(r.stderr.contains("warning: extrapolation:"), "\(r.stderr)")
        #expect(try runScaleplan(["evaluate", "scenarios/chat-assistant.yaml", "--format", "csv", "-q"]).stderr.isEmpty)
    }

    /// A pure-FLOP scenario has no fleet: the fleet file keeps its header, the budget is the
    /// training row alone.
    @Test func pureFLOPPlanHasAnEmptyFleet() throws {
        let dir = try Self.directory()
        let r = try runScaleplan(["evaluate", "scenarios/sardana-inference-aware.yaml", "-q", "-o", dir + "/s.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let fleet = try Self.table(dir + "/s.fleet.csv")
        #expect(fleet.header.first == "point" && fleet.header.contains("replicas") && fleet.rows.isEmpty)
        let budget = try Self.table(dir + "/s.budget.csv")
        #expect(budget.rows.count == 1 && budget.rows.first?["phase"] == "training")
        let plans = try Self.table(dir + "/s.csv")
        #expect(plans.rows.filter { $0["recommended"] == "true" }.count == 1 && plans.rows.allSatisfy { $0["total_cost_usd"] == "" })
    }

    /// An infeasible scenario: no plan rows, and the relaxations file says what each bound needs.
    @Test func infeasibleScenarioWritesItsRelaxations() throws {
        let dir = try Self.directory()
        let text = "scenario: tight\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\nobjectives: [compute]\nconstraints: { loss_max: 2.0, params_max: 1B, tokens_per_param_max: 20 }\n"
        try text.write(toFile: dir + "/tight.yaml", atomically: true, encoding: .utf8)
        let r = try runScaleplan(["evaluate", dir + "/tight.yaml", "-q", "-o", dir + "/t.csv"])
        #expect(r.status == 1, "\(r.stderr)")
        let relaxations = try Self.table(dir + "/t.relaxations.csv")
        #expect(relaxations.rows.contains { $0["constraint"] == "loss_max" || $0["constraint"] == "params_max" }, "\(relaxations.rows)")
        #expect(try Self.table(dir + "/t.csv").rows.isEmpty)
    }

    /// downscale: one row per candidate, the best one marked, the reference in its own file.
    @Test func downscaleWritesCandidatesAndReference() throws {
        let dir = try Self.directory()
        let scenario = "scenarios/on-device-downscale.yaml"
        let r = try runScaleplan(["downscale", scenario, "-q", "-o", dir + "/d.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(jsonObject(try runScaleplan(["downscale", scenario, "--format", "json"]).stdout))
        let candidates = try Self.table(dir + "/d.csv")
        #expect(Array(candidates.header.prefix(3)) == ["candidate", "recommended", "params"])
        #expect(candidates.rows.count >= (json["frontier"] as! [Any]).count)
        let best = try #require(candidates.rows.filter { $0["recommended"] == "true" }.first)
        let jsonBest = try #require(json["recommended"] as? [String: Any])
        #expect(relativeDifference(Double(best["params"]!)!, jsonBest["params"] as! Double) < 1e-12 && best["device"] == jsonBest["device"] as? String)
        let reference = try Self.table(dir + "/d.reference.csv")
        let jsonReference = try #require(json["reference"] as? [String: Any])
        #expect(reference.rows.count == 1 && Double(reference.rows[0]["params"]!)! == jsonReference["params"] as! Double)
    }
}
