import Scenario
import ArgumentParser
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import Report

/// `scaleplan init`: writes a commented starter scenario.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a commented starter scenario to edit (refuses to overwrite an existing file).",
        discussion: """
            The starter plans a chat model with a published law, H100 training and H100 or \
            L40S serving; every key has a comment. It validates and evaluates as written.

            Examples:
              scaleplan init                      # writes scenario.yaml
              scaleplan init my-model.yaml
              scaleplan init my-model.yaml && scaleplan evaluate my-model.yaml --html report.html
            """)

    @Argument(help: "File to write.")
    var file = "scenario.yaml"

    @Option(help: "The scenario's name (default: the file name without its extension).")
    var name: String?

    @OptionGroup var quiet: QuietOption

    func run() throws {
        guard !FileManager.default.fileExists(atPath: file) else {
            throw CLIFailure.badInput("\(file) already exists; choose another name or remove it first")
        }
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let text = StarterScenario.text(name: name ?? (stem.isEmpty ? "my-model" : stem))
        do {
            try AtomicFile.create(text, at: file)
        } catch {
            if error.reason == AtomicFile.alreadyExists { throw CLIFailure.badInput("\(file) already exists; choose another name or remove it first") }
            throw error
        }
        quiet.note("wrote \(file); next: scaleplan evaluate \(file) --html report.html")
    }
}
