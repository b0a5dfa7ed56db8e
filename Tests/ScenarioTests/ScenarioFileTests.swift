import Foundation
import Planner
import Scenario
import TestSupport
import Testing

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
        ("scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\nobjectives: [latency]\n", 4, 14, "needs an 'inference' section"),
        ("scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\ninference: { hardware: l4, demand: { tokens: 2T } }\nobjectives: [cost]\n", 4, 36,
         "needs prompt_tokens and output_tokens"),
    ])
    func badScenariosAreLocated(text: String, line: Int, column: Int, fragment: String) {
        do {
            _ = try decode(text)
            Issue.record("expected an error containing \(fragment)")
        } catch let error as InputError {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func everyExampleValidates() throws {
        // pilot-*.yaml are pilot files (their own document type, read by `scaleplan pilot`; see PilotSpecTests).
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("scenarios")).filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("pilot-") }
        for f in files { _ = try ScenarioSpec.load(path: Fixtures.path("scenarios/\(f)"), catalog: Self.catalog) }
    }
}
