import Foundation
import TestSupport
import Testing

/// `scaleplan select` through the built binary: the JSON contract, the tidy CSV sheets, the
/// SVG and HTML reports, and errors located at their cell.
@Suite("CLI: select")
struct SelectCLITests {
    static let data = "data/gadre2024-datasets.csv"
    static let target = ["--target-params", "6.9e9", "--target-tokens", "1.38e11"]

    @Test func jsonKeepsTheContract() throws {
        let r = try runScaleplan(["select", Self.data, "--metric-column", "loss_c4_val", "--bootstrap", "200", "--seed", "1",
                                  "--format", "json", "--validate-largest"] + Self.target)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(jsonObject(r.stdout))
        for key in ["schema_version", "target", "leader", "candidates", "flagged_runs", "next_runs", "warnings", "validation", "p_wrong", "expected_regret"] {
            #expect(json[key] != nil, "no \(key)")
        }
        #expect(json["leader"] as? String == "c4_original")
        let candidates = try #require(json["candidates"] as? [[String: Any]])
        #expect(candidates.map { $0["candidate"] as? String } == ["c4_original", "rpj", "rw_original"])
        var total = 0.0
        for c in candidates {
            for key in ["candidate", "predicted", "low", "high", "p_best", "trend", "runs"] { #expect(c[key] != nil, "candidate lacks \(key)") }
            let (p, lo, hi) = (c["predicted"] as! Double, c["low"] as! Double, c["high"] as! Double)
            #expect(lo < p && p < hi)
            #expect(["law", "none", "untested"].contains(c["trend"] as! String))
            total += c["p_best"] as? Double ?? 0
        }
        #expect(abs(total - 1) < 1e-9, "p_best sums to \(total)")
        let flagged = try #require(json["flagged_runs"] as? [[String: Any]])
        for f in flagged {
            for key in ["candidate", "params", "tokens", "seed", "loss", "residual_sigma"] { #expect(f.keys.contains(key), "flagged run lacks \(key)") }
            #expect(abs(f["residual_sigma"] as! Double) > 3)
        }
        let validation = try #require(json["validation"] as? [String: Any])
        #expect(validation["chosen_is_best"] as? Bool == true)
        let target = try #require(json["target"] as? [String: Any])
        #expect(target["params"] as? Double == 6.9e9 && target["tokens"] as? Double == 1.38e11)
    }

    @Test func csvWritesTheCandidatesWithSheetsBeside() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("select-csv-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runScaleplan(["select", Self.data, "--metric-column", "loss_c4_val", "--bootstrap", "50", "-o", "\(dir)/sel.csv", "-q"] + Self.target)
        #expect(r.status == 0, "\(r.stderr)")
        let main = try String(contentsOfFile: "\(dir)/sel.csv", encoding: .utf8)
        #expect(main.hasPrefix("candidate,predicted,low,high,p_best,trend,status,runs,sizes,noise_log\n"))
        #expect(main.split(separator: "\n").count == 4)
        for part in ["flagged", "next", "warnings"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/sel.\(part).csv"), "no sel.\(part).csv")
        }
    }

    @Test func reportsDrawTheCandidates() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("select-report-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runScaleplan(["select", Self.data, "--metric-column", "err_avg_46", "--through-loss", "loss_c4_val", "--bootstrap", "50",
                                  "--svg", "\(dir)/s.svg", "--html", "\(dir)/s.html", "-q"] + Self.target)
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try String(contentsOfFile: "\(dir)/s.svg", encoding: .utf8)
        #expect(svg.components(separatedBy: "class=\"law-curve\"").count - 1 == 3)
        #expect(svg.components(separatedBy: "class=\"band\"").count - 1 == 3)
        #expect(svg.contains("class=\"target-line\""))
        let html = try String(contentsOfFile: "\(dir)/s.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("rw_original") && html.contains("What to run next"))
        #expect(!html.contains("<script"), "the report loads nothing")
    }

    @Test func flaggedRunsAreMarkedInTheSVG() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("select-flag-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runScaleplan(["select", Self.data, "--metric-column", "loss_c4_val", "--bootstrap", "20", "--svg", "\(dir)/f.svg", "-q"] + Self.target)
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try String(contentsOfFile: "\(dir)/f.svg", encoding: .utf8)
        #expect(svg.components(separatedBy: "class=\"flagged-run\"").count - 1 == 3)
    }

    @Test func tableSaysTheWarningsOnStandardError() throws {
        let r = try runScaleplan(["select", Self.data, "--metric-column", "err_avg_17subset", "--through-loss", "loss_c4_val", "--bootstrap", "100"] + Self.target)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("candidate    predicted"))
        #expect(r.stderr.contains("warning: selection_undecided:"))
    }

    @Test func errorsPointAtTheCell() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("select-bad-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = "\(dir)/acc.csv"
        try "candidate,params,acc\na,1e8,0.4\na,2e8,0.45\na,4e8,1.5\na,8e8,0.55\na,1.6e9,0.6\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try runScaleplan(["select", file, "--metric-column", "acc", "--higher-is-better", "--target-params", "7e9"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: \(file):4:7: "), "\(r.stderr)")
        #expect(r.stderr.contains("an accuracy in [0, 1)"))
        let none = try runScaleplan(["select", file, "--metric-column", "acc"])
        #expect(none.status == 2 && none.stderr.contains("Give a target"), "\(none.stderr)")
        let few = try runScaleplan(["select", file, "--metric-column", "acc", "--target-params", "7e9", "--target-tokens", "1e11", "--law", "chinchilla"])
        #expect(few.status == 2 && few.stderr.contains("reads tokens"), "\(few.stderr)")
    }
}
