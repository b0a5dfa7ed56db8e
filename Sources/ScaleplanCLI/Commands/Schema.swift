import ArgumentParser
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import Report
import Scenario

/// `scaleplan schema`: the JSON Schema of scenario files.
struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema of scenario files (for editor validation).",
        discussion: "Example: scaleplan schema -o scenario.schema.json")

    @OptionGroup var hardware: HardwareProfileOptions

    @OptionGroup var quiet: QuietOption

    @Option(name: [.customShort("o"), .long], help: "Write the schema to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("format"), help: "json (the default) or yaml: a JSON Schema has no table or CSV form.")
    var format: OutputFormat = .json

    func validate() throws {
        guard format == .json || format == .yaml else {
            throw ValidationError("--format \(format.rawValue): the schema is a JSON Schema document; give --format json or yaml.")
        }
    }

    func run() throws {
        let names = (try? hardware.catalog().profiles.map(\.name)) ?? []
        let text = ScenarioSchema.value(hardware: names).rendered(as: format)
        if let output { try AtomicFile.write(text, to: output) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }
}
