import ArgumentParser
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import Scenario
import ValueTree

/// `scaleplan validate`: check a scenario without solving it.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a scenario file without solving it (exit 0 when valid, 2 with the first problem).",
        discussion: "Example: scaleplan validate scenarios/chat-assistant.yaml")

    @OptionGroup var input: ScenarioInput

    @OptionGroup var output: OutputOptions

    func run() throws {
        let spec = try input.load(plan: false)
        let p = spec.problem
        let serving = p.inference.map { "\($0.options.count) serving options" } ?? "no serving"
        let objectives = p.objectives.isEmpty ? "no objectives" : "objectives \(p.objectives.map(\.rawValue).joined(separator: ", "))"
        let downscale = spec.downscale.map { ", a downscale question over \($0.devices.count) devices" } ?? ""
        if output.resolvedFormat == .table, output.output == nil {
            print("\(input.scenario): valid (scenario '\(p.name)', \(p.law.form.rawValue) law, \(objectives), \(serving)\(downscale))")
            return
        }
        try output.emit(reportObject([
            ("file", .string(input.scenario)), ("valid", .bool(true)), ("scenario", .string(p.name)),
            ("law", .string(p.law.form.rawValue)), ("objectives", .list(p.objectives.map { .string($0.rawValue) })),
            ("serving_options", .integer(p.inference?.options.count ?? 0)),
            ("downscale_devices", spec.downscale.map { .integer($0.devices.count) }),
        ]), inputs: [input.scenario])
    }
}
