import ArgumentParser
import ExperimentDesign
import FileIO
import Hardware
import Numerics
import Report
import Scenario

/// `scaleplan hardware show NAME`: every figure of one profile with its source.
struct HardwareShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show every figure of one accelerator profile, with units and sources.",
        discussion: "Example: scaleplan hardware show h100-sxm")

    @Argument(help: "Profile name (see `scaleplan hardware list`) or a profile file path.", completion: .list(HardwareCatalog.builtInNames))
    var name: String

    @OptionGroup var location: HardwareProfileOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let profile = try location.profile(name)
        try output.emit(HardwareReport.detail(profile))
    }
}
