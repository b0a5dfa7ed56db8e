import ArgumentParser
import Diagnostics
import FileIO
import Foundation
import Hardware
import ModelSelection
import Report
import Scenario

extension SelectionLawForm: ExpressibleByArgument {}

/// `scaleplan select`: which candidate (architecture, data mixture, tokenizer, pretrained
/// base) will be best at a target scale, from small runs of each.
struct Select: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Choose between candidate configurations from small runs: which will be best at a target scale, and how sure that is.",
        discussion: """
            Each row of the CSV is one run: its candidate, size, tokens (optional), seed \
            (optional) and metric. Each candidate gets its own law, fitted by multi-start \
            L-BFGS on the Huber loss of log residuals; --law picks it (default: size alone \
            without tokens or when tokens are a fixed multiple of size, else chinchilla with \
            15 or more runs per candidate, overtrain below that). A joint bootstrap that \
            resamples within sizes and seeds gives each candidate's interval at the target, \
            the probability that it is best, and the expected regret of choosing the leader. \
            A candidate whose law does not beat a flat and a log-linear baseline in \
            leave-one-size-out prediction shows no scaling trend and is not ranked. Runs \
            beyond --flag-sigma noise standard deviations are flagged and left out; rows \
            marked in --partial-column are runs still in training, compared with the law.

            Examples:
              scaleplan select runs.csv --target-params 7e9 --target-tokens 140e9
              scaleplan select runs.csv --metric-column err --target-compute 1e23 --seed 1 -o select.json --html select.html
              scaleplan select finetune.csv --law rectified --target-tokens 1e6 --params-column base_params
            """)

    @Argument(help: "CSV file with one run per row and a header row.")
    var file: String

    @Option(help: "Column naming each run's candidate (default: a column named 'candidate'; without one, every run is one candidate).")
    var candidateColumn: String?

    @Option(help: "Column with the parameter count N (the base model's size for fine-tuning).")
    var paramsColumn = "params"

    @Option(help: "Column with training tokens D (or fine-tuning tokens or examples); default: a column named 'tokens' if there is one.")
    var tokensColumn: String?

    @Option(help: "Column with the seed; runs of one candidate at the same N and D are replicates either way. Default: a column named 'seed' if there is one.")
    var seedColumn: String?

    @Option(help: "Column with the metric: a loss or error rate (lower is better), or an accuracy with --higher-is-better.")
    var metricColumn = "loss"

    @Option(help: "Column of true/false marking checkpoints of runs still in training (compared with the law, not fitted).")
    var partialColumn: String?

    @Option(help: ArgumentHelp("Predict the metric through this loss column: a loss law per candidate, then Gadre et al.'s link Err = eps - k exp(-gamma L) from loss to error.", valueName: "loss-column"))
    var throughLoss: String?

    @Flag(help: "The metric is better when higher: an accuracy in [0, 1); the laws are fitted to 1 − accuracy.")
    var higherIsBetter = false

    @Option(help: "Law for every candidate: size, chinchilla, overtrain, finetune or rectified (default: chosen from the runs).")
    var law: SelectionLawForm?

    @Option(help: "Target model size N (the base size for the finetune law).")
    var targetParams: PositiveNumber?

    @Option(help: "Target tokens D (fine-tuning data for the finetune and rectified laws).")
    var targetTokens: PositiveNumber?

    @Option(help: "Target compute C = 6ND in FLOP, instead of a size: each candidate at its own compute-optimal size.")
    var targetCompute: PositiveNumber?

    @Option(help: "Bootstrap resamples (20 to 100000).")
    var bootstrap = 1000

    @Option(help: "Seed of the bootstrap: the same seed gives the same answer.")
    var seed: UInt64 = 0

    @Option(help: "Probability of the intervals.")
    var confidence = 0.95

    @Option(help: "Flag runs whose log residual is beyond this many noise standard deviations.")
    var flagSigma = 3.0

    @Flag(help: "Rank candidates that show no scaling trend too.")
    var includeNoTrend = false

    @Option(help: "How many next runs to propose (0: none).")
    var nextRuns = 5

    @Option(help: "Price the next runs on this accelerator profile (name or file) and rank them per dollar.",
            completion: .list(HardwareCatalog.builtInNames))
    var hardware: String?

    @Flag(help: "Also predict each candidate's largest size from its smaller ones and report the absolute relative error, and whether the smaller runs choose the candidate that is best there.")
    var validateLargest = false

    @Option(help: "Huber threshold on log residuals (default: 1.345 times the noise of a first, nearly L1 fit).")
    var huberDelta: Double?

    @OptionGroup var location: HardwareProfileOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var reports: ReportFileOptions

    func validate() throws {
        if targetCompute != nil, targetParams != nil || targetTokens != nil {
            throw ValidationError("Give either --target-compute or --target-params (with --target-tokens), not both.")
        }
        if targetCompute == nil, targetParams == nil, targetTokens == nil {
            throw ValidationError("Give a target: --target-params (and --target-tokens where the law reads tokens) or --target-compute.")
        }
        guard (20...100_000).contains(bootstrap) else { throw ValidationError("--bootstrap must be from 20 to 100000.") }
        guard confidence > 0, confidence < 1 else { throw ValidationError("--confidence must be strictly between 0 and 1.") }
        guard flagSigma.isFinite, flagSigma > 0 else { throw ValidationError("--flag-sigma must be a positive number.") }
        guard (0...100).contains(nextRuns) else { throw ValidationError("--next-runs must be from 0 to 100.") }
        if let d = huberDelta, !(d.isFinite && d > 0) { throw ValidationError("--huber-delta must be a positive number.") }
        if let l = throughLoss, l == metricColumn { throw ValidationError("--through-loss names the metric column itself; give the loss column the metric is predicted through.") }
        try reports.validate(against: output)
    }

    func run() throws {
        let columns = SelectionColumns(candidate: candidateColumn, params: paramsColumn, tokens: tokensColumn, seed: seedColumn,
                                       metric: metricColumn, partial: partialColumn, loss: throughLoss)
        let (runs, table) = try SelectionRunTable.load(path: file, columns: columns)
        var runCost: (@Sendable (Double, Double) -> Double?)?
        if let hardware {
            let profile = try location.profile(hardware)
            runCost = { n, d in (try? TrainingEstimate(profile: profile, parameters: n, tokens: d, devices: 1))?.usd }
        }
        let target: SelectionTarget = targetCompute.map { .compute($0.value) }
            ?? .point(params: targetParams?.value, tokens: targetTokens?.value)
        let options = SelectionOptions(law: law, target: target, bootstrap: bootstrap, seed: seed, confidence: confidence,
                                       flagSigma: flagSigma, higherIsBetter: higherIsBetter, throughLoss: throughLoss != nil, includeNoTrend: includeNoTrend,
                                       huberDelta: huberDelta, nextRuns: nextRuns, runCost: runCost)
        let result: SelectionResult
        var validation: HoldoutValidation?
        do {
            result = try ModelSelector.select(runs, options: options)
            if validateLargest { validation = try ModelSelector.validateLargest(runs, options: options) }
        } catch {
            if let row = error.row, let at = SelectionRunTable.location(of: row, in: table, columns: columns) {
                throw InputError(at: at, "\(error)")
            }
            if error.failureKind == .noSolution { throw CLIFailure.noSolution("\(file): \(error)") }
            throw InputError(file: file, "\(error)")
        }
        let report = SelectReport(result: result, dataFile: file, metric: metricColumn, seed: seed, validation: validation,
                                  lossColumn: throughLoss)
        let format = output.resolvedFormat
        let warnings = result.warnings
        if format == .csv {
            try output.emit(report.csv(warnings: output.output == nil ? [] : warnings), warnings: warnings, inputs: [file])
        } else {
            try output.emit(report.value(detailed: format != .table), warnings: warnings, inputs: [file], format: format)
        }
        let command = (["scaleplan"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        try reports.write(inputs: [file], svg: { report.plot.svg() }, html: { report.html(command: command, warnings: warnings) })
    }
}
