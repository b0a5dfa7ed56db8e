import Diagnostics
import Downscale
import Foundation
import PlanModel
import Scenario
import Testing
import TestSupport

/// Numbers for people (issue 19): units that read, and noise shown as zero.
@Suite("Display units")
struct DisplayUnitTests {
    @Test func longDurationsReadInLargerUnits() {
        #expect(DisplayUnit.ms.format(8240) == "8.24 s")
        #expect(DisplayUnit.ms.format(999) == "999 ms")
        #expect(DisplayUnit.days.format(2990) == "8.19 years")
        #expect(DisplayUnit.days.format(169) == "169 d")
    }

    /// The relaxation key is the one the user writes in `constraints:`.
    @Test func constraintKeysAreTheScenarios() {
        #expect(Objective.trainTime.constraintKey == "train_days_max")
        #expect(Objective.cost.constraintKey == "cost_max")
    }

    /// A downscale whose best model is the reference itself shows no extra training, not
    /// rounding noise (2.986B FLOP, $5.6e-9 before).
    @Test func theReferenceItselfCostsNothingExtra() throws {
        let catalog = try HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))
        let text = """
        scenario: itself
        law: { preset: hoffmann2022 }
        training: { hardware: h100-sxm, mfu: 0.42 }
        downscale:
          reference: { params: 7B }
          reference_serving: { hardware: h100-sxm, precision: bf16 }
          devices: [h100-sxm]
          precision: [bf16]
          sizes: [7B]
          prompt_tokens: 400
          output_tokens: 200
        """
        let problem = try #require(try ScenarioSpec.decode(try YAMLValue.parse(text, file: "s.yaml"), catalog: catalog).downscale)
        let best = try #require(try Downscaler.solve(problem).best)
        #expect(best.extraTrainFLOPs == 0 && best.extraTrainCost == 0 && best.extraTrainEnergyKWh == 0)
    }
}
