import ArgumentParser
import Hardware
import Report

/// `scaleplan hardware list`: one row per profile.
struct HardwareList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the accelerator profiles with their headline figures.",
        discussion: "Example: scaleplan hardware list --format json")

    @OptionGroup var location: HardwareProfileOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let catalog = try location.catalog()
        try output.emit(.list(catalog.profiles.map(HardwareReport.summary)))
    }
}
