import Foundation
import Testing
import TestSupport

/// The README's tutorial output is the tool's real output: the block shown after
/// `scaleplan evaluate my-model.yaml` must be lines of what `init` then `evaluate` print
/// (`...` stands for lines left out), in order.
@Suite("README examples")
struct ReadmeExampleTests {
    @Test func tutorialOutputIsTrue() throws {
        let readme = try String(contentsOfFile: Fixtures.path("README.md"), encoding: .utf8)
        let marker = "scaleplan evaluate my-model.yaml\n```\n```\n"
        let start = try #require(readme.range(of: marker), "the README no longer shows the evaluate output block")
        let block = try #require(readme[start.upperBound...].range(of: "\n```")).lowerBound
        let shown = readme[start.upperBound..<block].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(shown.count >= 5)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = dir.appendingPathComponent("my-model.yaml").path
        let initRun = try runScaleplan(["init", scenario])
        try #require(initRun.status == 0, "\(initRun.stderr)")
        let run = try runScaleplan(["evaluate", scenario])
        try #require(run.status == 0, "\(run.stderr)")
        let actual = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Each shown line (other than "...") appears in the output after the previous one.
        var position = 0
        for line in shown where line.trimmingCharacters(in: .whitespaces) != "..." {
            guard let found = actual[position...].firstIndex(of: line) else {
                Issue.record("README line not in the output (in order): \(line)")
                return
            }
            position = found + 1
        }
    }

    /// Every `scaleplan ...` line in the README's sh blocks runs, in order, in a scratch
    /// directory that holds what the README assumes a user has: the bundled scenarios and data, a
    /// runs.csv (Muennighoff et al. 2023's runs from Tests/Fixtures/reference, with the extra
    /// columns the fit examples name), evals.csv at several precisions, and my-model.yaml and
    /// my-scenario.yaml from `init`. Each must exit 0.
    @Test func everyCommandRuns() throws {
        let readme = try String(contentsOfFile: Fixtures.path("README.md"), encoding: .utf8)
        var commands: [[String]] = []
        var inBlock = false
        var pending = ""  // a command continued with a trailing backslash
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inBlock = line == "```sh" && !inBlock ? true : false; pending = ""; continue }
            guard inBlock, !pending.isEmpty || line.hasPrefix("scaleplan ") else { continue }
            let text = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? String(line)
            if text.hasSuffix("\\") { pending += text.dropLast() + " "; continue }
            commands.append((pending + text).split(separator: " ").dropFirst().map(String.init))
            pending = ""
        }
        #expect(commands.count >= 25, "found \(commands.count) commands")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-readme-all-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("scenarios"), withDestinationURL: Fixtures.root.appendingPathComponent("scenarios"))
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("data"), withDestinationURL: Fixtures.root.appendingPathComponent("data"))
        var runs = "params,tokens,loss,unique,flops,step\n"
        let source = try String(contentsOfFile: Fixtures.path("Tests/Fixtures/reference/muennighoff2023-runs.csv"), encoding: .utf8)
        // (The fixture has CRLF line ends: "\r\n" is one Character, so split on newlines.)
        for row in source.split(whereSeparator: \.isNewline).dropFirst() {
            let c = row.split(separator: ",").map(String.init)
            let n = Double(c[1])!, d = Double(c[2])!
            runs += "\(n),\(d),\(c[4]),\(c[3]),\(6 * n * d),\(d / 4e6)\n"
        }
        try runs.write(to: dir.appendingPathComponent("runs.csv"), atomically: true, encoding: .utf8)
        // Kumar et al. 2024's degradation (Appendix K constants) on a Chinchilla base.
        var evals = "params,tokens,precision,loss\n"
        for n in [1e8, 3e8, 1e9] {
            for d in [2e9, 2e10, 1e11] {
                let base = 1.69 + 406.4 / pow(n, 0.34) + 410.7 / pow(d, 0.28)
                evals += "\(n),\(d),bf16,\(base)\n"
                for (name, bits) in [("int8", 8.0), ("int4", 4.0)] {
                    evals += "\(n),\(d),\(name),\(base + 0.0598 * pow(d, 0.5068) / pow(n, 0.3439) * exp(-bits / 0.5907))\n"
                }
            }
        }
        try evals.write(to: dir.appendingPathComponent("evals.csv"), atomically: true, encoding: .utf8)

        for arguments in commands {
            let r = try runProgram(Fixtures.executable, arguments + ["-q"], timeout: 300, directory: dir)
            #expect(r.status == 0, "scaleplan \(arguments.joined(separator: " ")): \(r.stderr)")
            if arguments == ["init", "my-model.yaml"] {
                try FileManager.default.copyItem(at: dir.appendingPathComponent("my-model.yaml"), to: dir.appendingPathComponent("my-scenario.yaml"))
            }
        }
    }
}
