import Diagnostics
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import ScalingLaws
import ValueTree

/// The output of `scaleplan fit`: the law, how it was fitted, how good it is, and its
/// uncertainty. Its YAML and JSON forms are law files that scenarios and `law` read.
public struct FitReport {
    public let fit: LawFit
    public let dataFile: String
    /// Compute budget (FLOP) at which the compute-optimal allocation is reported.
    public let referenceCompute: Double
    public let holdout: HoldoutCheck?
    public let bootstrap: BootstrapResult?

    public init(fit: LawFit, dataFile: String, referenceCompute: Double, holdout: HoldoutCheck?, bootstrap: BootstrapResult?) {
        self.fit = fit
        self.dataFile = dataFile
        self.referenceCompute = referenceCompute
        self.holdout = holdout
        self.bootstrap = bootstrap
    }

    /// The report. `detailed` adds per-run residuals and the bootstrap laws (for files and
    /// pipes; the terminal table leaves them out).
    public func value(detailed: Bool) -> ReportValue {
        let residuals = fit.residuals
        let sortedAbs = residuals.map(abs).sorted()
        var quality: [(String, ReportValue?)] = [
            ("rmse_log", .number(fit.rmse)),
            ("median_abs_residual_log", .number(percentile(sortedAbs, 0.5))),
            ("max_abs_residual_log", .number(sortedAbs.last ?? .nan)),
        ]
        if detailed { quality.append(("residuals_log", .list(residuals.map { .number($0) }))) }

        let optimum = try? fit.law.computeOptimal(compute: referenceCompute)
        return reportObject([
            ("form", .string(fit.law.form.rawValue)),
            ("parameters", .object(fit.law.parameters.map { ($0.name, .number($0.value)) })),
            ("objective", .number(fit.objective)),
            ("rows_used", .integer(fit.runs.count)),
            ("base_rows_used", fit.baseRunsUsed.map { .integer($0) }),
            ("data", .string(dataFile)),
            ("huber_delta", .number(fit.options.huberDelta)),
            ("starts", reportObject([("evaluated", .integer(fit.startsEvaluated)), ("refined", .integer(fit.startsRefined))])),
            ("fit_quality", reportObject(quality)),
            ("holdout", holdout.map(Self.holdoutValue)),
            ("fitted_range", Self.rangeValue(fit.runs)),
            ("compute_optimal", optimum.map { LawReport.allocation($0) }),
            ("intervals", bootstrap.map(Self.intervalsValue)),
            ("bootstrap_laws", detailed ? bootstrap.map { b in .list(b.laws.map { .list($0.parameters.map { .number($0.value) }) }) } : nil),
        ])
    }

    /// The smallest and largest N, D, compute 6ND and loss of the runs: law files carry it, and
    /// every command that uses the law warns outside it.
    static func rangeValue(_ runs: [TrainingRun]) -> ReportValue? {
        guard !runs.isEmpty else { return nil }
        return reportObject([
            ("params", extent(runs.map(\.params))), ("tokens", extent(runs.map(\.tokens))),
            ("compute", extent(runs.map { 6 * $0.params * $0.tokens })), ("loss", extent(runs.map(\.loss))),
        ])
    }

    /// `[smallest, largest]` of non-empty values, as law files record a fitted range.
    static func extent(_ values: [Double]) -> ReportValue { .list([.number(values.min()!), .number(values.max()!)]) }

    static func holdoutValue(_ h: HoldoutCheck) -> ReportValue {
        reportObject([
            ("held_out", .integer(h.predictions.count)),
            ("trained_on", .integer(h.trainedOn)),
            ("rmse_log", .number(h.logRMSE)),
            ("mean_abs_relative_error", .number(h.meanAbsoluteRelativeError)),
            ("max_abs_relative_error", .number(h.maxAbsoluteRelativeError)),
            ("predictions", .list(h.predictions.map { p in
                reportObject([
                    ("params", .number(p.run.params)), ("tokens", .number(p.run.tokens)),
                    ("loss", .number(p.run.loss)), ("predicted", .number(p.predicted)),
                    ("relative_error", .number(p.relativeError)),
                ])
            })),
        ])
    }

    static func intervalsValue(_ b: BootstrapResult) -> ReportValue {
        var pairs: [(String, ReportValue?)] = [
            ("confidence", .number(b.options.confidence)),
            ("samples", .integer(b.options.samples)),
            ("failed", .integer(b.failures)),
            ("seed", .integer(Int(truncatingIfNeeded: b.options.seed))),
            ("compute", b.options.compute.map { .number($0) }),
        ]
        if let p = b.options.predictAt {
            pairs.append(("point", reportObject([("params", .number(p.params)), ("tokens", .number(p.tokens))])))
        }
        for i in b.parameters + b.derived {
            pairs.append((i.name, .list([.number(i.low), .number(i.high)])))
        }
        return reportObject(pairs)
    }
}

/// The output of `scaleplan fit-quantization`: the four constants first (so the file is a law
/// a scenario's `quantization: {law: FILE}` reads), then how they were fitted.
public enum QuantizationFitReport {
    public static func value(_ fit: QuantizationFit, dataFile: String) -> ReportValue {
        reportObject(fit.law.parameters.map { ($0.name, ReportValue.number($0.value)) } + [
            ("form", .string("ptq")),
            ("data", .string(dataFile)),
            ("pairs_used", .integer(fit.pairs.count)),
            ("non_positive_pairs", .integer(fit.nonPositive)),
            ("rmse_log", .number(fit.rmseLog)),
            ("fitted_range", reportObject([("params", FitReport.extent(fit.pairs.map(\.params))), ("tokens", FitReport.extent(fit.pairs.map(\.tokens))),
                                           ("bits", FitReport.extent(fit.pairs.map(\.bits)))])),
            ("citation", .string("functional form: \(PostTrainingQuantizationLaw.kumar2024Citation)")),
        ])
    }
}
