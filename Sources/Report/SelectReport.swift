import Diagnostics
import Foundation
import ModelSelection
import Numerics
import ValueTree

/// The output of `scaleplan select`: the ranking at the target, the probability that each
/// candidate is best, flagged and partial runs, and the runs to do next.
public struct SelectReport {
    public let result: SelectionResult
    public let dataFile: String
    /// The metric column's name.
    public let metric: String
    public let seed: UInt64
    /// The leave-largest-size-out check, when asked for.
    public let validation: HoldoutValidation?
    /// The loss column, when the metric is predicted through the loss.
    public let lossColumn: String?

    public init(result: SelectionResult, dataFile: String, metric: String, seed: UInt64, validation: HoldoutValidation? = nil,
                lossColumn: String? = nil) {
        self.lossColumn = lossColumn
        self.result = result
        self.validation = validation
        self.dataFile = dataFile
        self.metric = metric
        self.seed = seed
    }

    /// The report. `detailed` adds each candidate's law parameters and trend test (files and
    /// pipes; the terminal table keeps the ranking flat).
    public func value(detailed: Bool) -> ReportValue {
        reportObject([
            ("data", .string(dataFile)),
            ("metric", .string(metric)),
            ("higher_is_better", .bool(result.higherIsBetter)),
            ("through_loss", result.throughLoss ? reportObject([("loss_column", lossColumn.map { .string($0) }), ("link", .string(ErrorLink.formula)),
                                                                ("citation", .string(ErrorLink.citation))]) : nil),
            ("law", reportObject([
                ("form", .string(result.form.rawValue)), ("formula", .string(result.form.formula)),
                ("chosen", .string(result.formChosen ? "from the runs" : "given")), ("citation", .string(result.form.citation)),
            ])),
            ("target", targetValue),
            ("leader", result.leader.map { .string($0) } ?? .null),
            ("p_wrong", result.pWrong.map { .number($0) }),
            ("expected_regret", result.expectedRegret.map { .number($0) }),
            ("confidence", .number(result.confidence)),
            ("bootstrap", reportObject([("samples", .integer(result.bootstrapSamples)), ("failed", .integer(result.bootstrapFailures)),
                                        ("seed", .integer(Int(truncatingIfNeeded: seed)))])),
            ("candidates", .list(result.candidates.map { candidateValue($0, detailed: detailed) })),
            ("flagged_runs", .list(result.flagged.map(flaggedValue))),
            ("partial_runs", .list(result.partial.map(partialValue))),
            ("next_runs", .list(result.nextRuns.map(nextValue))),
            ("validation", validation.map(validationValue)),
        ])
    }

    func validationValue(_ v: HoldoutValidation) -> ReportValue {
        reportObject([
            ("held_out", .string("each candidate's largest \(result.form.scaleIsTokens ? "fine-tuning data size" : "size"), predicted from its smaller ones")),
            ("candidates", .list(v.rows.map { r in
                reportObject([("candidate", .string(r.candidate)), ("held_out_size", .number(r.heldOutSize)), ("trained_on", .integer(r.trainedOn)),
                              ("held_out_runs", .integer(r.predictions.count)), ("mean_are", .number(r.meanARE)), ("max_are", .number(r.maxARE))])
            })),
            ("point", v.params.map { n in reportObject([("params", .number(n)), ("tokens", v.tokens.map { .number($0) })]) }),
            ("chosen", v.chosen.map { .string($0) }),
            ("true_best", v.trueBest.map { .string($0) }),
            ("chosen_is_best", v.chosenIsBest.map { .bool($0) }),
        ])
    }

    var targetValue: ReportValue {
        switch result.target {
        case .point(let n, let d):
            return reportObject([("params", n.map { .number($0) }), ("tokens", d.map { .number($0) }),
                                 ("compute", n.flatMap { n in d.map { .number(6 * n * $0) } })])
        case .compute(let c):
            return reportObject([("compute", .number(c)), ("allocation", .string(result.form == .size ? "N = sqrt(C / 6r), r the runs' median tokens per parameter" : "each candidate at its own compute-optimal size"))])
        }
    }

