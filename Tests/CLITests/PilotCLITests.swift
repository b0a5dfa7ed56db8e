import Foundation
import TestSupport
import Testing

@Suite("CLI: pilot")
struct PilotCLITests {
    @Test func exampleJSONCarriesTheDesignAndItsIntervals() throws {
        let r = try runScaleplan(["pilot", "scenarios/pilot-7b.yaml", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(jsonObject(r.stdout))
        #expect(json["name"] as? String == "pilot-7b")
        let budget = try #require(json["budget_flops"] as? Double)
        #expect(abs(budget / (0.01 * 6 * 7e9 * 1.4e11) - 1) < 1e-12)
        let runs = try #require(json["runs"] as? [[String: Any]])
        #expect(!runs.isEmpty && runs.count <= 20)
        var total = 0.0
        for run in runs {
            let n = try #require(run["params"] as? Double), d = try #require(run["tokens"] as? Double), f = try #require(run["flops"] as? Double)
            #expect(f == 6 * n * d)
            #expect((run["name"] as? String)?.hasPrefix("pilot-7b-") == true)
            total += f
        }
        #expect(total <= budget)
        let design = try #require(json["design"] as? [String: Any])
        #expect(design["runs"] as? Int == runs.count)
        #expect(abs((design["flops"] as? Double ?? 0) - total) <= 1e-9 * total)
        let prediction = try #require(json["prediction"] as? [String: Any])
        let loss = try #require(prediction["loss"] as? Double), low = try #require(prediction["loss_low"] as? Double)
        let high = try #require(prediction["loss_high"] as? Double), sigma = try #require(prediction["sigma_log"] as? Double)
        #expect(low < loss && loss < high)
        #expect(abs(high / loss - exp(1.959963984540054 * sigma)) < 1e-9)
        let optimum = try #require(json["compute_optimal"] as? [String: Any])
        #expect((optimum["params_low"] as! Double) < (optimum["params"] as! Double))
        let baseline = try #require(json["baseline"] as? [String: Any])
        #expect((baseline["width_ratio"] as? Double ?? 0) > 1.5)
        #expect((baseline["grid"] as? [[String: Any]])?.count == 15)
        #expect((json["noise_source"] as? String)?.contains("epoch-chinchilla.csv") == true)
    }

    /// The CSV is the run list a scheduler reads: one row per run, exact numbers.
    @Test func csvIsTheRunList() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-pilot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("runs.csv").path
        let r = try runScaleplan(["pilot", "--preset", "hoffmann2022", "--compute", "1e22", "--budget", "1e20", "--sigma", "0.01",
                                  "--max-runs", "10", "--name", "p", "-o", out])
        #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.first == "name,params,tokens,tokens_per_param,flops,replicate")
        let rows = lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(!rows.isEmpty && rows.count <= 10)
        var total = 0.0
        for (i, row) in rows.enumerated() {
            #expect(row[0] == "p-\(String(format: "%02d", i + 1))")
            let n = try #require(Double(row[1])), d = try #require(Double(row[2])), f = try #require(Double(row[4]))
            #expect(f == 6 * n * d && n == n.rounded() && d == d.rounded())
            total += f
        }
        #expect(total <= 1e20)
    }

    @Test func flagsOverrideTheFileAndOutputIsDeterministic() throws {
        let a = try runScaleplan(["pilot", "scenarios/pilot-7b.yaml", "--max-runs", "8", "--max-replicates", "1", "--sigma", "0.02", "--format", "json"])
        #expect(a.status == 0, "\(a.stderr)")
        let json = try #require(jsonObject(a.stdout))
        let runs = try #require(json["runs"] as? [[String: Any]])
        #expect(runs.count <= 8 && runs.allSatisfy { $0["replicate"] as? Int == 1 })
        #expect(json["noise_sigma_log"] as? Double == 0.02 && json["noise_source"] as? String == "given")
        let b = try runScaleplan(["pilot", "scenarios/pilot-7b.yaml", "--max-runs", "8", "--max-replicates", "1", "--sigma", "0.02", "--format", "json"])
        #expect(a.stdout == b.stdout)
        let yaml = try runScaleplan(["pilot", "scenarios/pilot-7b.yaml", "--sigma", "0.02", "--format", "yaml"])
        #expect(yaml.status == 0 && yaml.stdout.hasPrefix("schema_version: 1\nname: \"pilot-7b\"\n"))
    }

    @Test func simulationReportsCoverage() throws {
        let r = try runScaleplan(["pilot", "--preset", "hoffmann2022", "--params", "7B", "--tokens", "140B", "--budget-fraction", "0.01",
                                  "--sigma", "0.01", "--simulate", "100", "--seed", "3", "--simulation-fit", "warm-start", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let sim = try #require(jsonObject(r.stdout)?["simulation"] as? [String: Any])
        #expect(sim["repetitions"] as? Int == 100 && sim["failed"] as? Int == 0 && sim["fit"] as? String == "warm-start")
        // 100 draws at a true coverage near 0.95: 85 or fewer covered has probability below 1e-4.
        #expect((sim["loss_coverage"] as? Double ?? 0) > 0.85)
    }

    @Test(arguments: [
        (["pilot", "--preset", "hoffmann2022", "--budget", "1e20", "--sigma", "0.01"], 2, "no target"),
        (["pilot", "--preset", "hoffmann2022", "--compute", "1e22", "--budget", "1e15", "--sigma", "0.01"], 1, "only 2 candidate runs fit"),
        (["pilot", "--preset", "muennighoff2023-c4", "--compute", "1e22", "--budget", "1e20", "--sigma", "0.01"], 2, "not data-constrained"),
        (["pilot", "--preset", "hoffman2022", "--compute", "1e22", "--budget", "1e20", "--sigma", "0.01"], 2, "Unknown preset"),
        (["pilot", "--preset", "hoffmann2022", "--compute", "1e22", "--budget", "1e20", "--sigma", "2"], 2, "--sigma must be"),
        (["pilot", "--preset", "hoffmann2022", "--compute", "1e22", "--budget", "1e20", "--sigma", "0.01", "--seed", "1"], 2, "go with --simulate"),
        (["pilot", "--preset", "hoffmann2022", "--compute", "1e22", "--budget", "1e20", "--noise-from", "missing.csv"], 2, "missing.csv: the file does not exist"),
        (["pilot", "Tests/Fixtures/scenarios/infeasible.yaml"], 2, "unknown key"),
    ])
    func badInputExitsWithOneSentence(arguments: [String], status: Int32, fragment: String) throws {
        let r = try runScaleplan(arguments)
        #expect(r.status == status, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains(fragment), "\(r.stderr)")
        #expect(r.stderr.hasPrefix("error: ") || r.stderr.hasPrefix("Error: "), "\(r.stderr)")
    }
}
