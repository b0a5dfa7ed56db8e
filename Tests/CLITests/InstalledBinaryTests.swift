import Foundation
import Testing
import TestSupport

/// The binary as a user gets it: installed by scripts/install.sh under a prefix and run
/// through PATH from a directory that holds nothing of the repository. The hardware profiles
/// are compiled in, so nothing beside the binary is needed.
@Suite("Installed binary")
struct InstalledBinaryTests {
    @Test func worksThroughPathFromAnEmptyDirectory() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-installed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let prefix = root.appendingPathComponent("prefix"), empty = root.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)

        let install = try runProgram("/bin/bash", ["scripts/install.sh", "--prefix", prefix.path, "--bin", Fixtures.executable, "--no-manual"])
        try #require(install.status == 0, "install.sh failed: \(install.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: prefix.appendingPathComponent("bin/scaleplan").path))

        // PATH finds the installed binary; no SCALEPLAN_PROFILES, no ./hardware-profiles.
        let environment = ["PATH": prefix.appendingPathComponent("bin").path + ":/usr/bin:/bin", "HOME": root.path]
        func scaleplan(_ arguments: String) throws -> CommandResult {
            try runProgram("/bin/sh", ["-c", "scaleplan \(arguments)"], directory: empty, environment: environment)
        }

        let list = try scaleplan("hardware list --format json")
        try #require(list.status == 0, "hardware list failed: \(list.stderr)")
        let names = try #require((jsonObject(list.stdout)?["hardware"] as? [[String: Any]])?.compactMap { $0["name"] as? String })
        let shipped = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("hardware-profiles"))
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        #expect(names == shipped)

        try FileManager.default.copyItem(atPath: Fixtures.path("scenarios/chat-assistant.yaml"),
                                         toPath: empty.appendingPathComponent("chat.yaml").path)
        let plan = try scaleplan("evaluate chat.yaml --format json")
        try #require(plan.status == 0, "evaluate failed: \(plan.stderr)")
        #expect(jsonObject(plan.stdout)?["status"] as? String == "optimal")

        // A profile written by `calibrate -o` can be named by path in a scenario (relative to it).
        try FileManager.default.copyItem(atPath: Fixtures.path("hardware-profiles/measurements/h100-sxm-example.csv"),
                                         toPath: empty.appendingPathComponent("measured.csv").path)
        let calibrate = try scaleplan("calibrate --hardware h100-sxm measured.csv -o my-h100.yaml")
        try #require(calibrate.status == 0, "calibrate failed: \(calibrate.stderr)")
        let scenario = try String(contentsOf: empty.appendingPathComponent("chat.yaml"), encoding: .utf8)
        let custom = scenario.replacingOccurrences(of: "hardware: [h100-sxm, l40s]", with: "hardware: [my-h100.yaml, l40s]")
        try #require(custom != scenario, "the scenario's serving hardware line was not found")
        try custom.write(to: empty.appendingPathComponent("custom.yaml"), atomically: true, encoding: .utf8)
        let customPlan = try scaleplan("evaluate custom.yaml --format json")
        #expect(customPlan.status == 0, "\(customPlan.stderr)")

        let missing = custom.replacingOccurrences(of: "my-h100.yaml", with: "gone.yaml")
        try missing.write(to: empty.appendingPathComponent("missing.yaml"), atomically: true, encoding: .utf8)
        let refused = try scaleplan("validate missing.yaml")
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("error: missing.yaml:"), "\(refused.stderr)")
        #expect(refused.stderr.contains("the hardware profile file 'gone.yaml' does not exist"))
    }
}
