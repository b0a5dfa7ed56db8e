import Foundation
import Fuzzing
import TestSupport
import Testing

/// Inputs the fuzzer once broke an invariant with (Tests/Fixtures/fuzz-findings, named
/// KIND-what.EXT), kept as regression cases: each must now pass every check and succeed.
/// Findings that are bad input live in the bad-input corpus instead.
@Suite("Fuzz findings")
struct FindingTests {
    static let folder = "Tests/Fixtures/fuzz-findings"

    /// The findings; a folder that cannot be listed stops the suite (it must not pass with no cases).
    static var files: [String] {
        let all: [String]
        do { all = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path(folder)) } catch {
            fatalError("cannot list \(folder): \(error)")
        }
        return all.filter { !$0.hasSuffix(".md") }.sorted()
    }

    @Test func theFindingsAreThere() {
        #expect(!Self.files.isEmpty, "no findings in \(Self.folder): the regression cases would pass vacuously")
    }

    @Test(arguments: files)
    func findingStaysFixed(_ name: String) throws {
        let kind = try #require(FuzzKind(rawValue: String(name.prefix { $0 != "-" })), "\(name) must start with a kind")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-finding-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let runner = try FuzzRunner(profiles: Fixtures.path("hardware-profiles"), scratch: scratch)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("\(Self.folder)/\(name)"))))
        let result = runner.run(bytes, kind: kind, seedName: name)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.exitCode == 0, "\(result.errorLine ?? "")")
    }
}
