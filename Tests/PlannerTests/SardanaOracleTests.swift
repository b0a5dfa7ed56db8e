import Downscale
import FileIO
import Foundation
import GLPK
import Hardware
import PlanModel
import PlanSolver
import ScalingLaws
import Scenario
import Testing
import TestSupport

/// Sardana et al. 2024, "Beyond Chinchilla-Optimal" (ORACLES.md): minimise 6 N D + 2 N D_inf
/// subject to L(N, D) = l with their rounded Chinchilla law.
@Suite("Sardana oracles")
struct SardanaOracleTests {
    static func problem(loss: Double, inferenceTokens: Double) throws -> PlanningProblem {
        let catalog = try HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))
        let h100 = try catalog.profile(named: "h100-sxm")
        return PlanningProblem(
            name: "sardana", law: LawPreset.sardana2024.law, training: TrainingSetup(hardware: h100),
            inference: InferenceSetup(options: [ServingOption(hardware: h100, precision: .bf16)],
                                      demand: .totalTokens(inferenceTokens, promptTokens: 1, outputTokens: 1),
                                      fixedUtilisation: (0.5, 0.5)),
            objectives: [.compute], constraints: PlanConstraints(lossMax: loss))
    }

    @Test func inferenceAwareOptimumAtLoss1947() throws {
        let planner = Planner(problem: try Self.problem(loss: 1.947, inferenceTokens: 2e12))
        guard case .optimal(let m) = try planner.minimize(.compute) else { Issue.record("infeasible"); return }
        #expect(relativeDifference(m.params, 2.418e10) < 0.01, "N = \(m.params)")
        #expect(relativeDifference(m.tokens, 2.657e12) < 0.01, "D = \(m.tokens)")
        #expect(relativeDifference(m.totalFLOPs, 4.823e23) < 0.01)
        #expect(abs(m.loss - 1.947) < 1e-9)
    }
}
