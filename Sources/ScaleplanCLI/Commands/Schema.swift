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

    @Option(name: [.customShort("o"), .long], help: "Write the schema to this file instead of standard output.")
    var output: String?

    func run() throws {
        let names = (try? hardware.catalog().profiles.map(\.name)) ?? []
        let text = ScenarioSchema.value(hardware: names).rendered(as: .json)
        if let output { try AtomicFile.write(text, to: output) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }
}
