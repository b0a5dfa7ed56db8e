import ExperimentDesign
import FileIO
import Foundation
import Numerics
import Scenario

/// Runs cases on worker threads, each with its own `FuzzRunner` and scratch directory and
/// a 64 MiB stack (composing a YAML file at libyaml's 1000-level nesting limit recurses
/// deeper than a default 512 KiB thread stack allows; the CLI's main thread has 8 MiB).
public final class FuzzPool: @unchecked Sendable {
    public let campaign: FuzzCampaign
    private let runners: [FuzzRunner]
    private let lock = NSLock()
    private var next = 0
    private var end = 0
    /// What each worker is running now: (case index, start time), for a watchdog.
    private var current: [(index: Int, since: Date)?]

    public init(campaign: FuzzCampaign, profiles: String, scratch: String, width: Int, budget: FuzzRunner.Budget) throws {
        self.campaign = campaign
        var runners: [FuzzRunner] = []
        for w in 0..<width {
            let directory = (scratch as NSString).appendingPathComponent("worker-\(w)")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            runners.append(try FuzzRunner(profiles: profiles, scratch: directory, budget: budget))
        }
        self.runners = runners
        current = Array(repeating: nil, count: width)
    }

    /// The runner of worker `w` (for replaying a case through the CLI on its file).
    public func runner(_ w: Int) -> FuzzRunner { runners[w] }

    /// The case each worker has been running, with the seconds so far.
    public var running: [(index: Int, seconds: Double)] {
        lock.lock()
        defer { lock.unlock() }
        return current.compactMap { $0.map { ($0.index, Date().timeIntervalSince($0.since)) } }
    }

    /// Runs cases `range` and calls `record` (under a lock, in completion order) with each.
    public func run(_ range: Range<Int>, record: @escaping @Sendable (Int, FuzzSeed, [String], FuzzResult) -> Void) {
        lock.lock()
        next = range.lowerBound
        end = range.upperBound
        lock.unlock()
        let group = DispatchGroup()
        for (w, runner) in runners.enumerated() {
            group.enter()
            let thread = Thread { [self] in
                while let index = take(worker: w) {
                    let c = campaign.makeCase(index)
                    let result = runner.run(c.bytes, kind: c.seed.kind, seedName: c.seed.name)
                    lock.lock()
                    current[w] = nil
                    record(index, c.seed, c.operations, result)
                    lock.unlock()
                }
                group.leave()
            }
            thread.stackSize = 64 << 20
            thread.start()
        }
        group.wait()
    }

    private func take(worker w: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < end else { return nil }
        defer { next += 1 }
        current[w] = (next, Date())
        return next
    }
}
