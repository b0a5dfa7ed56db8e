import Diagnostics
import Foundation
import Hardware
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
    /// The search range: model sizes and tokens per parameter.
    public var searchParams: ClosedRange<Double>?
    public var searchTokensPerParam: ClosedRange<Double>?
    /// The mixture-of-experts architectures compared, by label (`ArchitectureOption.label`).
    public var architectures: [String: MoEArchitecture] = [:]

    public init(fittedRange: FittedRange? = nil, uniqueTokens: Double? = nil, ttftSLO: Double? = nil, tpotSLO: Double? = nil,
                searchParams: ClosedRange<Double>? = nil, searchTokensPerParam: ClosedRange<Double>? = nil) {
        self.fittedRange = fittedRange
        self.uniqueTokens = uniqueTokens
        self.ttftSLO = ttftSLO
        self.tpotSLO = tpotSLO
        self.searchParams = searchParams
        self.searchTokensPerParam = searchTokensPerParam
    }
}

extension PlanWarningContext {
    func with(architectures options: [ArchitectureOption]) -> PlanWarningContext {
        var c = self
        for o in options { if let moe = o.moe { c.architectures[o.label] = moe } }
        return c
    }
}

extension PlanningProblem {
    /// The context every plan of this problem carries for its warnings.
    public var warningContext: PlanWarningContext {
        PlanWarningContext(fittedRange: fittedRange, uniqueTokens: training.uniqueTokens,
                           ttftSLO: inference?.slo.ttftSeconds, tpotSLO: inference?.slo.tpotSeconds,
                           searchParams: constraints.paramsMin...constraints.paramsMax,
                           searchTokensPerParam: constraints.tokensPerParamMin...constraints.tokensPerParamMax)
            .with(architectures: architectureOptions)
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
        if let w = data(tokens: plan.tokens, uniqueTokens: context.uniqueTokens, subject: subject) { out.append(w) }
        if let label = plan.architecture, let moe = context.architectures[label], moe.expansion > 32 {
            out.append(Warning(.extrapolation,
                               "The joint MoE law was fitted on 1 to 32 experts (Ludziejewski et al. 2025); \(label) is priced as \(NumberText.short(moe.expansion)) experts, beyond them: a forecast outside the fit.",
                               subject: subject))
        }
        if let label = plan.architecture, let moe = context.architectures[label], moe.activeExperts > 1 || moe.sharedExperts > 0 {
            out.append(Warning(.extrapolation,
                               "The joint MoE law was fitted on top-1 routing to experts as wide as the dense MLP (Ludziejewski et al. 2025, section 5); \(label) routes each token to \(moe.activeExperts) narrower experts\(moe.sharedExperts > 0 ? " plus \(moe.sharedExperts) shared" : ""), priced here as \(NumberText.short(moe.expansion)) experts of full width (routed over active expert parameters): a forecast outside the fit.",
                               subject: subject))
        }
        out += searchBound(plan, context, subject: subject)
        if plan.trainDays > longTrainingDays {
            out.append(Warning(.longTraining,
                               "Training takes \(DisplayUnit.days.format(plan.trainDays)) on \(plan.trainDevices) devices, longer than any published large run (Llama 3 405B pre-trained in about 54 days, Dubey et al. 2024): failures, restarts and newer hardware make a run this long a risk; allow more devices or bound train_days_max.",
                               subject: subject))
        }
        if let q = plan.quantization, let w = quantization(loss: plan.quantizationLoss, q,
                                                          remedy: "a higher serving precision or quantization.method: best may do better", subject: subject) {
            out.append(w)
        }
        if let w = fleetChurn(plan.fleet, subject: subject) { out.append(w) }
        if plan.fleet.unproved { out.append(fleetNotProved(subject: subject)) }
        out += defaultEfficiency(plan.fleet, subject: subject)
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
    /// Warnings about the question rather than any plan: interactive serving (a demand
    /// forecast) with no time-to-first-token SLO, serving options priced on different bases,
    /// a prefix-cache hit rate taken as given.
    public static func problemWarnings(_ problem: PlanningProblem) -> [Warning] {
        let basis = problem.inference.flatMap { mixedPriceBasis($0.options) }.map { [$0] } ?? []
        let cache = problem.inference.flatMap { ServingWorkload.prefixCacheWarning(rate: $0.prefixCacheHitRate, sharedPrefixTokens: $0.sharedPrefixTokens,
                                                                                                subject: "serving") }
        return basis + servingWarnings(problem) + (cache.map { [$0] } ?? [])
    }

    /// The warning for serving options priced on different bases, or nil when all share one.
    public static func mixedPriceBasis(_ options: [ServingOption]) -> Warning? {
        var byBasis: [(basis: String, hardware: [String])] = []
        for o in options {
            if let k = byBasis.firstIndex(where: { $0.basis == o.priceBasis }) {
                if !byBasis[k].hardware.contains(o.hardware.name) { byBasis[k].hardware.append(o.hardware.name) }
            } else {
                byBasis.append((o.priceBasis, [o.hardware.name]))
            }
        }
        guard byBasis.count > 1 else { return nil }
        let groups = byBasis.map { "\($0.hardware.joined(separator: ", ")) (\($0.basis))" }.joined(separator: "; ")
        return Warning(.mixedPriceBasis,
                       "The serving options are priced on different bases: \(groups); the choice between them partly reflects the providers, so price them alike with inference.price_per_hour (per hardware) to compare the devices.",
                       subject: "serving")
    }

    static func servingWarnings(_ problem: PlanningProblem) -> [Warning] {
        if let inf = problem.inference, !inf.modelsServing {
            return [Warning(.servingNotModelled,
                            "Inference is counted as 2N FLOPs per token over the \(DisplayUnit.tokens.format(inf.lifetimeTokens.prompt + inf.lifetimeTokens.output)) (Sardana et al. 2024's setting): with no prompt_tokens and output_tokens (or fixed 'mfu') there is no serving model, so serving cost, energy and latency are not computed (null).",
                            subject: "serving")]
        }
        guard let inf = problem.inference, case .forecast = inf.demand, inf.slo.ttftSeconds == nil else { return [] }
        return [Warning(.ttftUnbounded,
                        "No time-to-first-token SLO is set (inference.slo.ttft_ms): the planner runs each replica up to its queue and capacity limits, where a request may wait seconds for its first token; if this traffic is interactive, set one.",
                        subject: "serving")]
    }

    /// The warning for a fleet that swaps capacity between serving options, or nil.
    ///
    /// A swap is a month in which one option's replica count falls while another's rises:
    /// demand that grows or falls moves the options together, so a swap is the optimiser
    /// trading one option for another at a near-tie. Without a price on changes
    /// (`CapacityPurchasing.changeCostReplicaHours` = 0) nothing stops it; with one, a swap
    /// that remains has paid for its changes, and no warning is given.
    public static func fleetChurn(_ fleet: Fleet, subject: String? = nil) -> Warning? {
        guard fleet.changeCostReplicaHours == 0, fleet.assignments.count > 1,
              let months = fleet.assignments.first?.replicasByMonth.count, months > 1 else { return nil }
        var swaps: [Int] = []
        for m in 1..<months {
            let deltas = fleet.assignments.map { $0.replicasByMonth[m] - $0.replicasByMonth[m - 1] }
            if deltas.contains(where: { $0 > 0 }) && deltas.contains(where: { $0 < 0 }) { swaps.append(m) }
        }
        guard let first = swaps.first else { return nil }
        let moves = fleet.assignments.compactMap { a -> String? in
            let before = a.replicasByMonth[first - 1], after = a.replicasByMonth[first]
            return before == after ? nil : "\(a.replica.option.label) \(before) to \(after)"
        }
        return Warning(.fleetChurn,
                       "The fleet swaps capacity between serving options in \(swaps.count) of \(months - 1) month-to-month changes (month \(first) to \(first + 1): \(moves.joined(separator: ", "))): on demand with no price on changes, the optimum trades near-ties no operator would buy; price them with inference.purchasing.change_cost_replica_hours.",
                       subject: subject)
    }

    /// The `default_efficiency` warnings of a fleet: one for each accelerator it runs in some
    /// month whose profile does not state an efficiency factor its replicas lean on
    /// (`ReplicaSpec.leanedEfficiencyKeys`, `HardwareProfile.defaultEfficiencyWarning`), in
    /// fleet order.
    public static func defaultEfficiency(_ fleet: Fleet, subject: String? = nil) -> [Warning] {
        var profiles: [HardwareProfile] = []
        var leaned: [String: [String]] = [:]
        for a in fleet.assignments where a.peakReplicas > 0 {
            let hardware = a.replica.option.hardware
            if leaned[hardware.name] == nil { profiles.append(hardware) }
            leaned[hardware.name, default: []] += a.replica.leanedEfficiencyKeys
        }
        return profiles.compactMap { $0.defaultEfficiencyWarning(leaningOn: leaned[$0.name] ?? [], subject: subject) }
    }

    /// The warning for a fleet the solver did not prove the cheapest (`Fleet.unproved`).
    public static func fleetNotProved(subject: String? = nil) -> Warning {
        Warning(.fleetNotProved,
                "GLPK stopped the horizon fleet MILP at its time limit before proving the fleet the cheapest within 0.01%: the fleet serves every month's peak, but a cheaper one may exist; fewer serving options or a shorter horizon let it finish.",
                subject: subject)
    }

    /// Training longer than this many days is warned about: about three times the longest
    /// published large pre-training run (Llama 3 405B, about 54 days).
    public static let longTrainingDays = 180.0
    /// A quantisation loss above this (nats per token) is warned about: about what 15% fewer
    /// parameters cost a 7B model under Hoffmann et al.'s law (its A / N^alpha term).
    public static let quantizationLossNotable = 0.01

    /// A plan within this fraction of a search-range edge sits on it.
    public static let searchBoundTolerance = 0.01

    /// The data warning for training on `tokens`: repetition of the `uniqueTokens` when they
    /// are limited, else more than the default data stock; nil when neither applies.
    public static func data(tokens: Double, uniqueTokens: Double?, subject: String? = nil) -> Warning? {
        if let u = uniqueTokens { return dataRepetition(tokens: tokens, uniqueTokens: u, subject: subject) }
        return dataStock(tokens: tokens, subject: subject)
    }

    /// The warning for a quantisation loss above `quantizationLossNotable` at `choice`, with
    /// what to do about it, or nil.
    public static func quantization(loss: Double, _ choice: QuantizationChoice, remedy: String, subject: String? = nil) -> Warning? {
        guard loss > quantizationLossNotable else { return nil }
        let why = choice.method == .postTraining
            ? "rounded after training; Kumar et al. 2024's degradation grows with tokens per parameter"
            : "quantisation-aware training's smaller effective model, Kumar et al. 2024"
        return Warning(.quantizationDegradation,
                       "Serving at \(choice.precision.rawValue) costs \(DisplayUnit.loss.format(loss, digits: 3)) nats per token (\(why)); \(remedy).",
                       subject: subject)
    }

    /// The warning for training on more tokens than the default data stock, without a
    /// unique-token limit, or nil.
    public static func dataStock(tokens: Double, subject: String? = nil) -> Warning? {
        guard tokens > DataStock.defaultTokens else { return nil }
        let beyondAll = tokens > DataStock.publicTextTokens
        return Warning(.dataStockExceeded,
                       "Training on \(DisplayUnit.tokens.format(tokens)) needs more unique text than \(DataStock.defaultSource)\(beyondAll ? ", and more than the whole public stock (\(DataStock.publicTextSource))" : "; \(DataStock.publicTextSource)"); set training.unique_tokens to what you have so that repetition is priced in.",
                       subject: subject)
    }

    /// Warnings for a plan on the edge of the search range rather than on a constraint.
    static func searchBound(_ plan: PlanMetrics, _ c: PlanWarningContext, subject: String?) -> [Warning] {
        var out: [Warning] = []
        // Within 1% of an edge: the size search settles on the cell next to it.
        func near(_ v: Double, _ b: Double) -> Bool { abs(v - b) <= searchBoundTolerance * b }
        if let r = c.searchTokensPerParam {
            if near(plan.tokensPerParam, r.upperBound) {
                out.append(Warning(.searchBound, "The plan sits at the search range's most tokens per parameter, \(DisplayUnit.plain.format(r.upperBound)) (search.tokens_per_param or constraints.tokens_per_param_max); widen it to see whether training longer is better.", subject: subject))
            } else if near(plan.tokensPerParam, r.lowerBound) {
                out.append(Warning(.searchBound, "The plan sits at the search range's fewest tokens per parameter, \(DisplayUnit.plain.format(r.lowerBound)) (search.tokens_per_param or constraints.tokens_per_param_min); widen it to see whether a larger model trained less is better.", subject: subject))
            }
        }
        if let r = c.searchParams, plan.model == nil {
            if near(plan.params, r.upperBound) {
                out.append(Warning(.searchBound, "The plan sits at the search range's largest model, \(DisplayUnit.params.format(r.upperBound)) (search.params or constraints.params_max); widen it to see whether a larger model is better.", subject: subject))
            } else if near(plan.params, r.lowerBound) {
                out.append(Warning(.searchBound, "The plan sits at the search range's smallest model, \(DisplayUnit.params.format(r.lowerBound)) (search.params or constraints.params_min); widen it to see whether a smaller model is better.", subject: subject))
            }
        }
        return out
    }

    /// The warning for training on `tokens` drawn from `uniqueTokens` unique ones, or nil when
    /// no token is repeated.
    public static func dataRepetition(tokens: Double, uniqueTokens u: Double, subject: String? = nil) -> Warning? {
        guard tokens > u else { return nil }
        return Warning(.dataRepeated,
                       "Training repeats data: \(DisplayUnit.tokens.format(tokens)) from \(DisplayUnit.tokens.format(u)) unique is \(String(format: "%.2f", tokens / u)) epochs; repeated tokens are worth less (Muennighoff et al. 2023).",
                       subject: subject)
    }
}
