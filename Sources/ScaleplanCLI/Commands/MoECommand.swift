import ArgumentParser
import Diagnostics
import FileIO
import Foundation
import Numerics
import Report
import ScalingLaws
import Scenario
import ValueTree

/// `scaleplan moe`: mixture-of-experts loss laws: compute-optimal models per expert count or
/// granularity, and fits from runs.
struct MoECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moe",
        abstract: "Mixture-of-experts loss laws: compute-optimal experts, granularity, sizes and tokens; fits from runs.",
        discussion: """
            Two published families: the joint law of dense and MoE models in active parameters, \
            tokens and experts (Ludziejewski et al. 2025, preset ludziejewski2025), and the \
            granularity law in total non-embedding parameters, tokens and granularity \
            (Krajewski et al. 2024, preset krajewski2024). See docs/MOE.md.

            Examples:
              scaleplan moe optimum --preset ludziejewski2025 --compute 1e22 --experts 1,8,32
              scaleplan moe optimum --preset krajewski2024 --compute 1e21
              scaleplan moe fit runs.csv --law joint --format json
            """,
        subcommands: [MoEOptimum.self, MoEFit.self])
}

/// The MoE law presets, by name.
enum MoEPresets {
    static let names = ["ludziejewski2025", "krajewski2024"]

    static func law(_ name: String) -> MoELaw? {
        switch name {
        case "ludziejewski2025": .joint(.ludziejewski2025)
        case "krajewski2024": .granularity(.krajewski2024)
        default: nil
        }
    }

    static func citation(_ law: MoELaw) -> String {
        switch law {
        case .joint: "Ludziejewski et al. 2025, Joint MoE Scaling Laws (ICML 2025, arXiv:2502.05172), Table 3"
        case .granularity: "Krajewski et al. 2024, Scaling Laws for Fine-Grained Mixture of Experts (arXiv:2402.07871), Table 1"
        }
    }
}

