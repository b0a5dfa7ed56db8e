import Diagnostics
import Hardware
import Numerics
import ScalingLaws

/// A downscaling question: which small model, trained on how many tokens, matches a reference
/// model's quality while running within a deployment's limits (a device's memory, latency,
/// energy and price per token)?
public struct DownscaleProblem: Sendable {
    /// What the small model should match.
    public enum Reference: Sendable, Equatable {
        /// A model of N parameters trained compute-optimally under the law.
        case params(Double)
        /// A model of N parameters trained on D tokens.
        case trained(params: Double, tokens: Double)
        /// A target loss, reached by the compute-optimal model for it.
        case loss(Double)
    }

    /// Which model sizes are considered.
    public enum Sizes: Sendable, Equatable {
        /// Llama-derived shapes at any size from `min` up to the reference size.
        case derived(min: Double)
        /// Only these models (family members or listed sizes).
        case choices([ModelChoice])
    }

    public var name: String
    public var law: ScalingLaw
    /// Training hardware, MFU and price; `uniqueTokens` limits data (data-constrained law).
    public var training: TrainingSetup
    public var reference: Reference
    /// Where the reference model would be served (for the break-even volume).
    public var referenceServing: ServingOption
    /// The reference's published name and shape (`reference: {model: NAME}`); nil for the
    /// derived Llama-family shape of its size.
    public var referenceModel: ModelChoice?
    /// Devices the small model may run on (one device per replica).
    public var devices: [HardwareProfile]
    public var precisions: [Precision]
    /// A cap on the memory the model may use per device, bytes (below the device's own).
    public var memoryCapBytes: Double?
    /// Requests served together on one device.
    public var batch: Int
    public var promptTokens: Int
    public var outputTokens: Int
    public var slo: LatencySLO
    /// Caps on energy per output token (J) and price per million output tokens (USD).
    public var joulesPerTokenMax: Double?
    public var usdPerMillionTokensMax: Double?
    public var sizes: Sizes
    /// The most training tokens per parameter considered (over-training limit).
    public var tokensPerParamMax: Double
    /// How serving below bf16 changes the loss (Kumar et al. 2024's laws unless stated).
    public var quantization: QuantizationModel
    /// Points on the size / loss / extra-compute frontier.
    public var frontierPoints: Int
    /// The range the law was fitted on, when known (for extrapolation warnings).
    public var fittedRange: FittedRange?
    /// Mixture-of-experts architectures to downscale to besides dense models of `law`, each
    /// with its own law slice and shapes (`ArchitectureOption`); empty for dense alone.
    public var architectures: [ArchitectureOption] = []
    /// Fraction of prompt tokens found in the KV cache (prefix caching) on every device,
    /// the reference's included (`ServingWorkload.prefixCacheHitRate`); 0 by default.
    public var prefixCacheHitRate = 0.0
    /// Prompt tokens every request shares, held once in each device's KV cache, the
    /// reference's included (`ServingWorkload.sharedPrefixTokens`); 0 by default.
    public var sharedPrefixTokens = 0

    public init(name: String, law: ScalingLaw, training: TrainingSetup, reference: Reference, referenceServing: ServingOption,
                devices: [HardwareProfile], precisions: [Precision], memoryCapBytes: Double? = nil, batch: Int = 1,
                promptTokens: Int, outputTokens: Int, slo: LatencySLO = LatencySLO(), joulesPerTokenMax: Double? = nil,
                usdPerMillionTokensMax: Double? = nil, sizes: Sizes = .derived(min: 1e7), tokensPerParamMax: Double = 10_000,
                quantization: QuantizationModel = .kumar2024, frontierPoints: Int = 20, fittedRange: FittedRange? = nil,
                referenceModel: ModelChoice? = nil) {
        self.name = name
        self.referenceModel = referenceModel
        self.law = law
        self.training = training
        self.reference = reference
        self.referenceServing = referenceServing
        self.devices = devices
        self.precisions = precisions
        self.memoryCapBytes = memoryCapBytes
        self.batch = batch
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
        self.slo = slo
        self.joulesPerTokenMax = joulesPerTokenMax
        self.usdPerMillionTokensMax = usdPerMillionTokensMax
        self.sizes = sizes
        self.tokensPerParamMax = tokensPerParamMax
        self.quantization = quantization
        self.frontierPoints = frontierPoints
        self.fittedRange = fittedRange
    }
}

