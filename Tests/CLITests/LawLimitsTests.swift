import Foundation
import Testing
import TestSupport

/// Laws that know their limits (issue 16, items 3 and 4): fitted ranges travel in law files,
/// bootstrap refits give intervals, absurd requests are refused, weak fits say so.
@Suite("Law limits and weak fits")
struct LawLimitsTests {
    static func temporary() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    static let sardana = ["Tests/Fixtures/reference/sardana2024-runs.csv", "--params-column", "Parameters", "--tokens-column", "Tokens",
                          "--loss-column", "Smoothed Loss"]

    /// `fit -o` writes the runs' range; `law predict/optimum --law` warn outside it and give the
    /// bootstrap refits' 5%-95% interval around the point estimate.
    @Test func lawFilesCarryTheirRangeAndRefits() throws {
        let law = try Self.temporary() + "/law.yaml"
        let fit = try runScaleplan(["fit"] + Self.sardana + ["--bootstrap", "30", "--seed", "1", "-o", law, "-q"])
        try #require(fit.status == 0, "\(fit.stderr)")
        let text = try String(contentsOfFile: law, encoding: .utf8)
        #expect(text.contains("fitted_range:\n  params: [151000000, 6050000000]"), "\(text.prefix(400))")
        let inside = try runScaleplan(["law", "predict", "--law", law, "--params", "1B", "--tokens", "20B", "--format", "json"])
        let i = try #require(jsonObject(inside.stdout))
        #expect((i["warnings"] as? [Any])?.isEmpty == true)
        let loss = try #require(i["loss"] as? Double), low = try #require(i["loss_low"] as? Double), high = try #require(i["loss_high"] as? Double)
        #expect(low <= loss && loss <= high && low < high)
        #expect(i["bootstrap_laws"] as? Int == 30)
        let outside = try runScaleplan(["law", "predict", "--law", law, "--params", "1T", "--tokens", "100T", "--format", "json"])
        let w = try #require((jsonObject(outside.stdout)?["warnings"] as? [[String: Any]])?.first)
        #expect(w["code"] as? String == "extrapolation")
        #expect((w["message"] as? String)?.contains("165.3x above the fitted 151M-6.05B") == true)
        let optimum = try runScaleplan(["law", "optimum", "--law", law, "--compute", "1e22", "--format", "json"])
        let o = try #require(jsonObject(optimum.stdout))
        let n = try #require(o["params"] as? Double), nLow = try #require(o["params_low"] as? Double), nHigh = try #require(o["params_high"] as? Double)
        #expect(nLow <= n && n <= nHigh)
    }

    /// Beyond any physical scale: refused with exit 2 and one sentence, not answered.
    @Test func absurdRequestsAreRefused() throws {
        for arguments in [["law", "optimum", "--preset", "hoffmann2022", "--compute", "1e99"],
                          ["law", "predict", "--preset", "hoffmann2022", "--params", "1e16", "--tokens", "1T"],
                          ["law", "predict", "--preset", "hoffmann2022", "--params", "1B", "--tokens", "1e19"]] {
            let r = try runScaleplan(arguments)
            #expect(r.status == 2, "\(arguments)")
            #expect(r.stderr.contains("beyond any physical scale") && r.stdout.isEmpty, "\(r.stderr)")
        }
        // The case: a law fitted 46,000x smaller is answered, with its warning.
        let far = try runScaleplan(["law", "predict", "--preset", "hoffmann2022", "--params", "1T", "--tokens", "100T", "--format", "json"])
        #expect(far.status == 0 && far.stdout.contains("\"extrapolation\""))
    }

    /// Iso-loss rows outside the preset's range are warned about.
    @Test func isoLossWarns() throws {
        let r = try runScaleplan(["law", "iso-loss", "--preset", "hoffmann2022", "--loss", "2.0", "--points", "6", "--format", "json"])
        let codes = (jsonObject(r.stdout)?["warnings"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        #expect(!codes.isEmpty && codes.allSatisfy { $0 == "extrapolation" })
    }

    /// The seven runs at three sizes (2.8B, 4.2B, 8.7B; 6.8B-178B tokens) used to fail
    /// with "no starting point reached a finite objective": they fit, and the fit says its size
    /// exponent runs away.
    @Test func sevenRunsFitAndSayTheyAreWeak() throws {
        let r = try runScaleplan(["fit", "Tests/Fixtures/reference/datablations-c4-seven-runs.csv", "--format", "json", "-q"])
        try #require(r.status == 0, "\(r.stderr)")
        let warnings = try #require(jsonObject(r.stdout)?["warnings"] as? [[String: Any]])
        #expect(warnings.allSatisfy { $0["code"] as? String == "weak_fit" })
        #expect(warnings.contains { ($0["message"] as? String)?.contains("The fitted alpha") == true }, "\(warnings)")
    }

    /// The datablations contour runs: a Chinchilla fit implies 0.5 tokens per parameter, E
    /// collapses to 0 in the data-constrained fit; both are said.
    @Test func degenerateFitsAreNamed() throws {
        let file = "Tests/Fixtures/reference/datablations-contour.csv"
        let chinchilla = try runScaleplan(["fit", file, "--params-column", "num_params", "--tokens-column", "token_num",
                                           "--loss-column", "openLM_loss", "--format", "json", "-q"])
        let messages = (jsonObject(chinchilla.stdout)?["warnings"] as? [[String: Any]])?.compactMap { $0["message"] as? String } ?? []
        #expect(messages.contains { $0.contains("tokens per parameter, outside the 1-1000") }, "\(messages)")
        let constrained = try runScaleplan(["fit", file, "--form", "data-constrained", "--params-column", "num_params", "--tokens-column", "token_num",
                                            "--loss-column", "openLM_loss", "--unique-tokens-column", "tokens_per_epoch", "--format", "json", "-q"])
        let m2 = (jsonObject(constrained.stdout)?["warnings"] as? [[String: Any]])?.compactMap { $0["message"] as? String } ?? []
        #expect(m2.contains { $0.contains("irreducible loss E") && $0.contains("degenerate") }, "\(m2)")
    }

    /// `--skip-incomplete` skips rows with an empty cell and says how many; `--tokens-per-step`
    /// turns steps into tokens.
    @Test func incompleteRowsAndSteps() throws {
        let dir = try Self.temporary()
        let csv = dir + "/runs.csv"
        try "params,steps,loss\n1e8,1000,3.5\n2e8,,3.3\n4e8,2000,3.0\n8e8,4000,2.7\n1.6e9,8000,2.5\n3.2e9,8000,2.45\n1e8,4000,3.3\n4e8,8000,2.8\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let refused = try runScaleplan(["fit", csv, "--tokens-column", "steps", "--tokens-per-step", "1M"])
        #expect(refused.status == 2 && refused.stderr.contains("runs.csv:3:5"), "\(refused.stderr)")
        let r = try runScaleplan(["fit", csv, "--tokens-column", "steps", "--tokens-per-step", "1M", "--skip-incomplete", "--format", "json", "-q"])
        try #require(r.status == 0, "\(r.stderr)")
        let o = try #require(jsonObject(r.stdout))
        #expect(o["rows_used"] as? Int == 7)
        let range = try #require((o["fitted_range"] as? [String: Any])?["tokens"] as? [Double])
        #expect(range == [1e9, 8e9])
        let w = try #require((o["warnings"] as? [[String: Any]])?.first)
        #expect(w["code"] as? String == "incomplete_rows" && (w["message"] as? String)?.hasPrefix("1 row") == true)
    }
}