/// `scaleplan moe optimum`: the compute-optimal model at a budget, per expert count (joint
/// law) or over granularities (granularity law), with the dense optimum beside it.
struct MoEOptimum: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimum",
        abstract: "Compute-optimal active parameters and tokens per expert count, or the best granularity, at a budget.",
        discussion: """
            The joint law: one row per --experts value (1 is dense), N_act and D with 6 N_act D = \
            --compute, and with --memory-gb the best model whose bf16 weights and --kv-tokens of \
            KV cache fit (the paper's shapes: d/64 blocks, experts as wide as the dense MLP). \
            The granularity law: one row per --granularity value (default powers of two to 128), \
            the best first, with total and active non-embedding parameters and the FLOPs of its \
            eq. 10 (router included), and the dense law fitted beside it at the same budget.

            Example: scaleplan moe optimum --preset ludziejewski2025 --compute 1e23 --experts 1,4,16 --memory-gb 80
            """)

    @Option(help: "MoE law preset: \(MoEPresets.names.joined(separator: ", ")).", completion: .list(MoEPresets.names))
    var preset: String

    @Option(help: "Training compute budget in FLOP (SI suffixes allowed).")
    var compute: PositiveNumber

    @Option(help: "Expert counts for the joint law, comma-separated (default 1,2,4,8,16,32,64).")
    var experts: String?

    @Option(help: "Granularities for the granularity law, comma-separated (default 1,2,4,...,128).")
    var granularity: String?

    @Option(help: "Joint law: device memory in GB the served model must fit (bf16 weights and KV cache).")
    var memoryGb: PositiveNumber?

    @Option(help: "Joint law with --memory-gb: tokens of bf16 KV cache held beside the weights (default 16384, the paper's).")
    var kvTokens: Int = 16_384

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard let law = MoEPresets.law(preset) else {
            throw ValidationError("Unknown MoE preset '\(preset)'; expected one of \(MoEPresets.names.joined(separator: ", ")).")
        }
        if case .joint = law, granularity != nil { throw ValidationError("--granularity belongs to the granularity law (--preset krajewski2024).") }
        if case .granularity = law {
            for (flag, given) in [("--experts", experts != nil), ("--memory-gb", memoryGb != nil)] where given {
                throw ValidationError("\(flag) belongs to the joint law (--preset ludziejewski2025).")
            }
        }
        if kvTokens < 0 { throw ValidationError("--kv-tokens must be 0 or more, found \(kvTokens).") }
    }

    /// A comma-separated list of numbers at least `minimum`.
    static func numbers(_ text: String, flag: String, minimum: Double, whole: Bool) throws -> [Double] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, parts.count <= 64 else { throw CLIFailure.badInput("\(flag) takes 1 to 64 comma-separated numbers, found '\(text.prefix(60))'") }
        return try parts.map { p in
            guard let v = Double(p), v.isFinite, v >= minimum, v <= 1e6, !whole || v == v.rounded() else {
                throw CLIFailure.badInput("\(flag): '\(p.prefix(30))' is not a\(whole ? " whole" : "") number from \(Int(minimum)) to 1000000")
            }
            return v
        }
    }

    func run() throws {
        if let why = PhysicalScale.refusal(compute: compute.value) { throw CLIFailure.badInput("--compute: \(why)") }
        let law = MoEPresets.law(preset)!
        var rows: [ReportValue] = []
        var warnings: [Warning] = []
        switch law {
        case .joint(let joint):
            let counts = try experts.map { try Self.numbers($0, flag: "--experts", minimum: 1, whole: true) } ?? [1, 2, 4, 8, 16, 32, 64]
            for e in counts {
                let a = try joint.computeOptimal(compute: compute.value, experts: e)
                var pairs: [(String, ReportValue?)] = [
                    ("experts", .number(e)), ("active_params", .number(a.params)),
                    ("total_params", .number(JointExpertsLaw.paperTotalParams(activeParams: a.params, experts: e))),
                    ("tokens", .number(a.tokens)), ("tokens_per_param", .number(a.tokensPerParam)), ("loss", .number(a.loss)),
                ]
                if let gb = memoryGb?.value {
                    let kv = Double(kvTokens)
                    let fit = try joint.memoryOptimal(
                        compute: compute.value, memoryBytes: gb * 1e9, experts: [e],
                        totalParams: { JointExpertsLaw.paperTotalParams(activeParams: $0, experts: $1) },
                        bytes: { n, e in
                            let d = JointExpertsLaw.paperWidth(activeParams: n)
                            return 2 * JointExpertsLaw.paperTotalParams(activeParams: n, experts: e) + kv * 2 * (d / 64) * d * 2
                        })
                    pairs += [("memory_active_params", fit.map { .number($0.activeParams) } ?? .null),
                              ("memory_tokens", fit.map { .number($0.tokens) } ?? .null),
                              ("memory_loss", fit.map { .number($0.loss) } ?? .null)]
                }
                rows.append(reportObject(pairs))
                if a.params > 2.7e9 {
                    warnings.append(Warning(.extrapolation, "The joint law was fitted up to 2.7B active parameters (Ludziejewski et al. 2025, abstract); the optimum at E = \(NumberText.short(e)) has \(DisplayUnit.params.format(a.params)): a forecast, not a fit.", subject: "E = \(NumberText.short(e))"))
                }
                if e > 32 {
                    warnings.append(Warning(.extrapolation, "The joint law was fitted on 1 to 32 experts; E = \(NumberText.short(e)) is beyond them.", subject: "E = \(NumberText.short(e))"))
                }
            }
        case .granularity(let g):
            let values = try granularity.map { try Self.numbers($0, flag: "--granularity", minimum: 1, whole: false) } ?? [1, 2, 4, 8, 16, 32, 64, 128]
            var allocations: [GranularityAllocation] = []
            for v in values { allocations.append(try g.computeOptimal(compute: compute.value, granularities: [v])) }
            allocations.sort { $0.loss < $1.loss }
            for a in allocations {
                rows.append(reportObject([
                    ("granularity", .number(a.granularity)), ("total_params", .number(a.totalParams)), ("active_params", .number(a.activeParams)),
                    ("tokens", .number(a.tokens)), ("loss", .number(a.loss)), ("flops", .number(a.compute)),
                ]))
            }
            let dense = try GranularityLaw.krajewski2024Dense.computeOptimal(compute: compute.value)
            rows.append(reportObject([("granularity", .string("dense")), ("total_params", .number(dense.params)), ("active_params", .number(dense.params)),
                                      ("tokens", .number(dense.tokens)), ("loss", .number(dense.loss)), ("flops", .number(compute.value))]))
            if let best = allocations.first, best.totalParams > 3.7e9 {
                warnings.append(Warning(.extrapolation, "The granularity law was fitted on 129M to 3.7B parameters (Krajewski et al. 2024, section 5); the optimum has \(DisplayUnit.params.format(best.totalParams)): a forecast, not a fit.", subject: "the optimum"))
            }
        }
        try output.emit(reportObject([("law", .string(law.form.rawValue)), ("source", .string(MoEPresets.citation(law))),
                                      ("compute", .number(compute.value)), ("optima", .list(rows))]), warnings: warnings)
    }
}

