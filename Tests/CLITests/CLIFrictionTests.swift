import Foundation
import Testing
import TestSupport

/// The CLI behaves the same everywhere (issue 19): numbers, suggestions, formats, -o.
@Suite("CLI friction")
struct CLIFrictionTests {
    /// Each refused number says what the flag accepts and why this value is out.
    @Test(arguments: [
        (["law", "optimum", "--preset", "hoffmann2022", "--compute", "-1e24"], "--compute must be greater than 0; '-1e24' is negative"),
        (["law", "predict", "--preset", "hoffmann2022", "--params", "1B", "--tokens", "0"], "--tokens must be greater than 0; '0' is zero"),
        (["law", "optimum", "--preset", "hoffmann2022", "--compute", "2TB"], "--compute takes a number, with an optional SI suffix"),
    ])
    func numbersSayWhatTheyAccept(_ arguments: [String], _ fragment: String) throws {
        let r = try runScaleplan(arguments)
        #expect(r.status == 2 && r.stderr.contains(fragment) && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    /// A mistyped command gets the command it was meant to be; hardware names suggest their
    /// family in scenarios as on the command line.
    @Test func suggestionsAreTheSameEverywhere() throws {
        let typo = try runScaleplan(["evalute", "scenarios/chat-assistant.yaml"])
        #expect(typo.status == 2 && typo.stderr.contains("'evalute' is not a scaleplan command (did you mean 'evaluate'?)"), "\(typo.stderr)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-friction-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, hint) in [("h100", "did you mean 'h100-pcie' or 'h100-sxm'?"), ("a100", "did you mean 'a100-40gb' or 'a100-80gb'?")] {
            let text = "scenario: s\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: \(name) }\nobjectives: [compute]\nconstraints: { loss_max: 2.2 }\n"
            try text.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
            let scenario = try runScaleplan(["validate", dir + "/s.yaml"])
            let flag = try runScaleplan(["hardware", "show", name])
            #expect(scenario.stderr.contains(hint) && flag.stderr.contains(hint), "\(scenario.stderr) / \(flag.stderr)")
        }
    }

    /// Shell completions offer the built-in hardware profiles and the law presets.
    @Test func completionsOfferNames() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try runScaleplan(["--generate-completion-script", shell])
            #expect(r.status == 0 && r.stdout.contains("h100-sxm") && r.stdout.contains("a100-80gb") && r.stdout.contains("hoffmann2022"), "\(shell)")
        }
    }

    /// validate and schema take --format; an -o extension no format has is refused; calibrate
    /// with -o writes the profile and leaves standard output empty.
    @Test func formatsAndOutputs() throws {
        let v = try runScaleplan(["validate", "scenarios/chat-assistant.yaml", "--format", "json"])
        #expect(jsonObject(v.stdout)?["valid"] as? Bool == true)
        let s = try runScaleplan(["schema", "--format", "yaml"])
        #expect(s.status == 0 && s.stdout.hasPrefix("\"$schema\":"))
        #expect(try runScaleplan(["schema", "--format", "csv"]).status == 2)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-friction-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let xlsx = try runScaleplan(["law", "presets", "-o", dir + "/p.xlsx"])
        #expect(xlsx.status == 2 && xlsx.stderr.contains("writes no '.xlsx' format") && !FileManager.default.fileExists(atPath: dir + "/p.xlsx"))
        let c = try runScaleplan(["calibrate", "--hardware", "h100-sxm", "hardware-profiles/measurements/h100-sxm-example.csv", "-o", dir + "/cal.yaml"])
        #expect(c.status == 0 && c.stdout.isEmpty && c.stderr.hasPrefix("wrote ") && FileManager.default.fileExists(atPath: dir + "/cal.yaml"), "\(c.stdout)")
    }
}
