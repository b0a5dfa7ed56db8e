import ArgumentParser
import Downscale
import ExperimentDesign
import FileIO
import Numerics
import PlanModel
import PlanSolver
import Report
import Scenario
import ValueTree

/// `scaleplan frontier`: a Pareto frontier between two objectives.
struct FrontierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frontier",
        abstract: "The Pareto frontier of a scenario between two objectives (epsilon-constraint method).",
        usage: "scaleplan frontier <scenario> [--x <objective>] [--y <objective>] [--points <n>] [--format <format>] [-o <file>] [--svg <file>] [--html <file>]",
        discussion: """
            y is minimised with x bounded, at --points bounds; dominated points are dropped and \
            the knee is marked. The table shows the main columns; --format json or csv gives \
            every metric of every point.

            Examples:
              scaleplan frontier scenarios/chat-assistant.yaml
              scaleplan frontier scenarios/research-run.yaml --x compute --y loss --points 40 --format csv
              scaleplan frontier scenarios/chat-assistant.yaml --x loss --y energy --svg frontier.svg
            """)

    @OptionGroup var input: ScenarioInput

    @Option(help: "Objective on the x axis (bounded): loss, cost, compute, energy, latency or train_time.")
    var x: Objective?

    @Option(help: "Objective on the y axis (minimised).")
    var y: Objective?

    @OptionGroup var frontierPoints: FrontierPointsOption

    @OptionGroup var output: OutputOptions

    @OptionGroup var reports: ReportFileOptions


    func validate() throws {
        if let x, let y, x == y { throw ValidationError("--x and --y must be different objectives.") }
        try reports.validate(against: output)
    }

    func run() throws {
        let spec = try input.load()
        let fx = x ?? spec.frontier.x, fy = y ?? spec.frontier.y
        guard fx != fy else { throw CLIFailure.badInput("the frontier's x and y are both '\(fx.rawValue)'; pass --x or --y") }
        let frontier = try withProgress(output, "frontier") { handler in
            try Frontier.compute(Planner(problem: spec.problem), x: fx, y: fy, count: frontierPoints.count(for: spec), progress: handler)
        }
        guard !frontier.points.isEmpty else { throw CLIFailure.noSolution("no plan meets the constraints of \(input.scenario); run `scaleplan evaluate` for the relaxations") }
        let rows = ReportValue.list(frontier.points.enumerated().map { i, m in
            PlanReport.frontierRow(m, knee: i == frontier.knee, warnings: frontier.pointWarnings[i])
        })
        // The question's own warnings (as `evaluate` gives them), then the knee's.
        let warnings = PlanWarnings.problemWarnings(spec.problem)
            + (frontier.knee.map { PlanWarnings.check(frontier.points[$0], problem: spec.problem, subject: "the knee") } ?? [])
        try output.emit(output.resolvedFormat == .table ? PlanTable.frontier(frontier) : rows, listKey: "frontier",
                        warnings: warnings, inputs: [input.scenario])
        let bands = LossBands.of(frontier.points)
        let report = PlanHTMLReport(spec: spec.reportInputs, frontier: frontier, lossBands: bands, bandLabel: bandLabel(spec),
                                    command: (["scaleplan"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
        try reports.write(inputs: [input.scenario], svg: { report.frontierPlot?.svg() }, html: report.html)
    }
}