/// `scaleplan moe fit RUNS.csv`: fits a MoE law to training runs.
struct MoEFit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a mixture-of-experts law (joint or granularity) to training runs from a CSV.",
        discussion: """
            Columns (names settable): params (active parameters with embeddings for the joint law, \
            total non-embedding for the granularity law), tokens, experts or granularity, loss. \
            The fit minimises the Huber loss of ln L with multi-start L-BFGS, as the papers do; \
            the joint law keeps the published E_start and E_max of its expert transform. With \
            --compute, the fitted law's compute-optimal model at that budget is added.

            Example: scaleplan moe fit runs.csv --law joint --compute 1e21 --format json
            """)

    @Argument(help: "CSV of runs.")
    var runs: String

    @Option(help: "Law family: joint (experts) or granularity.")
    var law: String = "joint"

    @Option(help: "Column with the model size.")
    var paramsColumn = "params"

    @Option(help: "Column with training tokens.")
    var tokensColumn = "tokens"

    @Option(help: "Column with experts (joint) or granularity (default: experts or granularity).")
    var thirdColumn: String?

    @Option(help: "Column with the loss.")
    var lossColumn = "loss"

    @Option(help: "Also report the fitted law's compute-optimal model at this budget, FLOP.")
    var compute: PositiveNumber?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard MoELawForm(rawValue: law) != nil else { throw ValidationError("--law takes joint or granularity, found '\(law)'.") }
    }

    func run() throws {
        let form = MoELawForm(rawValue: law)!
        let table = try MoERunTable.load(path: runs, form: form, params: paramsColumn, tokens: tokensColumn, third: thirdColumn, loss: lossColumn)
        let fit: MoELawFit
        do { fit = try MoELawFitter.fit(table, form: form) } catch {
            throw CLIFailure.badInput("\(runs): cannot fit the \(form) law: \(error)")
        }
        var pairs: [(String, ReportValue?)] = [
            ("law", .string(form.rawValue)), ("size", .string(form.sizeMeaning)), ("runs", .integer(fit.runs)),
            ("rmse_log_loss", .number(fit.rmse)), ("huber_objective", .number(fit.objective)),
            ("parameters", reportObject(fit.law.parameters.map { ($0.name, .number($0.value)) })),
        ]
        if let c = compute?.value {
            switch fit.law {
            case .joint(let l):
                let experts = Array(Set(table.map(\.experts))).sorted()
                pairs.append(("optima", .list(try experts.map { e in
                    let a = try l.computeOptimal(compute: c, experts: e)
                    return reportObject([("experts", .number(e)), ("active_params", .number(a.params)), ("tokens", .number(a.tokens)), ("loss", .number(a.loss))])
                })))
            case .granularity(let l):
                let a = try l.computeOptimal(compute: c)
                pairs.append(("optimum", reportObject([("granularity", .number(a.granularity)), ("total_params", .number(a.totalParams)),
                                                      ("tokens", .number(a.tokens)), ("loss", .number(a.loss))])))
            }
        }
        try output.emit(reportObject(pairs), inputs: [runs])
    }
}
