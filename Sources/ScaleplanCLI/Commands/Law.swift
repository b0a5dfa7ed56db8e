import ArgumentParser
import Diagnostics
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import PlanModel
import Report
import ScalingLaws
import Scenario
import ValueTree

/// `scaleplan law`: evaluate a law: its compute-optimal allocation, predictions, presets.
struct Law: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a loss law: compute-optimal allocation, predictions, presets.",
        discussion: """
            Examples:
              scaleplan law presets
              scaleplan law optimum --preset hoffmann2022 --compute 5.76e23
              scaleplan law predict --law law.yaml --params 70B --tokens 1.4T
            """,
        subcommands: [LawOptimum.self, LawPredict.self, LawIsoLoss.self, LawPresets.self])
}

/// `--preset NAME` or `--law FILE`.
struct LawSource: ParsableArguments {
    @Option(help: "A published law: \(LawPreset.all.map(\.name).joined(separator: ", ")).", completion: .list(LawPreset.all.map(\.name)))
    var preset: String?

    @Option(help: "A law file (YAML or JSON), e.g. written by `scaleplan fit -o law.yaml`.")
    var law: String?

    func validate() throws {
        guard (preset == nil) != (law == nil) else { throw ValidationError("Give exactly one of --preset or --law.") }
        if let preset, LawPreset.named(preset) == nil {
            throw ValidationError("Unknown preset '\(preset)'; expected one of \(LawPreset.all.map(\.name).joined(separator: ", ")).")
        }
    }

    /// The chosen law, where it came from, its bootstrap refits and the range it was fitted on.
    func load() throws -> LoadedLaw {
        if let preset, let p = LawPreset.named(preset) {
            return LoadedLaw(law: p.law, source: p.citation, bootstrapLaws: [], fittedRange: FittedRange.known(forPreset: p.name))
        }
        return try LawFile.load(path: law!)
    }

    var inputs: [String] { law.map { [$0] } ?? [] }
}

struct LawOptimum: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimum",
        abstract: "The compute-optimal model size and tokens for a training budget (C = 6ND).",
        discussion: "Example: scaleplan law optimum --preset hoffmann2022 --compute 5.76e23 --format json")

    @OptionGroup var source: LawSource

    @Option(help: "Training compute budget C in FLOP (SI suffixes allowed).")
    var compute: PositiveNumber

    @Option(help: "Unique tokens available (data-constrained laws).")
    var uniqueTokens: PositiveNumber?

    @OptionGroup var output: OutputOptions

    func run() throws {
        if let why = PhysicalScale.refusal(compute: compute.value) { throw CLIFailure.badInput("--compute: \(why)") }
        let loaded = try source.load()
        let law = loaded.law, u = uniqueTokens?.value
        let a = try law.computeOptimal(compute: compute.value, uniqueTokens: u)
        if let why = PhysicalScale.refusal(params: a.params, tokens: a.tokens) {
            throw CLIFailure.badInput("the compute-optimal model for --compute \(compute.value) is \(why)")
        }
        var value = LawReport.allocation(a)
        if case .object(var pairs) = value {
            if let d = law.downstream { pairs.append(("downstream_error", .number(d.error(atLoss: a.loss)))) }
            // The bootstrap refits' 5%-95% range of the optimum, when the law file has them.
            let refits = loaded.bootstrapLaws.compactMap { try? $0.computeOptimal(compute: compute.value, uniqueTokens: u) }
            if refits.count >= 2 {
                for (key, values) in [("params", refits.map(\.params)), ("tokens", refits.map(\.tokens)), ("loss", refits.map(\.loss))] {
                    let sorted = values.sorted()
                    pairs.append(("\(key)_low", .number(LossUncertainty.quantile(sorted, LossUncertainty.band.low))))
                    pairs.append(("\(key)_high", .number(LossUncertainty.quantile(sorted, LossUncertainty.band.high))))
                }
                pairs.append(("bootstrap_laws", .integer(refits.count)))
            }
            pairs.append(("law", .string(law.form.rawValue)))
            pairs.append(("source", .string(loaded.source)))
            value = .object(pairs)
        }
        let warnings = [loaded.fittedRange?.extrapolationWarning(params: a.params, tokens: a.tokens, subject: "the optimum")]
        try output.emit(value, warnings: warnings.compactMap { $0 }, inputs: source.inputs)
    }
}

