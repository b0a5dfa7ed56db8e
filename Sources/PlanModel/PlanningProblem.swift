import Diagnostics
import Demand
import Hardware
import Numerics
import ScalingLaws

/// How the model is trained.
public struct TrainingSetup: Sendable {
    public var hardware: HardwareProfile
    /// Model FLOP utilisation, a fraction of the bf16 dense peak.
    public var mfu: Double
    /// Price of one device-hour, USD (the profile's list price unless overridden).
    public var usdPerDeviceHour: Double
    /// Devices training in parallel; sets the wall-clock time. With `deviceChoice` it is the
    /// most that may be used.
    public var devices: Int
    /// When set, the device count is a decision: a multiple of this step (a node, say) up to
    /// `devices`; see `devicesUsed`.
    public var deviceChoice: DeviceChoice?
    /// Unique tokens available; repetition beyond them follows the data-constrained law.
    public var uniqueTokens: Double?
    /// Power usage effectiveness of the data centre (>= 1).
    public var pue: Double

    public init(hardware: HardwareProfile, mfu: Double? = nil, usdPerDeviceHour: Double? = nil, devices: Int = 1024,
                deviceChoice: DeviceChoice? = nil, uniqueTokens: Double? = nil, pue: Double = 1) {
        self.hardware = hardware
        self.mfu = mfu ?? hardware.efficiency.trainingMFU.value
        self.usdPerDeviceHour = usdPerDeviceHour ?? hardware.usdPerHour.value
        self.devices = devices
        self.deviceChoice = deviceChoice
        self.uniqueTokens = uniqueTokens
        self.pue = pue
    }
}

/// How the training device count is chosen when it is a decision.
public struct DeviceChoice: Sendable, Equatable {
    /// Devices come in multiples of this (8 for one 8-GPU node), ≥ 1.
    public var step: Int
    /// Whether training time is traded off (an objective): then every available device is used.
    public var fastest: Bool
    public init(step: Int, fastest: Bool) { self.step = step; self.fastest = fastest }
}

extension TrainingSetup {
    /// Devices a run of `deviceSeconds` device-seconds uses. A fixed count without a
    /// `deviceChoice`. With one: all `devices` when time is traded off or no day limit is
    /// set; otherwise the fewest multiple of the step that finishes within `daysMax`,
    /// ⌈deviceSeconds / (86400 daysMax step)⌉ × step, capped at `devices` (the cost is the same
    /// for any count at a fixed MFU, so the smallest allocation is the one to ask for).
    public func devicesUsed(deviceSeconds: Double, daysMax: Double?) -> Int {
        guard let choice = deviceChoice, !choice.fastest, let daysMax, deviceSeconds.isFinite, deviceSeconds > 0 else { return devices }
        let needed = deviceSeconds / (86_400 * daysMax)
        let steps = (needed / Double(choice.step) * (1 - 1e-12)).rounded(.up)
        guard steps < Double(devices) else { return devices }
        return min(devices, max(1, Int(steps)) * choice.step)
    }
}

/// A model the planner may choose when sizes are restricted to a family or a list.
public struct ModelChoice: Sendable, Equatable {
    /// "llama-3.1-8b" for a family member, "8B" for a listed size.
    public var name: String
    /// Parameters N.
    public var params: Double
    /// The shape; nil for the derived Llama-family shape of `params`.
    public var shape: ModelShape?
    public init(name: String, params: Double, shape: ModelShape? = nil) {
        self.name = name
        self.params = params
        self.shape = shape
    }
}

/// One way to serve: an accelerator at a weight precision.
///
/// The profile is held in an immutable shared box (replaced whole when set), so that copying
/// an option, and every replica spec holding one, retains one reference rather than each of
/// the profile's sourced figures: the planner copies specs by the thousand.
public struct ServingOption: Sendable, Equatable {
    private final class ProfileBox: Sendable {
        let profile: HardwareProfile
        init(_ profile: HardwareProfile) { self.profile = profile }
    }
    private var box: ProfileBox
    public var hardware: HardwareProfile {
        get { box.profile }
        set { box = ProfileBox(newValue) }
    }
    public var precision: Precision
    /// Price of one device-hour, USD.
    public var usdPerDeviceHour: Double
    /// Most devices of this type available in any month; nil for unlimited.
    public var maxDevices: Int?
    /// Fewest replicas of this option in a month it runs in (redundancy: no option serves
    /// from a lone replica), ≥ 1; 1 sets no minimum. Months without demand run none.
    public var minReplicas: Int
    /// The pricing basis of `usdPerDeviceHour`: "scenario" when the price was given here (by
    /// a scenario), else the profile's `priceBasis` ("unstated" when it has none).
    public var priceBasis: String

