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
}
