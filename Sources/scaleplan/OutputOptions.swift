import ArgumentParser
import Foundation
import Report

extension OutputFormat: ExpressibleByArgument {}

/// `--format` and `-o`, shared by every command.
struct OutputOptions: ParsableArguments {
    @Option(name: .customLong("format"), help: "Output format: table, json, csv or yaml (default: from -o's extension, else table).")
    var formatOption: OutputFormat?

    var format: OutputFormat { formatOption ?? .table }
    var formatWasGiven: Bool { formatOption != nil }

    @Option(name: [.customShort("o"), .long], help: "Write the output to this file (atomically) instead of standard output.")
    var output: String?

    /// Renders `value` and prints it or writes it to `-o`. Refuses to overwrite an input file.
    func emit(_ value: ReportValue, inputs: [String] = [], format override: OutputFormat? = nil) throws {
        let text = value.rendered(as: override ?? resolvedFormat)
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let target = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath().path
        for input in inputs where URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath().path == target {
            throw CLIFailure.badInput("refusing to write the output over the input file \(input)")
        }
        try AtomicFile.write(text, to: output)
    }
}

extension OutputOptions {
    /// The format: `--format` if given, else inferred from `-o`'s extension (.json, .yaml,
    /// .yml, .csv), else a table.
    var resolvedFormat: OutputFormat {
        if formatWasGiven { return format }
        guard let output else { return format }
        switch output.split(separator: ".").last?.lowercased() {
        case "json": return .json
        case "yaml", "yml": return .yaml
        case "csv": return .csv
        default: return format
        }
    }
}