    public init(hardware: HardwareProfile, precision: Precision, usdPerDeviceHour: Double? = nil, maxDevices: Int? = nil,
                minReplicas: Int = 1) {
        self.box = ProfileBox(hardware)
        self.precision = precision
        self.usdPerDeviceHour = usdPerDeviceHour ?? hardware.usdPerHour.value
        self.maxDevices = maxDevices
        self.minReplicas = max(1, minReplicas)
        self.priceBasis = usdPerDeviceHour == nil ? hardware.priceBasis ?? "unstated" : "scenario"
    }

    /// The accelerator's profile name (`hardware.name`), read without copying the profile.
    public var hardwareName: String { box.profile.name }

    /// "h100-sxm/fp8".
    public var label: String { "\(box.profile.name)/\(precision.rawValue)" }

    public static func == (l: ServingOption, r: ServingOption) -> Bool {
        (l.box === r.box || l.box.profile == r.box.profile) && l.precision == r.precision && l.usdPerDeviceHour == r.usdPerDeviceHour
            && l.maxDevices == r.maxDevices && l.minReplicas == r.minReplicas && l.priceBasis == r.priceBasis
    }
}

/// What inference volume to plan for.
public enum InferenceDemand: Sendable {
    /// A monthly forecast with peaks: the fleet is sized for each month's peak.
    case forecast(DemandForecast)
    /// A lifetime total of tokens (prompt plus output) in requests of the given lengths,
    /// served by a fleet that is always busy (Sardana et al. 2024's setting).
    case totalTokens(Double, promptTokens: Int, outputTokens: Int)
}

/// How the model is served.
public struct InferenceSetup: Sendable {
    public var options: [ServingOption]
    public var demand: InferenceDemand
    public var slo: LatencySLO
    /// Fixed fractions of peak for prefill and decode instead of the roofline (Sardana et al.).
    public var fixedUtilisation: (prefill: Double, decode: Double)?
    public var pue: Double
    /// Grid carbon intensity, gCO2 per kWh, for emissions; nil to omit them.
    public var carbonIntensity: Double?
    /// Whether replicas may be pipelines (`ServingWorkload.pipelineStages`). Off by default:
    /// the pipeline model has no bubbles or per-micro-batch scheduling cost, so within an
    /// NVLink node, where engines run tensor parallelism, it would look cheaper than it is.
    public var pipelineParallel = false
    /// How serving capacity is bought (on demand by default; reservations, change costs and
    /// per-option minimums size the fleet over the whole horizon).
    public var purchasing = CapacityPurchasing.onDemand
    /// The requests' output lengths when they vary (a forecast's `output_tokens` histogram):
    /// replicas are sized with the distribution (`ServingWorkload.outputLengths`); its mean is
    /// the forecast's output tokens. nil: every request decodes the mean.
    public var outputLengths: OutputLengths?
    /// Fraction of prompt tokens found in the KV cache (prefix caching), in [0, 1): replicas
    /// compute only the rest of each prompt (`ServingWorkload.prefixCacheHitRate`), and
    /// inference FLOPs count 2N per computed token. 0 (the default) computes every token.
    public var prefixCacheHitRate = 0.0
    /// Prompt tokens every request shares (a system prompt), held once in each replica's KV
    /// cache (`ServingWorkload.sharedPrefixTokens`); below the prompt's tokens, and the hit
    /// rate is at least their share of it. 0 (the default) for none.
    public var sharedPrefixTokens = 0

    public init(options: [ServingOption], demand: InferenceDemand, slo: LatencySLO = LatencySLO(),
                fixedUtilisation: (prefill: Double, decode: Double)? = nil, pue: Double = 1, carbonIntensity: Double? = nil) {
        self.options = options
        self.demand = demand
        self.slo = slo
        self.fixedUtilisation = fixedUtilisation
        self.pue = pue
        self.carbonIntensity = carbonIntensity
    }

