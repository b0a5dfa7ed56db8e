import ArgumentParser
import Downscale
import ExperimentDesign
import FileIO
import Numerics
import PlanModel
import PlanSolver
import Report
import Scenario

/// `scaleplan downscale`: the small model that matches a reference within deployment limits.
struct Downscale: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the small model that matches a reference model's loss within a device's memory, latency, energy and price limits.",
        discussion: """
            Reads the scenario's `downscale:` section (see docs/SCENARIOS.md). Prints the chosen \
            model, device and precision, the training tokens it needs (over-training ratio), the \
            extra training compute, cost and energy against the reference, the break-even volume \
            of output tokens after which it is cheaper overall, and the size / loss / compute \
            trade-off. Exit code 1 when no model runs within the limits.

            Example: scaleplan downscale scenarios/on-device-downscale.yaml --format json
            """)

    @OptionGroup var input: ScenarioInput

    @OptionGroup var output: OutputOptions

    func run() throws {
        let spec = try input.load(plan: false)
        guard let problem = spec.downscale else {
            throw CLIFailure.badInput("\(input.scenario) has no 'downscale' section")
        }
        let outcome = try Downscaler.solve(problem)
        let value = DownscaleReport.outcome(outcome, scenario: problem.name)
        if output.resolvedFormat == .csv {
            try output.emit(DownscaleCSV.outcome(outcome, scenario: problem.name), warnings: outcome.warnings, inputs: [input.scenario])
        } else {
            try output.emit(output.resolvedFormat == .table ? DownscaleReport.summary(value) : value, warnings: outcome.warnings,
                            inputs: [input.scenario])
        }
        if outcome.best == nil { throw CLIFailure.noSolution(outcome.reason ?? "no model runs within the limits") }
    }
}
