import Foundation
import TestSupport
import Testing

/// Bad inputs too large to keep in the repository, made in a temporary directory, and the
/// byte-order-mark decision checked from the accepting side.
@Suite("Generated bad inputs")
struct GeneratedInputTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-generated-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private func file(_ name: String, _ data: Data) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A file over the 10 MiB input limit is refused before it is parsed (a sparse file, so
    /// the test writes almost nothing to disk).
    @Test func filesOverTheSizeLimitAreRefused() throws {
        let path = directory.appendingPathComponent("huge.yaml").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("scenario: x\n".utf8)))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 10 << 20 + 1)
        try handle.close()
        defer { try? FileManager.default.removeItem(at: directory) }
        for arguments in [["validate", path], ["fit", path], ["law", "predict", "--law", path, "--params", "1B", "--tokens", "1T"]] {
            let r = try runScaleplan(arguments)
            expectOneLineFailure(r, exitCode: 2, location: path, message: "the file is larger than 10 MiB, the most scaleplan reads")
        }
    }

    /// A device that never ends is read only up to the limit.
    @Test func endlessDevicesStopAtTheLimit() throws {
        let r = try runScaleplan(["validate", "/dev/zero"])
        expectOneLineFailure(r, exitCode: 2, location: "/dev/zero", message: "the file is larger than 10 MiB")
    }

    /// A UTF-8 byte-order mark is accepted, as YAML allows (and spreadsheets write one into CSV).
    @Test func aUTF8ByteOrderMarkIsAccepted() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenario = try String(contentsOfFile: Fixtures.path("scenarios/research-run.yaml"), encoding: .utf8)
        let path = try file("bom.yaml", Data([0xEF, 0xBB, 0xBF]) + Data(scenario.utf8))
        let r = try runScaleplan(["validate", path])
        #expect(r.status == 0, "\(r.stderr)")
        let runs = try String(contentsOfFile: Fixtures.path("Tests/Fixtures/reference/sardana2024-runs.csv"), encoding: .utf8)
        let csv = try file("bom.csv", Data([0xEF, 0xBB, 0xBF]) + Data(runs.utf8))
        let fit = try runScaleplan(["fit", csv, "--params-column", "Parameters", "--tokens-column", "Tokens",
                                    "--loss-column", "Smoothed Loss", "--holdout-fraction", "0", "--format", "json"])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(jsonObject(fit.stdout)?["rows_used"] as? Int == 47)
    }

    /// An output path that is one of the run's inputs is refused, however the input was
    /// reached: here a hardware profile given to `calibrate` and a law file a scenario names.
    @Test func anInputIsNeverOverwritten() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let profile = try file("gpu.yaml", try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("hardware-profiles/h100-sxm.yaml"))))
        let before = try Data(contentsOf: URL(fileURLWithPath: profile))
        let r = try runScaleplan(["calibrate", "--hardware", profile, "hardware-profiles/measurements/h100-sxm-example.csv", "-o", profile])
        expectOneLineFailure(r, exitCode: 2, location: profile, message: "it is an input of this run")
        #expect(try Data(contentsOf: URL(fileURLWithPath: profile)) == before)

        let law = try file("law.yaml", Data("form: chinchilla\nE: 1.69\nA: 406.4\nB: 410.7\nalpha: 0.34\nbeta: 0.28\n".utf8))
        let scenario = try file("s.yaml", Data("scenario: s\nlaw: {file: law.yaml}\ntraining: {hardware: h100-sxm}\nobjectives: [loss, compute]\nconstraints: {compute_max: 1e22}\n".utf8))
        let e = try runScaleplan(["evaluate", scenario, "-o", law])
        expectOneLineFailure(e, exitCode: 2, location: law, message: "it is an input of this run")
        #expect(try String(contentsOfFile: law, encoding: .utf8).hasPrefix("form: chinchilla"))
    }
}

/// The limits on fitting work, refused before the fit starts.
@Suite("Fit limits")
struct FitLimitTests {
    func table(rows: Int) throws -> (String, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var text = "params,tokens,loss\n"
        for i in 0..<rows {
            let n = 1e8 * Double(1 + i % 97), d = 2e9 * Double(1 + i % 89)
            text += "\(n),\(d),\(1.69 + 406.4 / pow(n, 0.34) + 410.7 / pow(d, 0.28))\n"
        }
        let path = dir.appendingPathComponent("runs.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, dir)
    }

    @Test func moreThanTwentyThousandRunsAreRefused() throws {
        let (path, dir) = try table(rows: 20_001)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runScaleplan(["fit", path])
        expectOneLineFailure(r, exitCode: 2, location: "\(path):20002:1", message: "the file has more than 20000 runs")
    }

    @Test func bootstrapWorkIsCapped() throws {
        let (path, dir) = try table(rows: 1000)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runScaleplan(["fit", path, "--bootstrap", "30000"])
        expectOneLineFailure(r, exitCode: 2, location: path, message: "expected at most 25000 with 1000 runs")
    }
}
