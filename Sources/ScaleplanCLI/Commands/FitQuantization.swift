import ArgumentParser
import FileIO
import Foundation
import Report
import ScalingLaws
import Scenario

/// `scaleplan fit-quantization`: fit Kumar et al. 2024's post-training degradation law to
/// evaluations of the same models at several precisions.
struct FitQuantization: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit-quantization",
        abstract: "Fit the post-training quantisation law (Kumar et al. 2024) to runs evaluated at several precisions.",
        discussion: """
            Each row is one evaluation: N, D, the precision (bf16, fp8, int8, int4, or a bit \
            width) and the loss. Every quantised row is paired with the unquantised row of the \
            same N and D; ln(L_q - L_bf16) = ln C_T + gamma_D ln D - gamma_N ln N - P / gamma_post \
            is fitted by least squares. The output (-o ptq.yaml) is a law a scenario uses as \
            quantization: {law: ptq.yaml}.

            Example:
              scaleplan fit-quantization evals.csv -o ptq.yaml
            """)

    @Argument(help: "CSV of evaluated runs.")
    var file: String

    @Option(help: "Column with the parameter count N.")
    var paramsColumn = "params"

    @Option(help: "Column with training tokens D.")
    var tokensColumn = "tokens"

    @Option(help: "Column with the evaluated precision (bf16, fp8, int8, int4, or bits).")
    var precisionColumn = "precision"

    @Option(help: "Column with the loss.")
    var lossColumn = "loss"

    @OptionGroup var output: OutputOptions

    func run() throws {
        let runs = try PrecisionRunTable.load(path: file, params: paramsColumn, tokens: tokensColumn, precision: precisionColumn, loss: lossColumn)
        let fit: QuantizationFit
        do {
            fit = try QuantizationFit.fit(runs)
        } catch {
            // Too few pairs is the input's fault (exit 2); runs against the law's trends are an answer (exit 1).
            if case .tooFewPairs = error { throw InputError(file: file, "\(error)") }
            throw CLIFailure.noSolution("\(file): \(error)")
        }
        try output.emit(QuantizationFitReport.value(fit, dataFile: file), warnings: fit.warnings, inputs: [file])
    }
}
