import ArgumentParser
import Foundation
import Planner
import Report
import Scenario

/// `scaleplan evaluate`: the full plan for a scenario.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Solve a scenario: the recommended plan, the Pareto frontier and the lifetime budget.",
        discussion: """
            Exit code 1 when no plan meets the constraints; the output then lists, for each \
            bound, the value it would need with the others kept.

            Example: scaleplan evaluate scenarios/chat-assistant.yaml --format json
            """)

    @OptionGroup var input: ScenarioInput

    @OptionGroup var frontierPoints: FrontierPointsOption

    @OptionGroup var output: OutputOptions

    func run() throws {
        let spec = try input.load()
        let outcome = try planning { () throws(PlanError) in
            try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: frontierPoints.count(for: spec))
        }
        let value = PlanReport.outcome(outcome, scenario: spec.problem.name, problem: spec.problem, lawSource: spec.lawSource)
        try output.emit(output.resolvedFormat == .table ? PlanReport.summary(value) : value, inputs: [input.scenario])
        if outcome.status == .infeasible {
            throw CLIFailure.noSolution("\(input.scenario): no plan meets every constraint; the output lists the bound each constraint would need")
        }
    }
}
