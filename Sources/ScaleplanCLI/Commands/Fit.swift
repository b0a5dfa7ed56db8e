import ArgumentParser
import Diagnostics
import ExperimentDesign
import FileIO
import Numerics
import Report
import ScalingLaws
import Scenario

extension LawForm: ExpressibleByArgument {}

/// `scaleplan fit`: fit a loss law to training runs in a CSV file.
struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a loss law to training runs in a CSV file.",
        discussion: """
            Minimises the summed Huber loss of log-loss residuals (Hoffmann et al. 2022, \
            Approach 3) by multi-start L-BFGS from the Hoffmann grid, reports fit quality, \
            a leave-largest-out check, and optional bootstrap intervals. Its YAML or JSON \
            output (-o law.yaml) is a law file for scenarios and `scaleplan law`.

            --svg writes the runs against the fitted law (loss against compute 6ND, log \
            axes, fixed-size curves and the compute-optimal loss, with its bootstrap band); \
            --html writes a self-contained report with that plot.

            Examples:
              scaleplan fit runs.csv
              scaleplan fit runs.csv --bootstrap 1000 --seed 1 -o law.yaml --svg fit.svg
              scaleplan fit data/epoch-chinchilla.csv --params-column "Model Size" \\
                --compute-column "Training FLOP" --loss-column loss --drop-highest-loss 5 \\
                --bootstrap 1000 --seed 1 -o law.yaml --html fit.html
            """)

    @Argument(help: "CSV file with one training run per row and a header row.")
    var file: String

    @Option(help: "Law family: chinchilla, kaplan, data-constrained or overtrain.")
    var form: LawForm = .chinchilla

    @Option(help: "Column with the parameter count N.")
    var paramsColumn = "params"

    @Option(help: "Column with training tokens D.")
    var tokensColumn: String?

    @Option(help: "Column with training compute C in FLOP (instead of tokens); D = C / (6 N).")
    var computeColumn: String?

    @Option(help: "Column with the final loss.")
    var lossColumn = "loss"

    @Option(help: "Column with the unique tokens U (needed by --form data-constrained).")
    var uniqueTokensColumn: String?

    @Option(help: "Tokens per optimiser step: the tokens column then holds steps, and D = steps x this (SI suffixes allowed: 4M).")
    var tokensPerStep: PositiveNumber?

    @Flag(help: "Skip rows with an empty cell in a column the fit reads (their count is reported) instead of refusing the file.")
    var skipIncomplete = false

    @Option(help: "Drop this many runs with the highest loss before fitting (Epoch drops 5).")
    var dropHighestLoss = 0

    @Option(help: "Huber threshold delta on log-loss residuals.")
    var huberDelta = 1e-3

    @Option(help: "Bootstrap resamples for confidence intervals (0: none; at most 100000).")
    var bootstrap = 0

    @Option(help: "Seed for the bootstrap resampling.")
    var seed: UInt64 = 0

    @Option(help: "Probability of the bootstrap intervals.")
    var confidence = 0.95

    @Option(help: "Compute budget in FLOP for the reported compute-optimal allocation (default: 100 x the largest run).")
    var compute: PositiveNumber?

    @Option(help: "Model size N at which to report the predicted loss interval (with --predict-tokens).")
    var predictParams: PositiveNumber?

    @Option(help: "Training tokens D at which to report the predicted loss interval (with --predict-params).")
    var predictTokens: PositiveNumber?

    @Option(help: "Fraction of runs, largest compute first, held out to test extrapolation (0 disables).")
    var holdoutFraction = 0.1

    @OptionGroup var output: OutputOptions

    @OptionGroup var reports: ReportFileOptions


    func validate() throws {
        if tokensPerStep != nil && computeColumn != nil {
            throw ValidationError("--tokens-per-step converts a steps column given as --tokens-column; it does not apply to --compute-column.")
        }
        if tokensColumn != nil && computeColumn != nil {
            throw ValidationError("Give either --tokens-column or --compute-column, not both.")
        }
        if form == .dataConstrained && uniqueTokensColumn == nil {
            throw ValidationError("--form data-constrained needs --unique-tokens-column.")
        }
        if (predictParams == nil) != (predictTokens == nil) {
            throw ValidationError("Give --predict-params and --predict-tokens together.")
        }
        guard huberDelta.isFinite, huberDelta > 0 else { throw ValidationError("--huber-delta must be a positive number.") }
        guard (0...100_000).contains(bootstrap) else { throw ValidationError("--bootstrap must be from 0 to 100000.") }
        guard confidence > 0, confidence < 1 else { throw ValidationError("--confidence must be strictly between 0 and 1.") }
        guard holdoutFraction >= 0, holdoutFraction < 1 else { throw ValidationError("--holdout-fraction must be in [0, 1).") }
        guard dropHighestLoss >= 0 else { throw ValidationError("--drop-highest-loss must be at least 0.") }
        try reports.validate(against: output)
    }

    func run() throws {
        let columns = RunColumns(
            params: paramsColumn, tokens: computeColumn == nil ? (tokensColumn ?? "tokens") : nil,
            compute: computeColumn, loss: lossColumn, uniqueTokens: uniqueTokensColumn,
            tokensPerStep: tokensPerStep?.value, skipIncomplete: skipIncomplete)
        let (runs, skipped) = try RunTable.loadCounting(path: file, columns: columns, dropHighestLoss: dropHighestLoss)
        if bootstrap > 0 { try fitting(file) { () throws(FitError) in try Bootstrap.check(samples: bootstrap, runs: runs.count) } }
        var options = FitOptions(form: form, huberDelta: huberDelta)
        let fit = try withProgress(output, "fit") { handler in
            options.progress = handler
            return try fitting(file) { () throws(FitError) in try LawFitter.fit(runs, options: options) }
        }
        options.progress = nil
        let reference = compute?.value ?? 100 * (runs.map(\.compute).max() ?? 1)

        var holdout: HoldoutCheck?
        if holdoutFraction > 0, runs.count > 2 * options.form.parameterNames.count {
            holdout = try withProgress(output, "hold-out fit") { handler in
                var o = options
                o.progress = handler
                return try fitting(file) { () throws(FitError) in
                    try HoldoutCheck.leaveLargestOut(runs, fraction: holdoutFraction, options: o)
                }
            }
        }
        var intervals: BootstrapResult?
        if bootstrap > 0 {
            let point = predictParams.map { ($0.value, predictTokens!.value) }
            var b = BootstrapOptions(samples: bootstrap, seed: seed, confidence: confidence, compute: reference, predictAt: point)
            intervals = try withProgress(output, "bootstrap") { handler in
                b.progress = handler
                return try fitting(file) { () throws(FitError) in try Bootstrap.run(fit, options: b) }
            }
        }
        let report = FitReport(fit: fit, dataFile: file, referenceCompute: reference, holdout: holdout, bootstrap: intervals)
        let format = output.resolvedFormat
        var warnings = fit.warnings + (holdout?.warnings ?? []) + (intervals?.warnings ?? [])
        if skipped > 0 {
            warnings.insert(Warning(.incompleteRows, "\(skipped) row\(skipped == 1 ? "" : "s") with an empty cell in a column the fit reads \(skipped == 1 ? "was" : "were") skipped (--skip-incomplete); \(runs.count) runs were fitted.", subject: "data"), at: 0)
        }
        try output.emit(report.value(detailed: format != .table), warnings: warnings, inputs: [file], format: format)
        let command = (["scaleplan"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        try reports.write(inputs: [file], svg: { report.plot.svg() }, html: { report.html(command: command) })
    }
}

/// Runs a fit, turning input problems into located errors (exit 2) and a failed
/// optimisation into exit 1.
func fitting<T>(_ file: String, _ body: () throws(FitError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        switch error {
        case .noConvergence: throw CLIFailure.noSolution("\(file): \(error)")
        case .invalidRun(let index, _, _), .missingUniqueTokens(let index):
            throw InputError(file: file, line: index + 2, "\(error)")
        default: throw InputError(file: file, "\(error)")
        }
    }
}
