import ArgumentParser
import Foundation
import Fuzzing

/// `scaleplan-fuzz`: the soak run of the fuzzing harness. Runs cases one after another on
/// this thread (one core), with a watchdog that ends the process (exit 3) when a case runs
/// past `--timeout`; `bench/fuzz-soak.sh` restarts it after a crash or a hang and records both.
@main
struct ScaleplanFuzz: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaleplan-fuzz",
        abstract: "Mutate the example inputs and run each through the library, checking scaleplan's invariants.",
        discussion: """
            Prints one line per broken invariant (FINDING), progress every --progress cases, and a final SUMMARY line.
            Exit codes: 0 no findings, 1 findings, 3 a case ran past --timeout (HANG). A crash ends the process by signal;
            --checkpoint names the case it was running.
            """)

    @Option(help: "Number of cases.") var cases = 100_000
    @Option(help: "First case index (to resume after a crash).") var start = 0
    @Option(help: "Seed of the mutations.") var seed: UInt64 = 1
    @Option(help: "Seconds a case may run before it counts as a hang.") var timeout = 30.0
    @Option(help: "Repository root (seeds and hardware-profiles).") var repository = FileManager.default.currentDirectoryPath
    @Option(help: "File that always holds the index of the case running and the counts so far (for crash reports).") var checkpoint: String?
    @Option(help: "Print progress every this many cases (0: never).") var progress = 5000
    @Option(help: "Frontier points per scenario.") var frontierPoints = 4
    @Option(help: "Write case --start to this file (with its mutations on stderr) instead of running cases.") var dump: String?

    func run() throws {
        let seeds = FuzzCampaign.seeds(repository: repository)
        guard !seeds.isEmpty else { throw ValidationError("No seed files under \(repository).") }
        let campaign = FuzzCampaign(seeds: seeds, seed: seed)
        if let dump {
            let c = campaign.makeCase(start)
            try Data(c.bytes).write(to: URL(fileURLWithPath: dump))
            FileHandle.standardError.write(Data("case \(start): \(c.seed.kind.rawValue) from \(c.seed.name): \(c.operations.joined(separator: "; "))\n".utf8))
            return
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-fuzz-\(getpid())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let runner = try FuzzRunner(profiles: (repository as NSString).appendingPathComponent("hardware-profiles"), scratch: scratch,
                                    budget: FuzzRunner.Budget(frontierPoints: frontierPoints))
        let watchdog = Watchdog(timeout: timeout, seed: seed)
        watchdog.start()
        var tally = FuzzTally()
        let began = Date()
        for index in start..<(start + cases) {
            if let checkpoint {
                // The case about to run and the counts so far, for the report after a crash or a hang.
                let line = "\(index) cases=\(tally.cases) ok=\(tally.succeeded) exit1=\(tally.noSolution) exit2=\(tally.badInput) findings=\(tally.failures.count)\n"
                try? line.write(toFile: checkpoint, atomically: false, encoding: .utf8)
            }
            let c = campaign.makeCase(index)
            watchdog.begin(index)
            let result = runner.run(c.bytes, kind: c.seed.kind, seedName: c.seed.name)
            watchdog.end()
            tally.add(index: index, seed: c.seed, operations: c.operations, result: result)
            for p in result.problems {
                say("FINDING seed=\(seed) case=\(index) input=\(c.seed.name) mutations=[\(c.operations.joined(separator: "; "))]: \(p)")
            }
            if progress > 0, (index - start + 1) % progress == 0 {
                say("progress \(index - start + 1)/\(cases) in \(Int(Date().timeIntervalSince(began))) s: \(tally)")
            }
        }
        let kinds = tally.byKind.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        say("SUMMARY seed=\(seed) start=\(start) cases=\(tally.cases) ok=\(tally.succeeded) exit1=\(tally.noSolution) exit2=\(tally.badInput) "
              + "findings=\(tally.failures.count) slowest_case=\(tally.slowest.index) slowest_s=\(String(format: "%.3f", tally.slowest.seconds)) "
              + "wall_s=\(String(format: "%.1f", Date().timeIntervalSince(began))) \(kinds)")
        if !tally.failures.isEmpty { throw ExitCode(1) }
    }
}

/// Ends the process when one case runs past the timeout: an in-process hang cannot be
/// interrupted, so the report names the case and exits with 3.
final class Watchdog: @unchecked Sendable {
    let timeout: Double
    let seed: UInt64
    private let lock = NSLock()
    private var running: (index: Int, since: Date)?

    init(timeout: Double, seed: UInt64) { self.timeout = timeout; self.seed = seed }

    func begin(_ index: Int) { lock.lock(); running = (index, Date()); lock.unlock() }
    func end() { lock.lock(); running = nil; lock.unlock() }

    func start() {
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 1)
                lock.lock()
                let r = running
                lock.unlock()
                if let r, Date().timeIntervalSince(r.since) > timeout {
                    say("HANG seed=\(seed) case=\(r.index): still running after \(timeout) s")
                    _exit(3)
                }
            }
        }
        thread.start()
    }
}

/// Writes a line to standard output unbuffered, so a crash loses nothing already said.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
