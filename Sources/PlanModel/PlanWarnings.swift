import Diagnostics
import Foundation
import ScalingLaws

/// What a plan's warnings depend on besides the plan, taken from the problem once.
public struct PlanWarningContext: Sendable, Equatable {
    /// The range the law was fitted on, when known.
    public var fittedRange: FittedRange?
    /// Unique training tokens, when limited.
    public var uniqueTokens: Double?
    /// The latency SLOs, s.
    public var ttftSLO: Double?
    public var tpotSLO: Double?

    public init(fittedRange: FittedRange? = nil, uniqueTokens: Double? = nil, ttftSLO: Double? = nil, tpotSLO: Double? = nil) {
        self.fittedRange = fittedRange
        self.uniqueTokens = uniqueTokens
        self.ttftSLO = ttftSLO
        self.tpotSLO = tpotSLO
    }
}

extension PlanningProblem {
    /// The context every plan of this problem carries for its warnings.
    public var warningContext: PlanWarningContext {
        PlanWarningContext(fittedRange: fittedRange, uniqueTokens: training.uniqueTokens,
                           ttftSLO: inference?.slo.ttftSeconds, tpotSLO: inference?.slo.tpotSeconds)
    }
}

/// The warnings of a plan: where the models it rests on are weak.
public enum PlanWarnings {
    /// A latency within this fraction of its SLO is "barely met".
    public static let sloMargin = 0.10

    /// The warnings for `plan` of `problem`, about `subject` ("recommended plan", "the knee").
    public static func check(_ plan: PlanMetrics, problem: PlanningProblem, subject: String? = nil) -> [Warning] {
        check(plan, context: problem.warningContext, subject: subject)
    }

    /// The warnings for `plan` under `context`, about `subject`.
    public static func check(_ plan: PlanMetrics, context: PlanWarningContext, subject: String? = nil) -> [Warning] {
        var out: [Warning] = []
        if let w = context.fittedRange?.extrapolationWarning(params: plan.params, tokens: plan.tokens, subject: subject) {
            out.append(w)
        }
        if let u = context.uniqueTokens, let w = dataRepetition(tokens: plan.tokens, uniqueTokens: u, subject: subject) { out.append(w) }
        for (name, value, slo) in [("time to first token", plan.ttftMs, context.ttftSLO), ("time per output token", plan.tpotMs, context.tpotSLO)] {
            guard let v = value, let s = slo.map({ $0 * 1000 }), v <= s * (1 + 1e-9), v >= s * (1 - sloMargin) else { continue }
            out.append(Warning(.sloBarelyMet,
                               "The \(name) SLO is barely met: \(DisplayUnit.ms.format(v)) against \(DisplayUnit.ms.format(s)) (\(String(format: "%.1f", 100 * (s - v) / s))% to spare); a slower kernel or longer prompts would break it.",
                               subject: subject))
        }
        return out
    }
}

extension PlanWarnings {
    /// The warning for training on `tokens` drawn from `uniqueTokens` unique ones, or nil when
    /// no token is repeated.
    public static func dataRepetition(tokens: Double, uniqueTokens u: Double, subject: String? = nil) -> Warning? {
        guard tokens > u else { return nil }
        return Warning(.dataRepetition,
                       "Training repeats data: \(DisplayUnit.tokens.format(tokens)) from \(DisplayUnit.tokens.format(u)) unique is \(String(format: "%.2f", tokens / u)) epochs; repeated tokens are worth less (Muennighoff et al. 2023).",
                       subject: subject)
    }
}