/// One small model deployed on one device at one precision, and what it takes to train it.
public struct DownscalePlan: Sendable {
    /// Parameters N (active parameters for a mixture of experts).
    public let params: Double
    /// The architecture's label when the question compares several ("moe-16e-top1"); nil for dense.
    public var architecture: String?
    /// Every parameter of a mixture-of-experts candidate (what memory holds); nil for dense.
    public var totalParams: Double?
    /// Family member or listed size, when sizes are restricted.
    public let model: String?
    public let shape: ModelShape
    public let device: HardwareProfile
    public let precision: Precision
    /// How the model reaches `precision`: rounded after training or trained at it.
    public let method: QuantizationMethod
    /// Training tokens: enough to reach the reference loss, or the most allowed.
    public let tokens: Double
    public var tokensPerParam: Double { tokens / params }
    /// Loss of the model trained in bf16, and as served (plus the precision's quantisation loss).
    public let trainedLoss: Double
    public let loss: Double
    /// The loss serving at `precision` adds, nats per token.
    public var quantizationLoss: Double { loss - trainedLoss }
    /// Whether the served loss reaches the reference's.
    public let reachesReference: Bool
    /// Why not, when it does not.
    public let limit: String?
    /// The serving estimate on the device (memory, TTFT, TPOT, J and USD per token).
    public let serving: ServingEstimate
    /// Training compute 6ND, FLOP, and its difference from the reference's.
    public let trainFLOPs: Double
    public let extraTrainFLOPs: Double
    /// Training cost (USD) and energy (kWh), and their differences from the reference's.
    public let trainCost: Double
    public let extraTrainCost: Double
    public let trainEnergyKWh: Double
    public let extraTrainEnergyKWh: Double
    /// USD per output token served on the device.
    public let usdPerToken: Double
    /// Output tokens served after which this plan's training plus serving cost is below the
    /// reference's; 0 when it is cheaper from the start; nil when it never is.
    public let breakEvenTokens: Double?

    public init(params: Double, model: String? = nil, shape: ModelShape, device: HardwareProfile, precision: Precision,
                method: QuantizationMethod = .postTraining, tokens: Double, trainedLoss: Double, loss: Double, reachesReference: Bool, limit: String? = nil, serving: ServingEstimate, trainFLOPs: Double, extraTrainFLOPs: Double, trainCost: Double, extraTrainCost: Double, trainEnergyKWh: Double, extraTrainEnergyKWh: Double, usdPerToken: Double, breakEvenTokens: Double? = nil) {
        self.params = params
        self.model = model
        self.shape = shape
        self.device = device
        self.precision = precision
        self.method = method
        self.tokens = tokens
        self.trainedLoss = trainedLoss
        self.loss = loss
        self.reachesReference = reachesReference
        self.limit = limit
        self.serving = serving
        self.trainFLOPs = trainFLOPs
        self.extraTrainFLOPs = extraTrainFLOPs
        self.trainCost = trainCost
        self.extraTrainCost = extraTrainCost
        self.trainEnergyKWh = trainEnergyKWh
        self.extraTrainEnergyKWh = extraTrainEnergyKWh
        self.usdPerToken = usdPerToken
        self.breakEvenTokens = breakEvenTokens
    }
}

/// The reference model: its size, data, loss, training and serving cost.
public struct DownscaleReference: Sendable {
    /// The published model's name, when the reference is one.
    public var model: String? = nil
    public let params: Double
    public let tokens: Double
    public let loss: Double
    public let trainFLOPs: Double
    public let trainCost: Double
    public let trainEnergyKWh: Double
    /// USD per output token on its serving hardware at the largest batch meeting the SLO; nil
    /// when it cannot be served there.
    public let usdPerToken: Double?

    public init(params: Double, tokens: Double, loss: Double, trainFLOPs: Double, trainCost: Double, trainEnergyKWh: Double, usdPerToken: Double? = nil) {
        self.params = params
        self.tokens = tokens
        self.loss = loss
        self.trainFLOPs = trainFLOPs
        self.trainCost = trainCost
        self.trainEnergyKWh = trainEnergyKWh
        self.usdPerToken = usdPerToken
    }
}

/// The answer to a downscaling question.
public struct DownscaleOutcome: Sendable {
    public let reference: DownscaleReference
    /// The best plan: lowest served loss, then least extra training compute; nil when no model
    /// runs within the limits.
    public let best: DownscalePlan?
    /// By increasing size: the best device and precision for each size considered, with its loss
    /// and extra training compute (the trade-off between size, loss and compute).
    public let frontier: [DownscalePlan]
    /// Why there is no plan, when there is none.
    public let reason: String?
    /// Where the answer rests on weak ground: the law extrapolated for the best plan or the
    /// reference, data repeated.
    public let warnings: [Warning]

    public init(reference: DownscaleReference, best: DownscalePlan? = nil, frontier: [DownscalePlan], reason: String? = nil,
                warnings: [Warning] = []) {
        self.reference = reference
        self.best = best
        self.frontier = frontier
        self.reason = reason
        self.warnings = warnings
    }
}
