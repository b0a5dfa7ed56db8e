import ExperimentDesign
import FileIO
import Foundation
import Numerics

/// A reproducible series of cases: case `i` takes kind `i mod 5` (so each kind gets a fifth
/// of the cases), cycles through that kind's seeds, and mutates the seed with stream `i` of
/// `seed`. The same seed and index always give the same case.
public struct FuzzCampaign: Sendable {
    public let seeds: [FuzzSeed]
    public let seed: UInt64

    public init(seeds: [FuzzSeed], seed: UInt64) {
        self.seeds = seeds
        self.seed = seed
    }

    /// Case `index`: its seed and mutated bytes, and the mutations applied.
    public func makeCase(_ index: Int) -> (seed: FuzzSeed, bytes: [UInt8], operations: [String]) {
        let kinds = FuzzKind.allCases.filter { k in seeds.contains { $0.kind == k } }
        let kind = kinds[index % kinds.count]
        let pool = seeds.filter { $0.kind == kind }
        let base = pool[(index / kinds.count) % pool.count]
        let (bytes, operations) = Mutator(seed: seed).mutate(base.bytes, case: index)
        return (base, bytes, operations)
    }

    /// The seed files of a repository checkout: example scenarios, law files and run tables in
    /// Tests/Fixtures/fuzz-seeds, hardware profiles, the committed measurements, and the
    /// measurement rows of kinds no committed file has yet (open-loop, prefix-cached) in
    /// Tests/Fixtures/fuzz-seeds/measurements.
    public static func seeds(repository root: String) -> [FuzzSeed] {
        let patterns: [(FuzzKind, String, String)] = [
            (.scenario, "scenarios", ".yaml"), (.scenario, "Tests/Fixtures/scenarios", ".yaml"),
            (.law, "Tests/Fixtures/fuzz-seeds", ".yaml"), (.runs, "Tests/Fixtures/fuzz-seeds", ".csv"),
            (.hardware, "hardware-profiles", ".yaml"), (.measurements, "hardware-profiles/measurements", ".csv"),
            (.measurements, "Tests/Fixtures/fuzz-seeds/measurements", ".csv"),
        ]
        var out: [FuzzSeed] = []
        for (kind, folder, suffix) in patterns {
            let directory = (root as NSString).appendingPathComponent(folder)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
            for name in names {
                guard let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name)) else { continue }
                out.append(FuzzSeed(kind: kind, name: "\(folder)/\(name)", bytes: [UInt8](data)))
            }
        }
        return out
    }
}

/// Counts of outcomes over many cases.
public struct FuzzTally: Sendable, CustomStringConvertible {
    public var cases = 0
    public var succeeded = 0
    public var noSolution = 0
    public var badInput = 0
    public var failures: [(index: Int, seed: String, operations: [String], problems: [String])] = []
    public var slowest: (index: Int, seconds: Double) = (-1, 0)
    public var byKind: [String: Int] = [:]

    public init() {}

    public mutating func add(index: Int, seed: FuzzSeed, operations: [String], result: FuzzResult) {
        cases += 1
        byKind[seed.kind.rawValue, default: 0] += 1
        switch result.exitCode {
        case 0: succeeded += 1
        case 1: noSolution += 1
        default: badInput += 1
        }
        if !result.problems.isEmpty { failures.append((index, seed.name, operations, result.problems)) }
        if result.seconds > slowest.seconds { slowest = (index, result.seconds) }
    }

    public var description: String {
        "\(cases) cases: \(succeeded) succeeded, \(noSolution) no solution (exit 1), \(badInput) bad input (exit 2), "
            + "\(failures.count) broke an invariant; slowest case \(slowest.index) took \(String(format: "%.3f", slowest.seconds)) s"
    }
}
