import Downscale
import FileIO
import Foundation
import GLPK
import Hardware
import PlanModel
import PlanSolver
import Scenario
import Testing
import TestSupport

/// Model sizes restricted to a published family or a list, and the training device count as a
/// decision.
@Suite("Model choices and training devices")
struct ModelChoiceTests {
    static let catalog = try! HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))

    static func spec(_ file: String) throws -> ScenarioSpec {
        try ScenarioSpec.load(path: Fixtures.path("scenarios/\(file)"), catalog: catalog)
    }

    static func decode(_ text: String) throws -> ScenarioSpec {
        try ScenarioSpec.decode(try YAMLValue.parse(text, file: "s.yaml"), catalog: catalog)
    }

    /// Parameter counts from the family shapes against the published totals (model cards):
    /// within 1%.
    @Test(arguments: [
        ("llama-3.2-1b", 1.24e9), ("llama-3.2-3b", 3.21e9), ("llama-3.1-8b", 8.03e9), ("llama-3.1-70b", 70.6e9),
        ("llama-3.1-405b", 405.9e9), ("qwen2.5-0.5b", 0.49e9), ("qwen2.5-1.5b", 1.54e9), ("qwen2.5-3b", 3.09e9),
        ("qwen2.5-7b", 7.61e9), ("qwen2.5-14b", 14.7e9), ("qwen2.5-32b", 32.5e9), ("qwen2.5-72b", 72.7e9),
    ])
    func familyShapesMatchPublishedSizes(name: String, published: Double) throws {
        let member = try #require(ModelFamily.all.flatMap(\.members).first { $0.name == name })
        try member.shape.validate()
        #expect(relativeDifference(member.parameters, published) < 0.01, "\(name): \(member.parameters)")
    }

    /// The chosen model is a family member, and no member at any tokens-per-parameter on a dense
    /// grid does better while meeting every constraint (brute force through the independent
    /// evaluator, fleets sized per member).
    @Test func familyPlanBeatsEveryMemberOnADenseGrid() throws {
        let spec = try Self.spec("llama-family-chat.yaml")
        let problem = spec.problem
        let planner = Planner(problem: problem)
        guard case .optimal(let best) = try planner.minimize(.cost) else { Issue.record("infeasible"); return }
        let members = ModelFamily.llama3.members
        let chosen = try #require(members.first { $0.parameters == best.params })
        #expect(best.model == chosen.name)
        #expect(PlanEvaluator.violations(problem, best).isEmpty)
        var beaten = 0
        for member in members {
            guard let fleet = try? planner.fleet(params: member.parameters) else { continue }
            for k in 0...400 {
                let ratio = 5 * Foundation.pow(1000, Double(k) / 400)
                let m = PlanEvaluator.evaluate(problem, params: member.parameters, tokens: ratio * member.parameters, fleet: fleet)
                if PlanEvaluator.violations(problem, m).isEmpty, m.totalCost < best.totalCost * (1 - 1e-9) { beaten += 1 }
            }
        }
        #expect(beaten == 0)
        // The loss bound is active: the cheapest plan trains just enough tokens.
        #expect(relativeDifference(best.loss, 2.05) < 1e-9)
    }

    /// Fewest whole nodes within the day limit: a multiple of 8, at most 4096, and one node fewer
    /// would take longer than 60 days.
    @Test func trainingDevicesAreTheFewestNodesWithinTheDayLimit() throws {
        let spec = try Self.spec("llama-family-chat.yaml")
        guard case .optimal(let best) = try Planner(problem: spec.problem).minimize(.cost) else { Issue.record("infeasible"); return }
        #expect(best.trainDevices % 8 == 0 && best.trainDevices <= 4096)
        #expect(best.trainDays <= 60)
        let deviceDays = best.trainDays * Double(best.trainDevices)
        #expect(deviceDays / Double(best.trainDevices - 8) > 60)
    }

    static let base = "scenario: x\nlaw: { preset: hoffmann2022 }\nobjectives: [loss]\nconstraints: { compute_max: 1e23 }\n"

    /// A listed size range: the compute-optimal size for 1e23 FLOPs under Hoffmann et al.'s law
    /// is about 12.6B parameters, so among 1B, 7B and 30B the planner takes 7B or 30B, whichever
    /// reaches the lower loss at the same compute, and spends the whole budget.
    @Test func listedSizesTakeTheBestAtTheBudget() throws {
        let spec = try Self.decode(Self.base + "training: { hardware: h100-sxm }\nsearch: { sizes: [1B, 7B, 30B] }\n")
        let planner = Planner(problem: spec.problem)
        guard case .optimal(let best) = try planner.minimize(.loss) else { Issue.record("infeasible"); return }
        #expect(best.model == "7B" || best.model == "30B")
        #expect(relativeDifference(best.trainFLOPs, 1e23) < 1e-9)
        let law = spec.problem.law
        let losses = [1e9, 7e9, 30e9].map { law.unsafeLoss(params: $0, tokens: 1e23 / (6 * $0), uniqueTokens: nil) }
        #expect(relativeDifference(best.loss, losses.min()!) < 1e-9)
    }

    @Test func fixedDevicesStayFixed() throws {
        let spec = try Self.decode(Self.base + "training: { hardware: h100-sxm, devices: 1000, max_days: 400 }\n")
        guard case .optimal(let best) = try Planner(problem: spec.problem).minimize(.loss) else { Issue.record("infeasible"); return }
        #expect(best.trainDevices == 1000)
    }

    @Test(arguments: [
        ("training: { hardware: h100-sxm, devices: 8, max_devices: 64 }\n", 5, 58, "not both"),
        ("training: { hardware: h100-sxm, device_step: 8 }\n", 5, 46, "needs 'max_devices'"),
        ("training: { hardware: h100-sxm, max_devices: 64, device_step: 128 }\n", 5, 63, "from 1 to 64"),
        ("training: { hardware: h100-sxm }\nsearch: { family: llama-4 }\n", 6, 19, "'search.family' is 'llama-4'"),
        ("training: { hardware: h100-sxm }\nsearch: { family: llama-3, sizes: [1B] }\n", 6, 35, "not both"),
        ("training: { hardware: h100-sxm }\nsearch: { sizes: [1B, 1B] }\n", 6, 23, "listed twice"),
        ("training: { hardware: h100-sxm }\nsearch: { params: [10B, 20B], sizes: [1B, 30B] }\n", 6, 38, "no listed model size"),
        ("training: { hardware: h100-sxm }\nsearch: { sizes: [-1B] }\n", 6, 19, "greater than 0"),
    ])
    func badChoicesAreLocated(tail: String, line: Int, column: Int, fragment: String) {
        expectInputError(line: line, column: column, containing: fragment) { _ = try Self.decode(Self.base + tail) }
    }
}