    /// Whether serving is modelled: false for a pure-FLOP question (a lifetime token total with
    /// no request shape and no fixed utilisation, Sardana et al.'s setting), where inference
    /// counts 2N FLOPs per token and has no fleet, cost, energy or latency.
    public var modelsServing: Bool { !options.isEmpty }

    /// Lifetime prompt and output tokens.
    public var lifetimeTokens: (prompt: Double, output: Double) {
        switch demand {
        case .forecast(let f): (f.totals.promptTokens, f.totals.outputTokens)
        case .totalTokens(let t, let p, let o): (t * Double(p) / Double(p + o), t * Double(o) / Double(p + o))
        }
    }

    /// Lifetime requests.
    public var lifetimeRequests: Double {
        switch demand {
        case .forecast(let f): f.totals.requests
        case .totalTokens(let t, let p, let o): t / Double(p + o)
        }
    }

    /// Prompt and output tokens of one request (rounded to whole tokens for the hardware model).
    public var requestShape: (prompt: Int, output: Int) {
        switch demand {
        case .forecast(let f): (max(1, Int(f.promptTokens.rounded())), max(1, Int(f.outputTokens.rounded())))
        case .totalTokens(_, let p, let o): (p, o)
        }
    }
}

/// Bounds a plan must respect. Nil means unbounded.
public struct PlanConstraints: Sendable, Equatable {
    public var lossMax: Double?
    /// Lifetime cost, USD.
    public var costMax: Double?
    /// Lifetime compute, FLOP.
    public var computeMax: Double?
    /// Lifetime energy, kWh.
    public var energyMax: Double?
    /// Training wall-clock days.
    public var trainDaysMax: Double?
    /// Time per output token, ms.
    public var latencyMax: Double?
    /// Model size range, parameters.
    public var paramsMin: Double
    public var paramsMax: Double
    /// Over-training ratio range, tokens per parameter.
    public var tokensPerParamMin: Double
    public var tokensPerParamMax: Double

    public init(lossMax: Double? = nil, costMax: Double? = nil, computeMax: Double? = nil, energyMax: Double? = nil,
                trainDaysMax: Double? = nil, latencyMax: Double? = nil, paramsMin: Double = 1e6, paramsMax: Double = 1e14,
                tokensPerParamMin: Double = 0.1, tokensPerParamMax: Double = 1e5) {
        self.lossMax = lossMax
        self.costMax = costMax
        self.computeMax = computeMax
        self.energyMax = energyMax
        self.trainDaysMax = trainDaysMax
        self.latencyMax = latencyMax
        self.paramsMin = paramsMin
        self.paramsMax = paramsMax
        self.tokensPerParamMin = tokensPerParamMin
        self.tokensPerParamMax = tokensPerParamMax
    }

    /// The upper bound on an objective, if any.
    public func bound(on objective: Objective) -> Double? {
        switch objective {
        case .loss: lossMax
        case .cost: costMax
        case .compute: computeMax
        case .energy: energyMax
        case .trainTime: trainDaysMax
        case .latency: latencyMax
        }
    }

    /// A copy with `objective` bounded by `value` (the tighter of the two if already bounded).
    public func tightened(_ objective: Objective, to value: Double) -> PlanConstraints {
        setting(objective, to: bound(on: objective).map { min($0, value) } ?? value)
    }

    /// A copy with the bound on `objective` replaced (nil removes it).
    public func setting(_ objective: Objective, to value: Double?) -> PlanConstraints {
        var c = self
        switch objective {
        case .loss: c.lossMax = value
        case .cost: c.costMax = value
        case .compute: c.computeMax = value
        case .energy: c.energyMax = value
        case .trainTime: c.trainDaysMax = value
        case .latency: c.latencyMax = value
        }
        return c
    }
}

