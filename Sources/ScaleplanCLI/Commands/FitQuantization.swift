import ArgumentParser
import Diagnostics
import FileIO
import Foundation
import Report
import ScalingLaws
import Scenario
import ValueTree

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
        func pair(_ values: [Double]) -> ReportValue { .list([.number(values.min()!), .number(values.max()!)]) }
        let value = reportObject(fit.law.parameters.map { ($0.name, ReportValue.number($0.value)) } + [
            ("form", .string("ptq")),
            ("data", .string(file)),
            ("pairs_used", .integer(fit.pairs.count)),
            ("non_positive_pairs", .integer(fit.nonPositive)),
            ("rmse_log", .number(fit.rmseLog)),
            ("fitted_range", reportObject([("params", pair(fit.pairs.map(\.params))), ("tokens", pair(fit.pairs.map(\.tokens))),
                                           ("bits", pair(fit.pairs.map(\.bits)))])),
            ("citation", .string("functional form: \(PostTrainingQuantizationLaw.kumar2024Citation)")),
        ])
        var warnings: [Warning] = []
        if fit.nonPositive > 0 {
            warnings.append(Warning(.weakFit, "\(fit.nonPositive) quantised evaluation\(fit.nonPositive == 1 ? " was" : "s were") no worse than the unquantised model and left out (a log degradation needs a positive one); evaluation noise may be as large as the effect there.", subject: "fit"))
        }
        if fit.rmseLog > 0.5 {
            warnings.append(Warning(.weakFit, "The law misses the degradations by \(NumberText.short(fit.rmseLog, digits: 2)) in log (a factor of \(NumberText.short(exp(fit.rmseLog), digits: 2))): the runs do not follow Kumar et al.'s form closely.", subject: "fit"))
        }
        try output.emit(value, warnings: warnings, inputs: [file])
    }
}
