import ArgumentParser
import ExperimentDesign
import FileIO
import Foundation
import Hardware
import Numerics
import Report
import Scenario
import ValueTree

/// `scaleplan calibrate`: fit a profile's efficiency and power factors to measurements.
struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a profile's efficiency and power factors to measured runs (least squares) and report the error before and after.",
        discussion: """
            MEASUREMENTS.csv columns: params (or layers, hidden, heads, kv_heads, vocab), batch, prompt_tokens, output_tokens,
            optional precision and devices, and at least one of ttft_ms, tpot_ms, power_w, joules_per_token per row.
            Example: scaleplan calibrate --hardware h100-sxm hardware-profiles/measurements/h100-sxm-example.csv -o h100-calibrated.yaml
            """)

    @Option(help: "Accelerator profile name or a profile file path.", completion: .list(HardwareCatalog.builtInNames))
    var hardware: String

    @Argument(help: "CSV of measured runs.")
    var measurements: String

    @Option(name: [.customShort("o"), .long], help: "Write the calibrated profile (YAML) to this file, atomically.")
    var output: String?

    @Option(help: "Report format: table, json, csv or yaml (default table; with -o the report is printed only when --format is given).")
    var format: OutputFormat?

    var formatWasGiven: Bool { format != nil }

    @OptionGroup var location: HardwareProfileOptions

    @OptionGroup var quiet: QuietOption

    func run() throws {
        let profile = try location.profile(hardware)
        let rows = try MeasurementTable.load(path: measurements)
        let result = try Calibration.calibrate(profile: profile, measurements: rows,
                                               source: URL(fileURLWithPath: measurements).lastPathComponent)
        if let output {
            let target = URL(fileURLWithPath: output).standardizedFileURL.path
            if target == URL(fileURLWithPath: measurements).standardizedFileURL.path {
                throw CLIFailure.badInput("refusing to write the calibrated profile over the measurements file \(measurements)")
            }
            let text = result.after.yamlText(comment: [
                "Calibrated by `scaleplan calibrate` from \(measurements) (\(rows.count) rows).",
                "Fitted: \(result.fittedKeys.joined(separator: ", ")); other figures as in the '\(profile.name)' profile.",
            ])
            try AtomicFile.write(text, to: output)
        }
        // With -o the profile is the output: standard output stays empty unless --format asks
        // for the report too; a line on standard error says what was written.
        if let output {
            quiet.note("wrote \(output) (fitted: \(result.fittedKeys.joined(separator: ", ")))")
            guard formatWasGiven else { return }
        }
        let report = Self.report(result)
        FileHandle.standardOutput.write(Data(report.rendered(as: format ?? .table).utf8))
    }

    static func report(_ r: CalibrationResult) -> ReportValue {
        let errors: [ReportValue] = MeasuredQuantity.allCases.compactMap { q in
            r.meanRelativeError(q).map { e in
                reportObject([("quantity", .string(q.rawValue)), ("rows", .integer(e.rows)),
                              ("mean_relative_error_before", .number(e.before)), ("mean_relative_error_after", .number(e.after))])
            }
        }
        let factors: [ReportValue] = r.after.efficiency.figures.map { item in
            let before = r.before.efficiency.figures.first { $0.key == item.key }?.figure.value ?? .nan
            return reportObject([("factor", .string(item.key)), ("before", .number(before)), ("after", .number(item.figure.value)),
                                 ("fitted", .bool(r.fittedKeys.contains(item.key)))])
        }
        let rows: [ReportValue] = r.comparisons.map { c in
            reportObject([("row", .string(c.label)), ("quantity", .string(c.quantity.rawValue)), ("measured", .number(c.measured)),
                          ("predicted_before", .number(c.before)), ("predicted_after", .number(c.after))])
        }
        return reportObject([("hardware", .string(r.after.name)), ("errors", .list(errors)), ("factors", .list(factors)),
                             ("rows", .list(rows))])
    }
}
