import ExperimentDesign
import FileIO
import Numerics
import PlanModel
import ScalingLaws

/// The range of model sizes and token counts a published law was fitted on, with its source.
public struct FittedRange: Equatable, Sendable {
    public var params: ClosedRange<Double>
    public var tokens: ClosedRange<Double>
    public var source: String

    public init(params: ClosedRange<Double>, tokens: ClosedRange<Double>, source: String) {
        self.params = params
        self.tokens = tokens
        self.source = source
    }

    /// The fitted range of a preset, where the paper states it. Presets share a range when
    /// they refit the same runs (Epoch's and Sardana et al.'s laws are Hoffmann et al.'s data).
    public static func known(forPreset name: String) -> FittedRange? {
        switch name {
        case "hoffmann2022", "epoch2024", "sardana2024":
            FittedRange(params: 70e6...16e9, tokens: 5e9...500e9,
                        source: "Hoffmann et al. 2022, abstract: over 400 models from 70M to over 16B parameters on 5B to 500B tokens")
        case "kaplan2020":
            FittedRange(params: 768...1.5e9, tokens: 22e6...23e9,
                        source: "Kaplan et al. 2020, section 1: 768 to 1.5B non-embedding parameters, datasets of 22M to 23B tokens")
        default: nil
        }
    }

    /// The fitted range for a scenario's law source: a preset's citation maps to the preset.
    public static func known(forLawSource source: String) -> FittedRange? {
        LawPreset.all.first { $0.citation == source }.flatMap { known(forPreset: $0.name) }
    }
}

/// Something about a plan that deserves a second look.
public struct PlanWarning: Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// The plan's model size or tokens lie outside the range the law was fitted on.
        case extrapolation
        /// Training tokens exceed the unique tokens available: data is repeated.
        case dataRepetition = "data_repetition"
        /// A latency SLO is met with less than `PlanWarning.sloMargin` to spare.
        case sloBarelyMet = "slo_barely_met"
    }
    public let kind: Kind
    /// One sentence for people.
    public let message: String

    /// A latency within this fraction of its SLO is "barely met".
    public static let sloMargin = 0.10

    /// The warnings for `plan` in `problem`. `range` is the law's fitted range when known.
    public static func check(_ plan: PlanMetrics, problem: PlanningProblem, range: FittedRange?) -> [PlanWarning] {
        var out: [PlanWarning] = []
        if let r = range {
            func outside(_ v: Double, _ r: ClosedRange<Double>) -> String? {
                v > r.upperBound ? String(format: "%.1fx above", v / r.upperBound) : v < r.lowerBound ? String(format: "%.1fx below", r.lowerBound / v) : nil
            }
            var parts: [String] = []
            if let o = outside(plan.params, r.params) {
                parts.append("model size \(DisplayUnit.params.format(plan.params)) is \(o) the fitted \(DisplayUnit.params.format(r.params.lowerBound))-\(DisplayUnit.params.format(r.params.upperBound))")
            }
            if let o = outside(plan.tokens, r.tokens) {
                parts.append("\(DisplayUnit.tokens.format(plan.tokens)) is \(o) the fitted \(DisplayUnit.params.format(r.tokens.lowerBound))-\(DisplayUnit.params.format(r.tokens.upperBound))")
            }
            if !parts.isEmpty {
                out.append(PlanWarning(kind: .extrapolation,
                                       message: "The law is extrapolated: \(parts.joined(separator: "; ")) (\(r.source)); its loss there is a forecast, not a fit."))
            }
        }
        if let u = problem.training.uniqueTokens, plan.tokens > u {
            out.append(PlanWarning(kind: .dataRepetition,
                                   message: "Training repeats data: \(DisplayUnit.tokens.format(plan.tokens)) from \(DisplayUnit.tokens.format(u)) unique is \(String(format: "%.2f", plan.tokens / u)) epochs; repeated tokens are worth less (Muennighoff et al. 2023)."))
        }
        if let inf = problem.inference {
            for (name, value, slo) in [("time to first token", plan.ttftMs, inf.slo.ttftSeconds), ("time per output token", plan.tpotMs, inf.slo.tpotSeconds)] {
                guard let v = value, let s = slo.map({ $0 * 1000 }), v <= s * (1 + 1e-9), v >= s * (1 - sloMargin) else { continue }
                out.append(PlanWarning(kind: .sloBarelyMet,
                                       message: "The \(name) SLO is barely met: \(DisplayUnit.ms.format(v)) against \(DisplayUnit.ms.format(s)) (\(String(format: "%.1f", 100 * (s - v) / s))% to spare); a slower kernel or longer prompts would break it."))
            }
        }
        return out
    }
}

/// Loss intervals for plans: the 5%-95% bands the planner puts on every plan when the law has
/// bootstrap samples (`PlanMetrics.lossLow`/`lossHigh`, see `LossUncertainty`), so plots and
/// the JSON show the same numbers.
public enum LossBands {
    /// Each plan's band; nil when no plan has one.
    public static func of(_ plans: [PlanMetrics]) -> [ClosedRange<Double>?]? {
        let bands = plans.map { p in p.lossLow.flatMap { lo in p.lossHigh.map { hi in lo...max(lo, hi) } } }
        return bands.contains { $0 != nil } ? bands : nil
    }
}
