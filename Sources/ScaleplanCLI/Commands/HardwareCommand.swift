import ArgumentParser
import ExperimentDesign
import FileIO
import Foundation
import Hardware
import Numerics
import Scenario

/// `scaleplan hardware`: the accelerator profiles.
struct HardwareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hardware",
        abstract: "List and show accelerator profiles (peaks, memory, power, price, each with its source).",
        discussion: """
            Examples:
              scaleplan hardware list
              scaleplan hardware show h100-sxm --format json
            """,
        subcommands: [HardwareList.self, HardwareShow.self])
}

/// `--profiles DIR`, shared by every command that reads hardware profiles.
struct HardwareProfileOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Directory of hardware profiles (*.yaml).",
        discussion: "Default: $SCALEPLAN_PROFILES, else ./hardware-profiles, else the hardware-profiles directory of the repository the executable was built in."))
    var profiles: String?

    /// Loads the catalog from the resolved directory.
    func catalog() throws -> HardwareCatalog {
        guard let directory = HardwareCatalog.locateDirectory(explicit: profiles) else {
            throw CLIFailure.badInput("cannot find a hardware-profiles directory; pass --profiles DIR or set SCALEPLAN_PROFILES")
        }
        return try HardwareCatalog.load(directory: directory)
    }

    /// The profile `name` (or a profile file path).
    func profile(_ name: String) throws -> HardwareProfile {
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return try HardwareProfile.load(path: name) }
        return try catalog().profile(named: name)
    }
}

