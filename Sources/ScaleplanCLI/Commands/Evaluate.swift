import ArgumentParser
import Downscale
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import PlanModel
import PlanSolver
import Report
import Scenario

/// `scaleplan evaluate`: the full plan for a scenario.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Solve a scenario: the recommended plan, the Pareto frontier and the lifetime budget.",
        usage: "scaleplan evaluate <scenario> [--points <n>] [--format <format>] [-o <file>] [--html <file>] [--svg <file>]",
        discussion: """
            Exit code 1 when no plan meets the constraints; the output then lists, for each \
            bound, the value it would need with the others kept. --html writes a \
            self-contained report (plan, frontier and budget plots, assumptions with their \
            sources, warnings); --svg writes the frontier plot.

            Examples:
              scaleplan evaluate scenarios/chat-assistant.yaml
              scaleplan evaluate scenarios/chat-assistant.yaml --format json -o plan.json
              scaleplan evaluate scenarios/chat-assistant.yaml --html report.html --svg frontier.svg
            """)

    @OptionGroup var input: ScenarioInput

    @OptionGroup var frontierPoints: FrontierPointsOption

    @OptionGroup var output: OutputOptions

    @OptionGroup var reports: ReportFileOptions


    func validate() throws { try reports.validate(against: output) }

    func run() throws {
        let spec = try input.load()
        let outcome = try withProgress(output, "frontier") { handler in
            try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y,
                                  points: frontierPoints.count(for: spec), progress: handler)
        }
        if output.resolvedFormat == .csv {
            try output.emit(PlanCSV.evaluate(outcome, problem: spec.problem), warnings: outcome.warnings, inputs: [input.scenario])
        } else {
            let value = output.resolvedFormat == .table
                ? PlanTable.evaluate(outcome, scenario: spec.problem.name, problem: spec.problem, lawSource: spec.lawSource)
                : PlanReport.outcome(outcome, scenario: spec.problem.name, problem: spec.problem, lawSource: spec.lawSource)
            try output.emit(value, warnings: outcome.warnings, inputs: [input.scenario])
        }
        let bands = outcome.frontier.flatMap { LossBands.of($0.points) }
        let report = PlanHTMLReport(spec: spec.reportInputs, outcome: outcome, lossBands: bands, bandLabel: bandLabel(spec),
                                    command: (["scaleplan"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
        try reports.write(inputs: [input.scenario], svg: { report.frontierPlot?.svg() }, html: report.html)
        if outcome.status == .infeasible {
            throw CLIFailure.noSolution("\(input.scenario): no plan meets every constraint; the output lists the bound each constraint would need")
        }
    }
}

/// The legend text for loss bands from a scenario's bootstrap laws.
func bandLabel(_ spec: ScenarioSpec) -> String {
    "loss 5%-95% (\(spec.lawSamples.count) bootstrap laws)"
}
