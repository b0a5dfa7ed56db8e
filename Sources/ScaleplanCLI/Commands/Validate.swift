import ArgumentParser
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import Scenario

/// `scaleplan validate`: check a scenario without solving it.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a scenario file without solving it (exit 0 when valid, 2 with the first problem).",
        discussion: "Example: scaleplan validate scenarios/chat-assistant.yaml")

    @OptionGroup var input: ScenarioInput

    func run() throws {
        let spec = try input.load(plan: false)
        let p = spec.problem
        let serving = p.inference.map { "\($0.options.count) serving options" } ?? "no serving"
        let objectives = p.objectives.isEmpty ? "no objectives" : "objectives \(p.objectives.map(\.rawValue).joined(separator: ", "))"
        let downscale = spec.downscale.map { ", a downscale question over \($0.devices.count) devices" } ?? ""
        print("\(input.scenario): valid (scenario '\(p.name)', \(p.law.form.rawValue) law, \(objectives), \(serving)\(downscale))")
    }
}
