import ArgumentParser
import Diagnostics
import ExperimentDesign
import FileIO
import Hardware
import Numerics
import Report
import ValueTree

/// `scaleplan model`: the catalogue of published model shapes.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "List the published model shapes scaleplan knows by name, or show one.",
        discussion: """
            Each shape is cited to its published config. Use a name with `estimate --model`, in a \
            scenario's `search: {sizes: [...]}` or `downscale: {sizes: [...]}`, and as a downscale \
            `reference: {model: NAME}`; a family name with `search: {family: NAME}`.

            Examples:
              scaleplan model list
              scaleplan model show gemma-3-27b --format json
            """,
        subcommands: [ModelList.self, ModelShow.self])
}

/// `scaleplan model list`: one row per published model.
struct ModelList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the published model shapes with their parameter counts.",
        discussion: "Example: scaleplan model list --format csv")

    @OptionGroup var output: OutputOptions

    func run() throws {
        let rows = ModelCatalog.all.map { e in
            reportObject(ModelReport.summary(e) + [("source", .string(e.source))])
        }
        guard output.resolvedFormat == .table else { return try output.emit(.list(rows), listKey: "models") }
        // A terminal gets the shape without sources (`model show` prints them), in 100 columns.
        try output.emit(.list(ModelCatalog.all.map { e in
            reportObject([("name", .string(e.name)), ("family", .string(e.family ?? "-")),
                          ("params", .string(NumberText.short(e.parameters))), ("layers", .integer(e.shape.layers)),
                          ("d", .integer(e.shape.hidden)), ("heads", .integer(e.shape.heads)), ("kv", .integer(e.shape.kvHeads)),
                          ("head dim", .integer(e.shape.headDimension)), ("MLP", .integer(e.shape.intermediate)),
                          ("window", .string(e.shape.slidingWindow.map { "\($0) x\(e.shape.localLayers)" } ?? "-"))])
        }), listKey: "models")
    }
}

/// `scaleplan model show NAME`: one model's shape, with its source.
struct ModelShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one published model's shape, its parameter count and its source.",
        discussion: "Example: scaleplan model show qwen3-32b")

    @Argument(help: "Model name (see `scaleplan model list`).", completion: .list(ModelCatalog.names))
    var name: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        guard let entry = ModelCatalog.named(name) else {
            throw CLIFailure.badInput("no published model is called '\(name)'\(Suggestion.hint(name, in: ModelCatalog.names)); `scaleplan model list` shows them")
        }
        try output.emit(reportObject(ModelReport.summary(entry) + [
            ("query_width", .integer(entry.shape.queryDimension)),
            // A 32K-token sequence's cache (sliding-window layers hold only their window).
            ("kv_cache_gb_at_32k_context_bf16", .number(entry.shape.kvCacheBytes(context: 32768, precision: .bf16) / 1e9)),
            ("source", .string(entry.source)),
        ]))
    }
}

/// Report rows for catalogue entries.
enum ModelReport {
    static func summary(_ e: ModelCatalog.Entry) -> [(String, ReportValue?)] {
        let s = e.shape
        return [
            ("name", .string(e.name)), ("family", e.family.map(ReportValue.string)), ("parameters", .number(e.parameters)),
        ] + HardwareReport.shapeKeys(s)
    }
}
