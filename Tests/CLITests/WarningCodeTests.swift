import Foundation
import Testing
import TestSupport

/// Each warning code the models raise, from the CLI, in JSON, YAML, CSV and the table: the
/// answer stands, and the output says where it rests on weak ground (docs/OUTPUTS.md).
@Suite("Warning codes")
struct WarningCodeTests {
    static func write(_ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-warn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("s.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func codes(_ arguments: [String]) throws -> [String] {
        let r = try runScaleplan(arguments + ["--format", "json"])
        try #require(r.status == 0, "\(arguments): \(r.stderr)")
        let warnings = try #require(jsonObject(r.stdout)?["warnings"] as? [[String: Any]])
        return warnings.compactMap { $0["code"] as? String }
    }

    /// A chat scenario without a TTFT SLO, a plan on the search range's edge, a run that
    /// takes a year on few devices, and more tokens than the default data stock.
    static let scenario = """
    scenario: risky
    law: { preset: hoffmann2022 }
    training: { hardware: h100-sxm, mfu: 0.4, devices: 64 }
    inference:
      hardware: [h100-sxm]
      precision: [bf16]
      demand: { requests_per_day: 200M, horizon_months: 24, prompt_tokens: 800, output_tokens: 300 }
      slo: { tpot_ms: 60 }
    objectives: [cost]
    constraints: { loss_max: 1.85 }
    search: { params: [1B, 300B], tokens_per_param: [5, 300] }
    """

    @Test func planningWarningsInEveryFormat() throws {
        let path = try Self.write(Self.scenario)
        let codes = Set(try Self.codes(["evaluate", path, "-q"]))
        for code in ["ttft_unbounded", "long_training", "data_stock_exceeded"] {
            #expect(codes.contains(code), "\(code) missing from \(codes)")
        }
        let yaml = try runScaleplan(["evaluate", path, "-q", "--format", "yaml"])
        #expect(yaml.stdout.contains("code: \"long_training\"") && yaml.stdout.contains("code: \"ttft_unbounded\""))
        // A looser loss bound: the cheapest plan trains as long per parameter as the range allows.
        let edge = try Self.write(Self.scenario.replacingOccurrences(of: "loss_max: 1.85", with: "loss_max: 2.0"))
        let edgeRun = try runScaleplan(["evaluate", edge, "-q", "--format", "json"])
        let recommended = try #require(jsonObject(edgeRun.stdout)?["recommended"] as? [String: Any])
        let ratio = try #require(recommended["tokens_per_param"] as? Double)
        #expect(try Self.codes(["evaluate", edge, "-q"]).contains("search_bound") == (abs(ratio - 300) <= 3), "D/N \(ratio)")
        #expect(abs(ratio - 300) <= 3)
        // CSV: the recommended row carries the codes, FILE.warnings.csv the messages.
        let csvPath = path.replacingOccurrences(of: ".yaml", with: ".csv")
        #expect(try runScaleplan(["evaluate", path, "-q", "-o", csvPath]).status == 0)
        let plans = try String(contentsOfFile: csvPath, encoding: .utf8).split(separator: "\n")
        #expect(plans.contains { $0.split(separator: ",")[1] == "true" && $0.contains("long_training") })
        let messages = try String(contentsOfFile: csvPath.replacingOccurrences(of: ".csv", with: ".warnings.csv"), encoding: .utf8)
        #expect(messages.contains("long_training,recommended plan,"))
        let table = try runScaleplan(["evaluate", path, "-q"])
        #expect(table.stdout.contains("  data_stock_exceeded: recommended plan: Training on"))
    }

    /// Tables also say each warning in one line on standard error; --quiet hides those lines
    /// (the table keeps its warnings section), and JSON never writes them.
    @Test func tableWarningsGoToStandardErrorUnlessQuiet() throws {
        let arguments = ["law", "predict", "--preset", "hoffmann2022", "--params", "1T", "--tokens", "100T"]
        let loud = try runScaleplan(arguments)
        let lines = loud.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("warning: extrapolation: the prediction: The law is extrapolated"), "\(loud.stderr)")
        let quiet = try runScaleplan(arguments + ["-q"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty && quiet.stdout.contains("warnings:\n  extrapolation"))
        let json = try runScaleplan(arguments + ["--format", "json"])
        #expect(json.stderr.isEmpty)
    }

    /// A pure-FLOP question (Sardana et al.'s setting, a token total with no request shape):
    /// planned without a serving model; serving cost and energy are null, and it says so.
    @Test func pureFLOPQuestionsSaySoAndLeaveCostNull() throws {
        let r = try runScaleplan(["evaluate", "scenarios/sardana-inference-aware.yaml", "--format", "json"])
        try #require(r.status == 0, "\(r.stderr)")
        let o = try #require(jsonObject(r.stdout))
        let rec = try #require(o["recommended"] as? [String: Any])
        #expect(rec["total_cost_usd"] is NSNull && rec["inference_cost_usd"] is NSNull && rec["energy_kwh"] is NSNull)
        #expect(rec["train_cost_usd"] as? Double != nil)
        let n = try #require(rec["params"] as? Double), total = try #require(rec["total_flops"] as? Double)
        #expect(abs(n / 2.418e10 - 1) < 0.01 && abs(total / 4.823e23 - 1) < 0.01)
        #expect(o["budget"] == nil)
        let codes = (o["warnings"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        #expect(codes.first == "serving_not_modelled", "\(codes)")
    }

    /// Downscaling past the data stock, at a precision whose quantisation loss is large.
    @Test func downscaleWarnings() throws {
        let codes = try Self.codes(["downscale", "scenarios/on-device-downscale.yaml"])
        #expect(codes.contains("data_stock_exceeded") && codes.contains("quantization_degradation"), "\(codes)")
    }

    /// With unique tokens given, repetition is `data_repeated` and the stock is not mentioned.
    @Test func repetitionReplacesTheStock() throws {
        let path = try Self.write(Self.scenario.replacingOccurrences(of: "devices: 64 }", with: "devices: 64, unique_tokens: 5T }"))
        let codes = try Self.codes(["evaluate", path, "-q"])
        #expect(codes.contains("data_repeated") && !codes.contains("data_stock_exceeded"), "\(codes)")
    }

    /// Serving options priced on different bases are named with their bases; one basis, or
    /// prices the scenario sets for every option, raise nothing.
    @Test func mixedPriceBasesAreNamed() throws {
        func scenario(_ hardware: String, price: String = "") -> String {
            Self.scenario.replacingOccurrences(of: "hardware: [h100-sxm]", with: "hardware: [\(hardware)]\(price)")
                .replacingOccurrences(of: "slo: { tpot_ms: 60 }", with: "slo: { tpot_ms: 60, ttft_ms: 2000 }")
        }
        let mixed = try runScaleplan(["evaluate", try Self.write(scenario("h100-sxm, h100-pcie")), "-q", "--format", "json"])
        try #require(mixed.status == 0, "\(mixed.stderr)")
        let warnings = try #require(jsonObject(mixed.stdout)?["warnings"] as? [[String: Any]])
        let basis = try #require(warnings.first { $0["code"] as? String == "mixed_price_basis" }?["message"] as? String)
        #expect(basis.contains("h100-sxm (AWS EC2 on-demand") && basis.contains("h100-pcie (Lambda on-demand"), "\(basis)")
        #expect(!(try Self.codes(["evaluate", try Self.write(scenario("h100-sxm, a100-80gb, l40s")), "-q"])).contains("mixed_price_basis"))
        let priced = scenario("h100-sxm, h100-pcie", price: "\n  price_per_hour: { h100-sxm: 3.99, h100-pcie: 3.29 }")
        #expect(!(try Self.codes(["evaluate", try Self.write(priced), "-q"])).contains("mixed_price_basis"))
        let half = scenario("h100-sxm, h100-pcie", price: "\n  price_per_hour: { h100-sxm: 3.99 }")
        let halfWarnings = try Self.codes(["evaluate", try Self.write(half), "-q"])
        #expect(halfWarnings.contains("mixed_price_basis"), "a scenario price against a profile's is two bases")
    }

    /// A TPOT SLO tighter than the replica's capacity binds: the planner runs the largest
    /// batch under it, so the plan meets it with almost nothing to spare, and says so.
    @Test func aBindingSLOIsBarelyMet() throws {
        let path = try Self.write(Self.scenario.replacingOccurrences(of: "slo: { tpot_ms: 60 }", with: "slo: { tpot_ms: 15, ttft_ms: 2000 }"))
        let r = try runScaleplan(["evaluate", path, "-q", "--format", "json"])
        try #require(r.status == 0, "\(r.stderr)")
        let o = try #require(jsonObject(r.stdout))
        let tpot = try #require((o["recommended"] as? [String: Any])?["tpot_ms"] as? Double)
        let codes = (o["warnings"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        #expect(tpot <= 15 && tpot >= 13.5 && codes.contains("slo_barely_met"), "TPOT \(tpot), \(codes)")
    }
}
