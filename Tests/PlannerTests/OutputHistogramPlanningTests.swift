import Foundation
import Fuzzing
import Hardware
import PlanModel
import PlanSolver
import Scenario
import Testing
import TestSupport

/// A demand whose output lengths are a histogram (`output_tokens: {histogram: ...}`): the
/// forecast's mean is the histogram's, and replicas are sized on the distribution.
@Suite("Output-length histograms in plans")
struct OutputHistogramPlanningTests {
    static let catalog = try! HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))

    static func spec() throws -> ScenarioSpec {
        try ScenarioSpec.load(path: Fixtures.path("Tests/Fixtures/scenarios/output-histogram.yaml"), catalog: Self.catalog)
    }

    @Test func theScenarioCarriesTheDistribution() throws {
        let inference = try #require(try Self.spec().problem.inference)
        #expect(inference.outputLengths == (try OutputLengths(tokens: [50, 675], weights: [0.6, 0.4])))
        guard case .forecast(let f) = inference.demand else { Issue.record("not a forecast"); return }
        #expect(abs(f.outputTokens - 300) < 1e-9, "the forecast's mean is the histogram's")
        #expect(inference.requestShape.output == 300)
    }

    /// At every size the spread costs at least as many device-seconds per request as one length
    /// at the same mean: running sequences hold more context (fewer KV slots, more KV read a
    /// step) at the same requests per step.
    @Test func spreadNeverMakesAReplicaCheaper() throws {
        let inference = try #require(try Self.spec().problem.inference)
        let option = try #require(inference.options.first)
        for params in [1e9, 5e9, 2e10, 7e10] {
            func replica(_ lengths: OutputLengths?) throws -> ReplicaSpec {
                try #require(ServingModel.replica(option: option, params: params, prompt: 800, output: 300, slo: inference.slo,
                                                  fixedUtilisation: nil, pue: 1, outputLengths: lengths))
            }
            let plain = try replica(nil), spread = try replica(inference.outputLengths)
            #expect(spread.deviceSecondsPerRequest >= plain.deviceSecondsPerRequest * (1 - 1e-9), "N \(params)")
            if spread.devices == plain.devices { #expect(spread.slots <= plain.slots, "N \(params)") }
        }
    }

    /// The plan passes the independent check (which re-evaluates each replica with the same
    /// distribution), and costs no less than the plan for one length at the mean, since every
    /// replica does.
    @Test func thePlanIsCheckedAndNoCheaperThanOneLength() throws {
        let spec = try Self.spec()
        let outcome = try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 2)
        try #require(outcome.status == .optimal)
        #expect(PlanCheck.problems(outcome, spec.problem) == [])
        var single = spec.problem
        single.inference!.outputLengths = nil
        let plain = try PlanOutcome.solve(single, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 2)
        let a = try #require(outcome.recommended), b = try #require(plain.recommended)
        #expect(a.totalCost >= b.totalCost * (1 - 1e-6), "\(a.totalCost) vs \(b.totalCost)")
        // The check re-evaluates with the distribution: against one length the same plan's
        // replica figures no longer match.
        #expect(!PlanCheck.problems(outcome, single).isEmpty)
    }
}
