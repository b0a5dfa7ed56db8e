import Diagnostics
import ScalingLaws
import Numerics

/// Everything a plan costs and achieves, computed directly from N, D and the fleet.
public struct PlanMetrics: Sendable {
    /// Model size N, parameters.
    public let params: Double
    /// The chosen model's name when sizes are restricted to a family or a list.
    public let model: String?
    /// The architecture ("dense", "moe-64e-top2") when the scenario compares several; nil
    /// otherwise. With a mixture of experts `params` is the active parameter count.
    public let architecture: String?
    /// Every parameter of a mixture-of-experts model (what memory holds); nil for dense.
    public let totalParams: Double?
    /// Training tokens D.
    public let tokens: Double
    /// Predicted loss as served, nats per token: `trainedLoss + quantizationLoss`. The loss
    /// objective and the loss bound use it.
    public let loss: Double
    /// The loss of the model as trained in bf16, nats per token.
    public let trainedLoss: Double
    /// The loss added by serving below bf16 (`QuantizationModel`), nats per token.
    public var quantizationLoss: Double { loss - trainedLoss }
    /// The precision the fleet is held to and how the model reaches it; nil without serving.
    public let quantization: QuantizationChoice?
    /// Predicted downstream error (Gadre et al.'s law), when the law has one.
    public let downstreamError: Double?
    /// The 5% and 95% nearest-rank quantiles of the bootstrap laws' losses, when there are samples.
    public let lossLow: Double?
    public let lossHigh: Double?
    /// The loss reached with the scenario's confidence (`LossUncertainty`), when one is set; the
    /// loss objective and the loss bound use it instead of the nominal loss.
    public let lossAtConfidence: Double?

    /// Training compute 6 N D, FLOP.
    public let trainFLOPs: Double
    public let trainDevices: Int
    public let trainDays: Double
    public let trainDeviceHours: Double
    /// USD.
    public let trainCost: Double
    public let trainEnergyKWh: Double

    /// Inference compute 2 N per prompt and output token over the horizon, FLOP.
    public let inferenceFLOPs: Double
    /// USD over the horizon (the provisioned fleet, or busy device-hours for a token total).
    public let inferenceCost: Double
    public let inferenceEnergyKWh: Double
    public let fleet: Fleet
    /// Worst time to first token and per output token across the fleet, ms; nil without serving.
    public let ttftMs: Double?
    public let tpotMs: Double?
    /// Grid carbon intensity used for emissions, gCO2/kWh.
    public let carbonIntensity: Double?

    public init(params: Double, model: String? = nil, architecture: String? = nil, totalParams: Double? = nil, tokens: Double, loss: Double, trainedLoss: Double? = nil,
                quantization: QuantizationChoice? = nil, downstreamError: Double? = nil, lossLow: Double? = nil, lossHigh: Double? = nil, lossAtConfidence: Double? = nil, trainFLOPs: Double, trainDevices: Int, trainDays: Double, trainDeviceHours: Double, trainCost: Double, trainEnergyKWh: Double, inferenceFLOPs: Double, inferenceCost: Double, inferenceEnergyKWh: Double, fleet: Fleet, ttftMs: Double? = nil, tpotMs: Double? = nil, carbonIntensity: Double? = nil) {
        self.params = params
        self.model = model
        self.architecture = architecture
        self.totalParams = totalParams
        self.tokens = tokens
        self.loss = loss
        self.trainedLoss = trainedLoss ?? loss
        self.quantization = quantization
        self.downstreamError = downstreamError
        self.lossLow = lossLow
        self.lossHigh = lossHigh
        self.lossAtConfidence = lossAtConfidence
        self.trainFLOPs = trainFLOPs
        self.trainDevices = trainDevices
        self.trainDays = trainDays
        self.trainDeviceHours = trainDeviceHours
        self.trainCost = trainCost
        self.trainEnergyKWh = trainEnergyKWh
        self.inferenceFLOPs = inferenceFLOPs
        self.inferenceCost = inferenceCost
        self.inferenceEnergyKWh = inferenceEnergyKWh
        self.fleet = fleet
        self.ttftMs = ttftMs
        self.tpotMs = tpotMs
        self.carbonIntensity = carbonIntensity
    }

    public var tokensPerParam: Double { tokens / params }
    public var totalFLOPs: Double { trainFLOPs + inferenceFLOPs }
    public var totalCost: Double { trainCost + inferenceCost }
    public var totalEnergyKWh: Double { trainEnergyKWh + inferenceEnergyKWh }
    /// Lifetime emissions, tonnes CO2, when a carbon intensity is given.
    public var emissionsTonnes: Double? { carbonIntensity.map { totalEnergyKWh * $0 / 1e6 } }

    /// The value of an objective for this plan, in `objective.unit`.
    public func value(_ objective: Objective) -> Double {
        switch objective {
        case .loss: lossAtConfidence ?? loss
        case .cost: totalCost
        case .compute: totalFLOPs
        case .energy: totalEnergyKWh
        case .latency: tpotMs ?? 0
        case .trainTime: trainDays
        }
    }
}
