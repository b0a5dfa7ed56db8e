import Foundation
import Fuzzing
import TestSupport
import Testing

/// 2,000 mutated inputs through the library in-process (two workers), then a sample of them
/// through the built binary, which must fail or succeed exactly as the in-process run said.
/// The soak run (100,000 cases, `swift run -c release scaleplan-fuzz`) is in RELIABILITY.md.
@Suite("Fuzzing")
struct FuzzTests {
    static let seed: UInt64 = 20_251_123

    @Test func twoThousandMutatedInputsKeepEveryInvariant() throws {
        let seeds = FuzzCampaign.seeds(repository: Fixtures.root.path)
        #expect(Set(seeds.map(\.kind)) == Set(FuzzKind.allCases))
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-fuzz-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let pool = try FuzzPool(campaign: FuzzCampaign(seeds: seeds, seed: Self.seed), profiles: Fixtures.path("hardware-profiles"),
                                scratch: scratch, width: 2, budget: FuzzRunner.Budget())
        nonisolated(unsafe) var tally = FuzzTally()
        nonisolated(unsafe) var results: [Int: FuzzResult] = [:]
        pool.run(0..<2000) { index, seed, operations, result in
            tally.add(index: index, seed: seed, operations: operations, result: result)
            results[index] = result
        }
        #expect(tally.cases == 2000)
        for f in tally.failures.prefix(20) {
            Issue.record("case \(f.index) (\(f.seed); \(f.operations.joined(separator: "; "))): \(f.problems.joined(separator: " | "))")
        }
        // The mutations must reach every outcome, or the harness is not exercising the planner.
        #expect(tally.succeeded > 100 && tally.badInput > 100 && tally.noSolution > 0, "\(tally)")
        // A case that takes this long has hung (the slowest honest cases take well under a second).
        #expect(tally.slowest.seconds < 30, "\(tally)")

        // Every 50th case again, in-process on one runner (the same outcome: cases are
        // deterministic) and then through the binary on the same file: the same exit code, the
        // same error line, no signal.
        let runner = pool.runner(0)
        for index in stride(from: 0, to: 2000, by: 50) {
            let c = pool.campaign.makeCase(index)
            let expected = runner.run(c.bytes, kind: c.seed.kind, seedName: c.seed.name)
            #expect(expected.exitCode == results[index]?.exitCode, "case \(index) is not deterministic")
            let r = try runScaleplan(runner.arguments(for: c.seed.kind, seedName: c.seed.name), timeout: 60)
            #expect(!r.signalled, "case \(index) ended by signal \(r.status)")
            #expect(r.status == expected.exitCode, "case \(index) (\(c.seed.name); \(c.operations)): CLI exit \(r.status), in-process \(expected.exitCode): \(r.stderr)")
            if expected.exitCode == 2, let line = expected.errorLine { #expect(r.stderr == line + "\n", "case \(index)") }
            if expected.exitCode == 0 { #expect(r.stderr.isEmpty, "case \(index): \(r.stderr)") }
        }
    }
}