/// A whole planning question: law, training, serving, objectives and constraints.
public struct PlanningProblem: Sendable {
    public var name: String
    public var law: ScalingLaw
    public var training: TrainingSetup
    public var inference: InferenceSetup?
    /// Objectives in priority order; the first is the primary one.
    public var objectives: [Objective]
    public var constraints: PlanConstraints
    /// Points on the frontier.
    public var frontierPoints: Int
    /// The model sizes allowed, by increasing N; nil for any size in the search range.
    public var modelChoices: [ModelChoice]?
    /// Bootstrap laws for loss bands and a confidence level for the loss bound; nil without.
    public var lossUncertainty: LossUncertainty?
    /// The range of sizes and tokens the law was fitted on, when known: plans outside it are
    /// extrapolations and say so (`PlanWarnings`).
    public var fittedRange: FittedRange?
    /// How the serving precision changes the loss (Kumar et al. 2024's laws unless stated): the
    /// loss a plan promises, and the loss its bounds bind, is the served loss.
    public var quantization: QuantizationModel
    /// The precision and method every replica is held to, when fixed: the planner solves one
    /// problem per choice the options allow (`QuantizationModel.choices`) and sets it on each;
    /// nil takes the fleet's worst precision, rounded after training.
    public var servingQuantization: QuantizationChoice?
    /// The architecture this problem plans, when it was chosen among several
    /// (`restricted(to:)`); nil for the scenario's dense law alone.
    public var architecture: ArchitectureOption?
    /// Architectures to compare (`search.architecture`), each solved on its own with its
    /// law slice; the best plan wins. Empty: the problem's law, dense.
    public var architectureOptions: [ArchitectureOption] = []

    public init(name: String, law: ScalingLaw, training: TrainingSetup, inference: InferenceSetup?,
                objectives: [Objective], constraints: PlanConstraints, frontierPoints: Int = 20,
                modelChoices: [ModelChoice]? = nil, lossUncertainty: LossUncertainty? = nil, fittedRange: FittedRange? = nil,
                quantization: QuantizationModel = .kumar2024, servingQuantization: QuantizationChoice? = nil) {
        self.name = name
        self.law = law
        self.training = training
        self.inference = inference
        self.objectives = objectives
        self.constraints = constraints
        self.frontierPoints = frontierPoints
        self.modelChoices = modelChoices
        self.lossUncertainty = lossUncertainty
        self.fittedRange = fittedRange
        self.quantization = quantization
        self.servingQuantization = servingQuantization
    }

    /// The allowed model whose size is `params` (to 1e-9 relative), if sizes are restricted.
    public func modelChoice(params: Double) -> ModelChoice? {
        modelChoices?.first { abs($0.params - params) <= 1e-9 * $0.params }
    }
}

extension PlanningProblem {
    /// The quantisation a plan serving with `fleet` uses: the fixed choice, else the worst
    /// precision among the fleet's replicas, rounded after training; nil without serving.
    public func quantizationChoice(fleet: Fleet) -> QuantizationChoice? {
        if let servingQuantization { return servingQuantization }
        return worstChoice(fleet.assignments.map(\.replica.option.precision))
    }

    /// The quantisation the solver's loss assumes: the fixed choice, else the worst serving
    /// option's (every fleet then promises at most that loss); nil without serving.
    public var solverQuantization: QuantizationChoice? {
        if let servingQuantization { return servingQuantization }
        return worstChoice(inference?.options.map(\.precision) ?? [])
    }

    private func worstChoice(_ precisions: [Precision]) -> QuantizationChoice? {
        guard var worst = precisions.first else { return nil }
        for p in precisions.dropFirst() where !quantization.isNoWorse(p, than: worst) { worst = p }
        return QuantizationChoice(precision: worst, method: .postTraining)
    }

    /// The problem restricted to one quantisation choice: options no worse than its precision,
    /// the served loss at that precision and method.
    public func restricted(to choice: QuantizationChoice) -> PlanningProblem {
        var p = self
        p.servingQuantization = choice
        if var inf = p.inference {
            inf.options = inf.options.filter { quantization.isNoWorse($0.precision, than: choice.precision) }
            p.inference = inf
        }
        return p
    }

    /// The quantisation choices the planner solves separately: more than one when the options
    /// span precisions whose served losses differ (or quantisation-aware training is allowed);
    /// empty when one problem covers them all.
    public var quantizationChoices: [QuantizationChoice] {
        guard servingQuantization == nil, let inf = inference, quantization != .free else { return [] }
        let choices = quantization.choices(for: inf.options.map(\.precision))
        return choices.count > 1 || choices.contains(where: { $0.method == .quantizationAware && QuantizationModel.isQuantized($0.precision) }) ? choices : []
    }
}
