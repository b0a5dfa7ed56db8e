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
        "A directory of hardware profiles (*.yaml) layered over the built-in ones.",
        discussion: "Profiles are built into scaleplan. On top of them, by name: ./hardware-profiles if it exists, then the directories in $SCALEPLAN_PROFILES (separated by ':'), then this one. Wherever a hardware name is asked for, a profile file path (*.yaml) works too.",
        valueName: "dir"))
    var profiles: String?

    /// The built-in catalog with the user's directories layered on top.
    func catalog() throws -> HardwareCatalog {
        try HardwareCatalog.standard(explicit: profiles)
    }

    /// The profile `name` (or a profile file path).
    func profile(_ name: String) throws -> HardwareProfile {
        if HardwareCatalog.isProfilePath(name) { return try HardwareProfile.load(path: name) }
        return try catalog().profile(named: name)
    }
}

