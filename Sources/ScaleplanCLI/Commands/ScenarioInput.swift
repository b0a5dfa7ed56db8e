import ArgumentParser
import Downscale
import ExperimentDesign
import FileIO
import Numerics
import PlanModel
import PlanSolver
import Report
import Scenario

/// The scenario file argument and the hardware profile directory, shared by the planning commands.
struct ScenarioInput: ParsableArguments {
    @Argument(help: "Scenario file (YAML, contract v1; see `scaleplan schema`).")
    var scenario: String

    @OptionGroup var hardware: HardwareProfileOptions

    /// Reads and validates the scenario; unless `plan` is false it must ask a planning question
    /// (have objectives), not only a downscaling one.
    func load(plan: Bool = true) throws -> ScenarioSpec {
        let spec = try ScenarioSpec.load(path: scenario, catalog: try hardware.catalog())
        if plan, spec.problem.objectives.isEmpty {
            throw CLIFailure.badInput("\(scenario) has no 'objectives' (it only asks a downscaling question): run `scaleplan downscale \(scenario)`, or add objectives")
        }
        return spec
    }
}

/// `--points`, shared by the commands that compute a frontier.
struct FrontierPointsOption: ParsableArguments {
    @Option(help: "Frontier points (overrides the scenario's frontier.points; 2 to 500).")
    var points: Int?

    func validate() throws {
        if let points, !(2...FrontierSettings.maximumPoints).contains(points) {
            throw ValidationError("--points must be from 2 to \(FrontierSettings.maximumPoints).")
        }
    }

    /// The count to use for `spec`.
    func count(for spec: ScenarioSpec) -> Int { points ?? spec.frontier.points }
}

extension Objective: ExpressibleByArgument {}

extension ScenarioSpec {
    /// What the HTML report cites about the scenario's inputs.
    var reportInputs: PlanHTMLReport.Inputs {
        PlanHTMLReport.Inputs(file: file, problem: problem, lawSource: lawSource, lawSampleCount: lawSamples.count)
    }
}
