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
            MEASUREMENTS.csv columns: model (a catalogue name) or params (or layers, hidden, heads, kv_heads, vocab), \
            batch, prompt_tokens, output_tokens, optional precision, devices, hardware (rows measured on other hardware \
            are left out) and batching (static, the default; closed-loop: batch clients, each sending its next \
            request when the last one ends; open-loop: Poisson arrivals at request_rate requests/s on an engine running \
            at most batch sequences, with the measured tpot_ms), prefix_cache_hit_rate (the share of prompt tokens the engine found cached, \
            below 1), and at least one of ttft_ms, tpot_ms, power_w, joules_per_token per row. \
            Files after --check are predicted before and after but not fitted on: the error there is the honest one.

            Power: P = idle + (TDP - idle) min(1, k_c u_c + k_b u_b), u_c and u_b the compute and bandwidth \
            utilisations over the measured request cycle; --fit power fits k_c and k_b alone. Power and energy rows are \
            predicted at the row's measured times where it has any (the power model alone), at the model's times otherwise.

            Example: scaleplan calibrate --hardware h100-sxm hardware-profiles/measurements/h100-sxm-example.csv \
            -o h100-calibrated.yaml
            """)

    @Option(help: "Accelerator profile name or a profile file path.", completion: .list(HardwareCatalog.builtInNames))
    var hardware: String

    @Argument(help: "CSV files of measured runs to fit on.")
    var measurements: [String]

    @Option(parsing: .upToNextOption, help: "CSV files of measured runs to check the calibration on, never fitted on.")
    var check: [String] = []

    @Option(help: "Which factors to fit: all (times and power), times (efficiencies and overheads) or power (power factors; the rows' times only give each request cycle).")
    var fit: CalibrationScope = .all

    @Option(name: [.customShort("o"), .long], help: "Write the calibrated profile (YAML) to this file, atomically.")
    var output: String?

    @Option(help: "Report format: table, json, csv or yaml (default table; with -o the report is printed only when --format is given).")
    var format: OutputFormat?

    var formatWasGiven: Bool { format != nil }

    @OptionGroup var location: HardwareProfileOptions

    @OptionGroup var quiet: QuietOption

    func run() throws {
        let profile = try location.profile(hardware)
        guard !measurements.isEmpty else { throw CLIFailure.badInput("give at least one measurements file to fit on") }
        let (rows, skipped) = try Self.load(measurements, for: profile.name)
        let (held, heldSkipped) = try Self.load(check, for: profile.name)
        guard !rows.isEmpty else {
            throw CLIFailure.badInput("no row of \(measurements.joined(separator: ", ")) was measured on '\(profile.name)' (\(skipped) rows name other hardware)")
        }
        let names = measurements.map { URL(fileURLWithPath: $0).lastPathComponent }
        let result = try Calibration.calibrate(profile: profile, measurements: rows, heldOut: held, source: names.joined(separator: ", "),
                                               scope: fit)
        if let output {
            let target = URL(fileURLWithPath: output).standardizedFileURL.path
            if (measurements + check).contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == target }) {
                throw CLIFailure.badInput("refusing to write the calibrated profile over the measurements file \(output)")
            }
            var comment = [
                "Calibrated by `scaleplan calibrate` from \(measurements.joined(separator: ", ")) (\(rows.count) rows measured on \(profile.name)).",
                "Fitted: \(result.fittedKeys.joined(separator: ", ")); other figures as in the '\(profile.name)' profile.",
            ]
            if !result.keysAtBound.isEmpty {
                comment.append("At the bound of their range (the measurements push them beyond it): \(result.keysAtBound.joined(separator: ", ")).")
            }
            if !check.isEmpty { comment.append("Checked, not fitted, on \(check.joined(separator: ", ")) (\(held.count) rows).") }
            try AtomicFile.write(result.after.yamlText(comment: comment), to: output)
        }
        if skipped + heldSkipped > 0 {
            quiet.note("left out \(skipped + heldSkipped) rows measured on other hardware than \(profile.name)")
        }
        // With -o the profile is the output: standard output stays empty unless --format asks
        // for the report too; a line on standard error says what was written.
        if let output {
            quiet.note("wrote \(output) (fitted: \(result.fittedKeys.joined(separator: ", ")))")
            if !result.keysAtBound.isEmpty { quiet.note("warning: at the bound of their range: \(result.keysAtBound.joined(separator: ", "))") }
            guard formatWasGiven else { return }
        }
        let report = Self.report(result)
        FileHandle.standardOutput.write(Data(report.rendered(as: format ?? .table).utf8))
    }

    /// The rows of `files` measured on `hardware` (or naming none), and how many named other hardware.
    static func load(_ files: [String], for hardware: String) throws -> (rows: [ServingMeasurement], otherHardware: Int) {
        var rows: [ServingMeasurement] = [], other = 0
        for file in files {
            let r = try MeasurementTable.rows(path: file, for: hardware)
            rows += r.rows
            other += r.otherHardware
        }
        return (rows, other)
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
                                 ("fitted", .bool(r.fittedKeys.contains(item.key))),
                                 ("at_bound", .bool(r.keysAtBound.contains(item.key)))])
        }
        let rows: [ReportValue] = r.comparisons.map { c in
            reportObject([("row", .string(c.label)), ("quantity", .string(c.quantity.rawValue)), ("measured", .number(c.measured)),
                          ("predicted_before", .number(c.before)), ("predicted_after", .number(c.after))])
        }
        let byDataSet: [ReportValue] = r.errorsByDataSet.map { e in
            reportObject([("data_set", .string(e.dataSet)), ("role", .string(e.heldOut ? "check" : "fit")),
                          ("quantity", .string(e.quantity.rawValue)), ("rows", .integer(e.summary.rows)),
                          ("median_error_before", .number(e.summary.medianBefore)), ("median_error_after", .number(e.summary.medianAfter)),
                          ("max_error_before", .number(e.summary.maxBefore)), ("max_error_after", .number(e.summary.maxAfter))])
        }
        let held: [ReportValue] = r.heldOut.map { c in
            reportObject([("row", .string(c.label)), ("quantity", .string(c.quantity.rawValue)), ("measured", .number(c.measured)),
                          ("predicted_before", .number(c.before)), ("predicted_after", .number(c.after))])
        }
        return reportObject([("hardware", .string(r.after.name)), ("errors", .list(errors)), ("by_data_set", .list(byDataSet)),
                             ("factors", .list(factors)), ("rows", .list(rows)), ("checked_rows", .list(held))])
    }
}

extension CalibrationScope: ExpressibleByArgument {}
