import ArgumentParser
import ExperimentDesign
import FileIO
import Hardware
import Numerics
import Report
import ValueTree

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
        let rows = catalog.profiles.map(HardwareReport.summary)
        // A terminal gets short headers and no display name (shown by `hardware show`), so the
        // table fits 100 columns; json, csv and yaml keep the stable keys.
        guard output.resolvedFormat == .table else { return try output.emit(.list(rows), listKey: "hardware") }
        let short: [(String, String)] = [("name", "name"), ("kind", "kind"), ("bf16_tflops", "bf16 TFLOP/s"), ("fp8_tflops", "fp8 TFLOP/s"),
                                         ("memory_gb", "memory GB"), ("bandwidth_tb_per_s", "TB/s"), ("tdp_w", "TDP W"), ("usd_per_hour", "USD/h")]
        try output.emit(.list(rows.map { row in reportObject(short.map { ($0.1, row[$0.0]) }) }), listKey: "hardware")
    }
}
