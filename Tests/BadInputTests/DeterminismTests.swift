import Foundation
import TestSupport
import Testing

/// The same input and seed give byte-identical JSON, however many cores the run gets.
/// (`evaluate` is checked in CLITests/PlanningCLITests.evaluateIsDeterministic.)
@Suite("Determinism")
struct DeterminismTests {
    static let fit = ["fit", "data/epoch-chinchilla.csv", "--params-column", "Model Size", "--compute-column", "Training FLOP",
                      "--loss-column", "loss", "--drop-highest-loss", "5", "--bootstrap", "200", "--seed", "7", "--format", "json"]

    @Test func fitWithBootstrapIsByteIdentical() throws {
        let a = try runScaleplan(Self.fit)
        let b = try runScaleplan(Self.fit)
        #expect(a.status == 0, "\(a.stderr)")
        #expect(!a.stdout.isEmpty && a.stdout == b.stdout)
        // The intervals come from the resamples, so a different seed must change them.
        let other = try runScaleplan(Self.fit.map { $0 == "7" ? "8" : $0 })
        #expect(other.status == 0 && other.stdout != a.stdout)
        // On one core the parallel fit and bootstrap schedule their work differently; the bytes must not change.
        let taskset = "/usr/bin/taskset"
        if FileManager.default.isExecutableFile(atPath: taskset) {
            let one = try runProgram(taskset, ["-c", "0", Fixtures.executable] + Self.fit)
            #expect(one.status == 0, "\(one.stderr)")
            #expect(one.stdout == a.stdout)
        }
    }

    @Test func evaluateWithAFittedLawIsByteIdentical() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-determinism-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let runs = Fixtures.path("Tests/Fixtures/fuzz-seeds/runs-sardana.csv")
        let scenario = dir.appendingPathComponent("fitted.yaml").path
        try """
            scenario: fitted
            law: { fit: \(runs) }
            training: { hardware: h100-sxm, mfu: 0.4 }
            objectives: [loss, compute]
            constraints: { compute_max: 1e22 }
            frontier: { points: 5 }
            """.write(toFile: scenario, atomically: true, encoding: .utf8)
        let a = try runScaleplan(["evaluate", scenario, "--format", "json"])
        let b = try runScaleplan(["evaluate", scenario, "--format", "json"])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(!a.stdout.isEmpty && a.stdout == b.stdout)
    }
}
