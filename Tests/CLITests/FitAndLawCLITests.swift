import Foundation
import TestSupport
import Testing

/// End-to-end: the built binary, its stdout, stderr and exit code.
@Suite("CLI: fit and law")
struct FitAndLawCLITests {
    static let epochFit = ["fit", "data/epoch-chinchilla.csv", "--params-column", "Model Size", "--compute-column", "Training FLOP",
                           "--loss-column", "loss", "--drop-highest-loss", "5"]

    @Test func fitPrintsTheJSONContract() throws {
        let r = try runScaleplan(Self.epochFit + ["--format", "json", "--bootstrap", "50", "--seed", "3"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(jsonObject(r.stdout))
        #expect(json["form"] as? String == "chinchilla")
        let p = try #require(json["parameters"] as? [String: Double])
        #expect(abs(p["alpha"]! - 0.34731) < 0.002)
        #expect(json["rows_used"] as? Int == 240)
        #expect((json["objective"] as? Double).map { $0 <= 1.01827e-3 * 1.0001 } == true)
        let intervals = try #require(json["intervals"] as? [String: Any])
        #expect((intervals["E"] as? [Double])?.count == 2)
        #expect(intervals["params_opt"] != nil)
        #expect(json["holdout"] != nil && json["fit_quality"] != nil)
        #expect((json["bootstrap_laws"] as? [[Double]])?.count == 50)
    }

    @Test func fitWritesALawFileThatLawReads() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let lawPath = dir.appendingPathComponent("law.yaml").path
        let fit = try runScaleplan(Self.epochFit + ["--holdout-fraction", "0", "-o", lawPath])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stdout.isEmpty)
        let predict = try runScaleplan(["law", "predict", "--law", lawPath, "--params", "70B", "--tokens", "1.4T", "--format", "json"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let loss = try #require(jsonObject(predict.stdout)?["loss"] as? Double)
        // Epoch's law at Chinchilla's size: 1.8172 + 477.8/7e10^0.3473 + 2143/1.4e12^0.3672 ~ 1.94.
        #expect(loss > 1.9 && loss < 2.0)
    }

    @Test func lawOptimumMatchesTheOracle() throws {
        let r = try runScaleplan(["law", "optimum", "--preset", "hoffmann2022", "--compute", "5.76e23", "--format", "json"])
        #expect(r.status == 0)
        let json = try #require(jsonObject(r.stdout))
        for key in ["params", "tokens", "tokens_per_param", "loss", "compute"] { #expect(json[key] is Double, "\(key)") }
        #expect(relativeDifference(json["params"] as! Double, 4.04e10) < 0.005)
        #expect(relativeDifference(json["tokens"] as! Double, 2.38e12) < 0.005)
    }

    @Test func lawPredictMuennighoff() throws {
        let r = try runScaleplan(["law", "predict", "--preset", "muennighoff2023-c4", "--params", "6.34B", "--tokens", "242B",
                                  "--unique-tokens", "25B", "--format", "json"])
        #expect(r.status == 0)
        #expect(abs((jsonObject(r.stdout)?["loss"] as? Double ?? 0) - 2.2256440889984477) < 1e-9)
    }

    @Test func csvAndYamlFormats() throws {
        let csv = try runScaleplan(["law", "iso-loss", "--preset", "hoffmann2022", "--loss", "2.0", "--points", "5", "--format", "csv"])
        #expect(csv.status == 0)
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first == "params,tokens,tokens_per_param,compute")
        #expect(lines.count == 6)
        let yaml = try runScaleplan(["law", "presets", "--format", "yaml"])
        #expect(yaml.status == 0 && yaml.stdout.contains("name: \"muennighoff2023-c4\""))
    }

    @Test func badInputExitsWithTwoAndALocatedSentence() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("runs.csv").path
        try "params,tokens,loss\n1e9,2e10,2.5\n1e9,oops,2.4\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try runScaleplan(["fit", bad])
        #expect(r.status == 2)
        #expect(r.stderr == "error: \(bad):3:5: column 'tokens' must be a finite number, found 'oops'\n")
        #expect(r.stdout.isEmpty)

        let missing = try runScaleplan(["fit", "no-such-file.csv"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: no-such-file.csv: the file does not exist\n")

        let tooFew = dir.appendingPathComponent("few.csv").path
        try "params,tokens,loss\n1e9,2e10,2.5\n2e9,2e10,2.4\n".write(toFile: tooFew, atomically: true, encoding: .utf8)
        let few = try runScaleplan(["fit", tooFew])
        #expect(few.status == 2)
        #expect(few.stderr.contains("fitting needs at least 5 runs, found 2"))

        let flag = try runScaleplan(["law", "optimum", "--preset", "hoffmann2022", "--compute", "-5"])
        #expect(flag.status == 2)
        let preset = try runScaleplan(["law", "optimum", "--preset", "nope", "--compute", "1e20"])
        #expect(preset.status == 2 && preset.stderr.contains("Unknown preset 'nope'"))
    }

    @Test func refusesToOverwriteTheInput() throws {
        let r = try runScaleplan(Self.epochFit + ["--holdout-fraction", "0", "-o", "data/epoch-chinchilla.csv"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("refusing to write the output over the input file"))
    }

    @Test func helpSucceeds() throws {
        let r = try runScaleplan(["fit", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("--bootstrap"))
    }
}
