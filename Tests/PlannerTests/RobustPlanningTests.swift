import Downscale
import FileIO
import Foundation
import GLPK
import PlanModel
import PlanSolver
import ScalingLaws
import Scenario
import Testing
import TestSupport

/// Chance-constrained plans over bootstrap laws: `law: {file:, confidence:}`.
@Suite("Robust planning")
struct RobustPlanningTests {
    static let catalog = try! HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))

    static func spec() throws -> ScenarioSpec {
        try ScenarioSpec.load(path: Fixtures.path("scenarios/robust-research-run.yaml"), catalog: catalog)
    }

    /// The robust plan costs more than the nominal one, and at least 90% of the 200 bootstrap
    /// laws (counted directly, not through the planner's quantile) predict a loss within the
    /// bound at its N and D; the nominal plan meets the bound under the point estimate only.
    @Test func robustPlanCostsMoreAndMeetsTheLossInTheRequestedFraction() throws {
        let spec = try Self.spec()
        let outcome = try PlanOutcome.solve(spec.problem, frontierX: .loss, frontierY: .cost, points: 4)
        let robust = try #require(outcome.recommended)
        let nominal = try #require(outcome.nominal)
        #expect(robust.totalCost > nominal.totalCost * 1.05)
        let samples = spec.lawSamples
        #expect(samples.count == 200)
        let meeting = samples.filter { $0.unsafeLoss(params: robust.params, tokens: robust.tokens, uniqueTokens: nil) <= 2.0 }.count
        #expect(meeting >= 180, "\(meeting) of 200")
        let meetingNominal = samples.filter { $0.unsafeLoss(params: nominal.params, tokens: nominal.tokens, uniqueTokens: nil) <= 2.0 }.count
        #expect(meetingNominal < 180)
        #expect(relativeDifference(nominal.loss, 2.0) < 1e-6)
        // Tight: the 180th smallest sample loss sits on the bound.
        let sorted = samples.map { $0.unsafeLoss(params: robust.params, tokens: robust.tokens, uniqueTokens: nil) }.sorted()
        #expect(relativeDifference(sorted[179], 2.0) < 1e-6)
        // Bands bracket the nominal loss.
        #expect(try #require(robust.lossLow) <= robust.loss && robust.loss <= (try #require(robust.lossHigh)))
    }

    /// The price of confidence grows with the confidence.
    @Test func higherConfidenceCostsMore() throws {
        var problem = try Self.spec().problem
        var last = 0.0
        for c in [0.5, 0.75, 0.9, 0.975] {
            problem.lossUncertainty = LossUncertainty(samples: problem.lossUncertainty!.samples, confidence: c)
            guard case .optimal(let m) = try Planner(problem: problem).minimize(.cost) else { Issue.record("infeasible at \(c)"); return }
            #expect(m.totalCost >= last, "confidence \(c)")
            last = m.totalCost
        }
    }

    @Test func nearestRankQuantile() {
        let v = (1...10).map(Double.init)
        #expect(LossUncertainty.quantile(v, 0.9) == 9)
        #expect(LossUncertainty.quantile(v, 0.91) == 10)
        #expect(LossUncertainty.quantile(v, 0.05) == 1)
        #expect(LossUncertainty.quantile(v, 0.5) == 5)
    }

    @Test(arguments: [
        ("law: { preset: hoffmann2022, confidence: 0.9 }\n", 2, 42, "needs a law file with bootstrap samples"),
        ("law: { file: laws/epoch-chinchilla-bootstrap.yaml, confidence: 1.5 }\n", 2, 64, "between 0.5 and 0.999"),
    ])
    func badConfidenceIsLocated(law: String, line: Int, column: Int, fragment: String) {
        let text = "scenario: x\n" + law + "training: { hardware: h100-sxm }\nobjectives: [cost]\nconstraints: { loss_max: 2.0 }\n"
        expectInputError(line: line, column: column, containing: fragment) {
            _ = try ScenarioSpec.decode(try YAMLValue.parse(text, file: Fixtures.path("scenarios/x.yaml")), catalog: Self.catalog)
        }
    }
}