struct LawPredict: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "The loss a law predicts for N parameters trained on D tokens.",
        discussion: "Example: scaleplan law predict --preset muennighoff2023-c4 --params 6.34B --tokens 242B --unique-tokens 25B")

    @OptionGroup var source: LawSource

    @Option(help: "Model size N in parameters (SI suffixes allowed: 70B).")
    var params: PositiveNumber

    @Option(help: "Training tokens D (SI suffixes allowed: 1.4T).")
    var tokens: PositiveNumber

    @Option(help: "Unique tokens U in the data (data-constrained laws; others ignore it).")
    var uniqueTokens: PositiveNumber?

    @OptionGroup var output: OutputOptions

    func run() throws {
        if let why = PhysicalScale.refusal(params: params.value, tokens: tokens.value) { throw CLIFailure.badInput(why) }
        let loaded = try source.load()
        let law = loaded.law
        let n = params.value, d = tokens.value
        let loss = try law.loss(params: n, tokens: d, uniqueTokens: uniqueTokens?.value)
        let g = law.gradient(params: n, tokens: d, uniqueTokens: uniqueTokens?.value)
        // The bootstrap refits' 5%-95% range, when the law file has them.
        let refits = loaded.bootstrapLaws.map { $0.unsafeLoss(params: n, tokens: d, uniqueTokens: uniqueTokens?.value) }.filter(\.isFinite).sorted()
        let band = refits.count >= 2 ? (LossUncertainty.quantile(refits, LossUncertainty.band.low), LossUncertainty.quantile(refits, LossUncertainty.band.high)) : nil
        let value = reportObject([
            ("loss", .number(loss)),
            ("loss_low", band.map { .number($0.0) }),
            ("loss_high", band.map { .number($0.1) }),
            ("bootstrap_laws", band.map { _ in .integer(refits.count) }),
            ("params", .number(n)),
            ("tokens", .number(d)),
            ("unique_tokens", uniqueTokens.map { .number($0.value) }),
            ("tokens_per_param", .number(d / n)),
            ("compute", .number(trainingFLOPs(params: n, tokens: d))),
            ("dloss_dlog_params", .number(g.dParams * n)),
            ("dloss_dlog_tokens", .number(g.dTokens * d)),
            ("downstream_error", law.downstream.map { .number($0.error(atLoss: loss)) }),
            ("law", .string(law.form.rawValue)),
            ("source", .string(loaded.source)),
        ])
        let warnings = [loaded.fittedRange?.extrapolationWarning(params: n, tokens: d, subject: "the prediction")]
        try output.emit(value, warnings: warnings.compactMap { $0 }, inputs: source.inputs)
    }
}

struct LawIsoLoss: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iso-loss",
        abstract: "The training tokens that reach a target loss at each model size (the iso-loss curve).",
        discussion: "Example: scaleplan law iso-loss --preset hoffmann2022 --loss 2.0 --points 12")

    @OptionGroup var source: LawSource

    @Option(help: "Target loss (nats per token).")
    var loss: PositiveNumber

    @Option(help: "Smallest model size to tabulate (default: just above the smallest that can reach the loss).")
    var minParams: PositiveNumber?

    @Option(help: "Largest model size to tabulate (default: 1000 x the smallest).")
    var maxParams: PositiveNumber?

    @Option(help: "Number of model sizes, log-spaced (2 to 1000).")
    var points = 20

    @Option(help: "Unique tokens U in the data (data-constrained laws).")
    var uniqueTokens: PositiveNumber?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (2...1000).contains(points) else { throw ValidationError("--points must be from 2 to 1000.") }
    }

    func run() throws {
        let loaded = try source.load()
        let law = loaded.law
        let target = loss.value
        guard let floorN = law.minimumParams(forLoss: target) else {
            throw CLIFailure.noSolution("loss \(target) is unreachable: the law's irreducible loss is \(law.irreducibleLoss)")
        }
        let lo = minParams?.value ?? floorN * 1.01
        let hi = maxParams?.value ?? lo * 1000
        guard hi > lo else { throw CLIFailure.badInput("--max-params must be larger than --min-params") }
        if let why = PhysicalScale.refusal(params: hi) { throw CLIFailure.badInput("--max-params: \(why)") }
        // Each row's size and tokens, computed once for the table and the range check.
        let curve = (0..<points).map { i in
            let n = lo * pow(hi / lo, Double(i) / Double(points - 1))
            return (params: n, tokens: law.tokens(toReachLoss: target, params: n, uniqueTokens: uniqueTokens?.value))
        }
        let rows: [ReportValue] = curve.map { n, d in
            reportObject([
                ("params", .number(n)),
                ("tokens", d.map { .number($0) } ?? .null),
                ("tokens_per_param", d.map { .number($0 / n) } ?? .null),
                ("compute", d.map { .number(trainingFLOPs(params: n, tokens: $0)) } ?? .null),
            ])
        }
        // One warning for the rows outside the fitted range: the first and last such row.
        let outside: [Warning] = loaded.fittedRange.map { r in
            curve.enumerated().compactMap { i, row in
                row.tokens.flatMap { r.extrapolationWarning(params: row.params, tokens: $0, subject: "row \(i + 1)") }
            }
        } ?? []
        let warnings = outside.count <= 2 ? outside : [outside.first!, outside.last!].map {
            Warning($0.code, $0.message + " (\(outside.count) of \(points) rows are outside the fitted range)", subject: $0.subject)
        }
        try output.emit(.list(rows), listKey: "iso_loss", warnings: warnings, inputs: source.inputs)
    }
}

struct LawPresets: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets", abstract: "List the published laws scaleplan ships.",
        discussion: "Example: scaleplan law presets --format json")

    @OptionGroup var output: OutputOptions

    func run() throws {
        let rows = LawPreset.all.map { p in
            reportObject([
                ("name", .string(p.name)), ("form", .string(p.law.form.rawValue)),
                ("parameters", .object(p.law.parameters.map { ($0.name, .number($0.value)) })),
                ("citation", .string(p.citation)), ("note", .string(p.note)),
            ])
        }
        try output.emit(.list(rows), listKey: "presets")
    }
}
