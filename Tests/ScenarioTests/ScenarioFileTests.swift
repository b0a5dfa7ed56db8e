import FileIO
import Foundation
import PlanModel
import Scenario
import Testing
import TestSupport

@Suite("Scenario files")
struct ScenarioFileTests {
    static let catalog = try! HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))

    func decode(_ text: String) throws -> ScenarioSpec {
        try ScenarioSpec.decode(try YAMLValue.parse(text, file: "s.yaml"), catalog: Self.catalog)
    }

    static let minimal = "scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\nobjectives: [loss, cost]\n"

    @Test func minimalScenarioDecodes() throws {
        let s = try decode(Self.minimal)
        #expect(s.problem.objectives == [.loss, .cost])
        #expect(s.problem.inference == nil)
        #expect(s.frontier.x == .cost && s.frontier.y == .loss)
    }

    @Test(arguments: [
        ("scenario: x\nlaw: { preset: hofmann2022 }\ntraining: { hardware: h100-sxm }\nobjectives: [loss]\n", 2, 16,
         "'law.preset' is 'hofmann2022' (did you mean 'hoffmann2022'?)"),
        ("scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100 }\nobjectives: [loss]\n", 3, 23, "unknown hardware 'h100'"),
        ("scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm, mfu: 1.5 }\nobjectives: [loss]\n", 3, 38,
         "'training.mfu' must be between 0.001 and 1, found 1.5"),
        ("scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\nobjectives: [speed]\n", 4, 14, "'objectives[0]' is 'speed'"),
        ("scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\nobjectives: [loss]\nconstraints: { loss_max: -2 }\n", 5, 26,
         "'constraints.loss_max' must be greater than 0"),
        ("scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\nobjectives: [loss]\nsearch: { params: [1T, 1B] }\n", 5, 19,
         "a range needs low < high"),
        ("scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\nobjectives: [loss]\nbudget: 5\n", 5, 1, "unknown key 'budget'"),
        ("scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\nobjectives: []\n", 4, 13, "must not be an empty list"),
        ("scenario: " + String(repeating: "n", count: 5000) + "\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\nobjectives: [compute]\n", 1, 11,
         "'scenario' is 5000 characters long; text values are limited to 4096 characters"),
        ("scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\nobjectives: [latency]\n", 4, 14, "needs an 'inference' section"),
        ("scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\ninference: { hardware: l4, demand: { tokens: 2T } }\nobjectives: [cost]\n", 5, 14,
         "the cost objective needs a serving model"),
        ("scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\ninference: { hardware: l4, demand: { tokens: 2T, prompt_tokens: 100 } }\nobjectives: [cost]\n", 4, 36,
         "needs both prompt_tokens and output_tokens"),
        ("scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\ninference: { hardware: l4, demand: { tokens: 2T }, mfu: { prefill: 0.5, decode: 0.2 } }\nobjectives: [cost]\n", 4, 36,
         "the cost depends on how the 2T tokens split"),
    ])
    func badScenariosAreLocated(text: String, line: Int, column: Int, fragment: String) {
        expectInputError(line: line, column: column, containing: fragment) { _ = try decode(text) }
    }

    static let serving = "scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\nobjectives: [cost]\n"
        + "inference:\n  hardware: [h100-sxm, l40s]\n  demand: { tokens: 2T, prompt_tokens: 800, output_tokens: 200 }\n"

    @Test func efficiencyOverrideAppliesToEveryAccelerator() throws {
        let s = try decode(Self.serving + "  efficiency: { decode_bandwidth: { value: 0.8, source: 'our vLLM benchmark, 2026-10' } }\n")
        let options = try #require(s.problem.inference?.options)
        #expect(options.count == 2)
        for o in options {
            #expect(o.hardware.efficiency.decodeBandwidth.value == 0.8)
            #expect(o.hardware.efficiency.decodeBandwidth.source == "our vLLM benchmark, 2026-10")
            #expect(o.hardware.efficiency.prefillCompute == Self.catalog.profiles.first { $0.name == o.hardware.name }!.efficiency.prefillCompute)
        }
    }

    @Test func efficiencyOverridePerAccelerator() throws {
        let s = try decode(Self.serving + "  efficiency:\n    l40s: { decode_compute: { value: 0.3, source: 'estimate: older kernels' } }\n")
        let options = try #require(s.problem.inference?.options)
        let l40s = try #require(options.first { $0.hardware.name == "l40s" })
        let h100 = try #require(options.first { $0.hardware.name == "h100-sxm" })
        #expect(l40s.hardware.efficiency.decodeCompute.value == 0.3)
        #expect(h100.hardware.efficiency == Self.catalog.profiles.first { $0.name == "h100-sxm" }!.efficiency)
    }

    @Test(arguments: [
        ("  efficiency: { decode_bandwidth: { value: 1.5, source: 'x y z' } }\n", 8, 44, "must be between 0.001 and 1"),
        ("  efficiency: { decode_speed: { value: 0.5, source: 'x y z' } }\n", 8, 17, "unknown key 'decode_speed'"),
        ("  efficiency: { decode_bandwidth: { value: 0.5 } }\n", 8, 35, "'source'"),
        ("  efficiency: { l40s: { decode_compute: { value: 0.3, source: 'x y z' } }, decode_bandwidth: { value: 0.5, source: 'x y z' } }\n",
         8, 15, "not both"),
    ])
    func badEfficiencyOverridesAreLocated(line: String, row: Int, column: Int, fragment: String) {
        expectInputError(line: row, column: column, containing: fragment) { _ = try decode(Self.serving + line) }
    }

    @Test func everyExampleValidates() throws {
        // pilot-*.yaml are pilot files (their own document type, read by `scaleplan pilot`; see PilotSpecTests).
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("scenarios")).filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("pilot-") }
        for f in files { _ = try ScenarioSpec.load(path: Fixtures.path("scenarios/\(f)"), catalog: Self.catalog) }
    }
}
