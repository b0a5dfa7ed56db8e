import ArgumentParser
import Diagnostics
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import Report
import ValueTree

extension OutputFormat: ExpressibleByArgument {}

/// `--format` and `-o`, shared by every command.
struct OutputOptions: ParsableArguments {
    @Option(name: .customLong("format"), help: "Output format: table, json, csv or yaml (default: from -o's extension, else table).")
    var formatOption: OutputFormat?

    var format: OutputFormat { formatOption ?? .table }
    var formatWasGiven: Bool { formatOption != nil }

    @Option(name: [.customShort("o"), .long], help: "Write the output to this file (atomically) instead of standard output.")
    var output: String?

    @Flag(name: [.customShort("q"), .long], help: "Show no progress bars and no warning lines on standard error (the output keeps its warnings).")
    var quiet = false

    /// Renders `value` in the shared envelope (`ReportDocument`: `schema_version`, the answer,
    /// `warnings`) and prints it or writes it to `-o`. A list answer goes under `listKey` in
    /// JSON and YAML. Refuses to overwrite an input file.
    func emit(_ value: ReportValue, listKey: String = "items", warnings: [Warning] = [], inputs: [String] = [],
              format override: OutputFormat? = nil) throws {
        let format = override ?? resolvedFormat
        // A list answer in CSV is a table of rows; its warnings go beside it (a
        // FILE.warnings.csv when there are any) or to standard error.
        if format == .csv, case .list(let items) = value, items.allSatisfy({ if case .object = $0 { true } else { false } }) {
            let companions = warnings.isEmpty || output == nil ? [] : [CSVSheet.warnings(warnings)]
            return try emit(CSVBundle(main: CSVSheet(part: "", objects: items), companions: companions), warnings: warnings, inputs: inputs)
        }
        let text = ReportDocument(value, listKey: listKey, warnings: warnings).rendered(as: format)
        // Tables also say each warning in one line on standard error, where a reader of the
        // terminal sees it even when the table goes to a file or a pager.
        if format == .table { warnOnStandardError(warnings) }
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        try writeOutput(text, to: output, inputs: inputs)
    }
}

extension OutputOptions {
    /// Emits a tidy CSV answer: with `-o FILE`, every sheet of `bundle` (the main one to FILE,
    /// each companion beside it: `plan.fleet.csv`, ...); on standard output, the main sheet,
    /// and the warnings as lines on standard error (unless `-q`), as a table does, since one
    /// stream holds one table.
    func emit(_ bundle: CSVBundle, warnings: [Warning], inputs: [String]) throws {
        guard let output else {
            warnOnStandardError(warnings.deduplicated())
            FileHandle.standardOutput.write(Data(bundle.main.text.utf8))
            return
        }
        let files = bundle.files(beside: output)
        for file in files { try writeOutput(file.text, to: file.path, inputs: inputs) }
        if files.count > 1, !quiet {
            FileHandle.standardError.write(Data("wrote \(output) with \(files.dropLast().map(\.path).joined(separator: ", "))\n".utf8))
        }
    }
}

extension OutputOptions {
    /// One line per warning on standard error ("warning: CODE: message"), unless `-q`: where a
    /// reader of the terminal sees them when the answer's own format cannot (a table, or CSV on
    /// standard output).
    func warnOnStandardError(_ warnings: [Warning]) {
        guard !quiet else { return }
        for w in warnings { FileHandle.standardError.write(Data("warning: \(w.code): \(w)\n".utf8)) }
    }
}

/// Writes `text` to `path` atomically, refusing to overwrite any of `inputs` (compared after
/// resolving symbolic links and relative paths).
func writeOutput(_ text: String, to path: String, inputs: [String]) throws {
    func canonical(_ p: String) -> String { URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path }
    let target = canonical(path)
    for input in inputs where canonical(input) == target {
        throw CLIFailure.badInput("refusing to write the output over the input file \(input)")
    }
    try AtomicFile.write(text, to: path)
}

extension OutputOptions {
    /// The extensions `-o` infers a format from; any other needs `--format`.
    static let knownExtensions = ["json", "yaml", "yml", "csv", "txt", "text", "table"]

    /// Refuses `-o FILE` with an extension no format has (out.xlsx) unless `--format` says
    /// which to write: a table in a file called .xlsx would surprise.
    func validate() throws {
        guard let output, !formatWasGiven else { return }
        let name = (output as NSString).lastPathComponent
        guard name.contains(".") else { return }
        let ext = String(name.split(separator: ".").last ?? "").lowercased()
        guard Self.knownExtensions.contains(ext) else {
            throw ValidationError("-o \(output): scaleplan writes no '.\(ext)' format; name the file .json, .yaml, .csv or .txt (a table), or give --format.")
        }
    }

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

/// `--html` and `--svg`: the report files of `evaluate`, `frontier` and `fit`.
struct ReportFileOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Also write a self-contained HTML report (inline CSS and SVG, nothing loaded from elsewhere).", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("Also write the plot as an SVG file.", valueName: "file"))
    var svg: String?

    func validate() throws {
        if let html, let svg, html == svg { throw ValidationError("--html and --svg must name different files.") }
    }

    /// Checks that no report file is also the `-o` output.
    func validate(against output: OutputOptions) throws {
        if let o = output.output, [html, svg].contains(o) { throw ValidationError("-o and --html/--svg must name different files.") }
    }

    /// Writes the requested files, the HTML first (it explains an answer without points);
    /// `svg` and `html` are only built when asked for.
    func write(inputs: [String], svg makeSVG: () -> SVGElement?, html makeHTML: () -> String) throws {
        if let path = html { try writeOutput(makeHTML(), to: path, inputs: inputs) }
        if let path = svg {
            guard let chart = makeSVG() else { throw CLIFailure.noSolution("nothing to plot for --svg: the answer has no points") }
            try writeOutput(svgFile(chart), to: path, inputs: inputs)
        }
    }
}

/// `-q` for the commands that write a file rather than render an answer (`init`, `schema`,
/// `calibrate`): it hides their "wrote ..." line on standard error, as `-q` hides progress and
/// warning lines elsewhere.
struct QuietOption: ParsableArguments {
    @Flag(name: [.customShort("q"), .long], help: "Print nothing on standard error but errors.")
    var quiet = false

    /// Writes `line` to standard error unless `-q`.
    func note(_ line: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
