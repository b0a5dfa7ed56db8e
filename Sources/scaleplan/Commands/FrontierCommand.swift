import ArgumentParser
import Planner
import Report
import Scenario

/// `scaleplan frontier`: a Pareto frontier between two objectives.
struct FrontierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frontier",
        abstract: "The Pareto frontier of a scenario between two objectives (epsilon-constraint method).",
        discussion: "Example: scaleplan frontier scenarios/chat-assistant.yaml --x loss --y cost --points 40 --format csv")

    @OptionGroup var input: ScenarioInput

    @Option(help: "Objective on the x axis (bounded): loss, cost, compute, energy, latency or train_time.")
    var x: Objective?

    @Option(help: "Objective on the y axis (minimised).")
    var y: Objective?

    @OptionGroup var frontierPoints: FrontierPointsOption

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let x, let y, x == y { throw ValidationError("--x and --y must be different objectives.") }
    }

    func run() throws {
        let spec = try input.load()
        let fx = x ?? spec.frontier.x, fy = y ?? spec.frontier.y
        guard fx != fy else { throw CLIFailure.badInput("the frontier's x and y are both '\(fx.rawValue)'; pass --x or --y") }
        let frontier = try planning { () throws(PlanError) in
            try Frontier.compute(Planner(problem: spec.problem), x: fx, y: fy, count: frontierPoints.count(for: spec))
        }
        guard !frontier.points.isEmpty else { throw CLIFailure.noSolution("no plan meets the constraints of \(input.scenario); run `scaleplan evaluate` for the relaxations") }
        let rows = frontier.points.enumerated().map { PlanReport.frontierRow($1, knee: $0 == frontier.knee) }
        try output.emit(.list(rows), inputs: [input.scenario])
    }
}