    func candidateValue(_ c: CandidateResult, detailed: Bool) -> ReportValue {
        var pairs: [(String, ReportValue?)] = [
            ("candidate", .string(c.name)),
            ("predicted", .number(c.predicted)),
            ("low", .number(c.low)),
            ("high", .number(c.high)),
            ("p_best", c.pBest.map { .number($0) } ?? .null),
            ("trend", .string(c.verdict.rawValue)),
            ("status", .string(c.status.rawValue)),
            ("runs", .integer(c.runs.count)),
            ("sizes", .integer(c.sizes)),
            ("noise_log", .number(c.noise)),
        ]
        if detailed {
            pairs += [
                ("seed_noise_log", c.seedNoise.map { .number($0) } ?? .null),
                ("target_params", c.targetParams.map { .number($0) }),
                ("target_tokens", c.targetTokens.map { .number($0) }),
                ("parameters", .object(zip(c.form.parameterNames, c.theta).map { ($0, .number($1)) })),
                ("link", c.link.map { l in reportObject([("eps", .number(Foundation.exp(l.theta[0]))), ("k", .number(Foundation.exp(l.theta[1]))), ("gamma", .number(l.theta[2]))]) }),
                ("trend_test", c.trend.map { t in
                    reportObject([("folds", .integer(t.folds)), ("law_mse_log", .number(t.lawError)),
                                  ("flat_mse_log", .number(t.flatError)), ("log_linear_mse_log", .number(t.logLinearError))])
                }),
            ]
        }
        return reportObject(pairs)
    }

    func flaggedValue(_ f: FlaggedRun) -> ReportValue {
        reportObject([
            ("candidate", .string(f.run.candidate)), ("params", .number(f.run.params)),
            ("tokens", f.run.tokens.map { .number($0) } ?? .null), ("seed", f.run.seed.map { .string($0) } ?? .null),
            ("loss", .number(f.run.value)), ("predicted", .number(result.higherIsBetter && !result.throughLoss ? 1 - f.predicted : f.predicted)),
            ("residual_sigma", .number(f.residualSigma)), ("line", .integer(f.run.row + 2)),
        ])
    }

    func partialValue(_ p: PartialRunCheck) -> ReportValue {
        reportObject([
            ("candidate", .string(p.run.candidate)), ("params", .number(p.run.params)),
            ("tokens", p.run.tokens.map { .number($0) } ?? .null), ("seed", p.run.seed.map { .string($0) } ?? .null),
            ("loss", .number(p.run.value)), ("predicted", .number(p.predicted)), ("low", .number(p.low)), ("high", .number(p.high)),
            ("behind_by", .number(p.behindBy)), ("z", .number(p.z)), ("probability", .number(p.probability)),
            ("status", .string(p.status.rawValue)),
        ])
    }

    func nextValue(_ r: NextRun) -> ReportValue {
        reportObject([
            ("candidate", .string(r.candidate)), ("params", .number(r.params)), ("tokens", .number(r.tokens)),
            ("seeds", .integer(r.seeds)), ("flops", .number(r.flops)), ("usd", r.usd.map { .number($0) } ?? .null),
            ("p_wrong_before", .number(r.pWrongBefore)), ("p_wrong_after", .number(r.pWrongAfter)),
            ("reduction_per_eflop", .number((r.pWrongBefore - r.pWrongAfter) / (r.flops / 1e18))),
            ("tokens_assumed", .bool(r.tokensAssumed)),
        ])
    }

    /// The tidy CSV answer: the candidates, with the flagged, partial and next runs beside them.
    public func csv(warnings: [Warning]) -> CSVBundle {
        var companions = [
            CSVSheet(part: "flagged", leading: ["candidate"], objects: result.flagged.map(flaggedValue)),
            CSVSheet(part: "partial", leading: ["candidate"], objects: result.partial.map(partialValue)),
            CSVSheet(part: "next", leading: ["candidate"], objects: result.nextRuns.map(nextValue)),
        ].filter { !$0.rows.isEmpty }
        if !warnings.isEmpty { companions.append(CSVSheet.warnings(warnings)) }
        return CSVBundle(main: CSVSheet(part: "", leading: ["candidate"], objects: result.candidates.map { candidateValue($0, detailed: false) }),
                         companions: companions)
    }
}
