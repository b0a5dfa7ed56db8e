/// Time, device-hours, energy and price of training on 6 N D FLOPs (Kaplan et al. 2020;
/// Hoffmann et al. 2022) at a model FLOP utilisation.
///
/// `seconds = 6 N D / (devices × peak_bf16 × MFU)`; power per device is
/// `PowerModel.trainingWatts`, idle + (TDP − idle) min(1, k_t × MFU) with the training power
/// factor k_t (no byte count of a training step is modelled).
///
/// A mixture-of-experts shape trains on 6 N_act D, N_act its active parameters (attention,
/// router, shared and k of E routed experts, embeddings: `ModelShape.activeParameterCount`
/// scaled to N), while its training state holds every parameter: 16 bytes each with mixed
/// precision Adam (bf16 weights and gradients, fp32 master weights and two moments;
/// Rajbhandari et al. 2020, ZeRO, section 3.1), activations not counted
/// (`trainingStateBytes`, `minimumDevicesForState`). Without a given MFU it trains at
/// `mixtureOfExpertsMFU`.
public struct TrainingEstimate: Equatable, Sendable {
    /// Parameters N (all of them, every expert), training tokens D, devices, MFU used.
    public let parameters: Double
    /// Parameters one token runs (N for a dense model): what the FLOPs count.
    public let activeParameters: Double
    public let tokens: Double
    public let devices: Int
    public let mfu: Double
    /// Training FLOPs, 6 N D.
    public let flops: Double
    /// Wall-clock time, s.
    public let seconds: Double
    /// Power per device, W.
    public let wattsPerDevice: Double
    /// Facility PUE applied to the energy.
    public let pue: Double
    /// Price of one device-hour, USD.
    public let usdPerDeviceHour: Double

    /// - Parameters: `mfu` defaults to the profile's `trainingMFU`.
    /// - Throws: `HardwareError.invalidWorkload` for non-positive N, D, devices or MFU outside
    ///   (0, 1], PUE < 1; `.noComputePeak` when the profile has neither bf16 nor fp32 peaks.
    public init(profile: HardwareProfile, parameters: Double, tokens: Double, devices: Int,
                mfu: Double? = nil, pue: Double = 1, shape: ModelShape? = nil) throws(HardwareError) {
        let moe = shape?.isMixtureOfExperts == true
        let mfu = mfu ?? (moe ? Self.mixtureOfExpertsMFU.value : profile.efficiency.trainingMFU.value)
        guard parameters.isFinite, parameters > 0, tokens.isFinite, tokens > 0 else {
            throw .invalidWorkload("parameters and tokens must be positive and finite, found \(parameters) and \(tokens)")
        }
        guard devices >= 1 else { throw .invalidWorkload("devices must be at least 1, found \(devices)") }
        guard mfu > 0, mfu <= 1 else { throw .invalidWorkload("MFU must be in (0, 1], found \(mfu)") }
        guard pue.isFinite, pue >= 1 else { throw .invalidWorkload("PUE must be at least 1, found \(pue)") }
        guard let peak = profile.peakFLOPS(for: .bf16) else { throw .noComputePeak(profile: profile.name, precision: .bf16) }
        self.parameters = parameters
        activeParameters = shape.map { parameters * $0.activeParameterCount / $0.parameterCount } ?? parameters
        self.tokens = tokens
        self.devices = devices
        self.mfu = mfu
        self.pue = pue
        memoryBytes = profile.memoryBytes
        flops = 6 * activeParameters * tokens
        seconds = flops / (Double(devices) * peak * mfu)
        wattsPerDevice = PowerModel.trainingWatts(profile: profile, mfu: mfu)
        usdPerDeviceHour = profile.usdPerHour.value
    }

    /// Device memory of the profile, bytes.
    let memoryBytes: Double

    /// The MFU a mixture-of-experts model trains at by default, 0.34 of the bf16 dense peak:
    /// DeepSeek-V3's pre-training, 6 × 37B active × 14.8T tokens = 3.29e24 FLOPs in 2.664M
    /// H800 GPU-hours, is 343 TFLOP/s per GPU against H800's 989 (DeepSeek-V3 Technical
    /// Report, arXiv:2412.19437, Table 1 and section 4.2; it computed in FP8, so this is
    /// the utilisation of the bf16 peak, not of the FP8 one). Dense models keep the profile's.
    public static let mixtureOfExpertsMFU = SourcedValue(
        0.34, source: "DeepSeek-V3 Technical Report (arXiv:2412.19437): 6 x 37B active x 14.8T tokens in 2.664M H800 GPU-hours = 343 TFLOP/s of 989 bf16")

    /// Bytes of training state for every parameter, 16 per parameter (mixed-precision Adam).
    public var trainingStateBytes: Double { 16 * parameters }

    /// Devices whose memory holds the training state sharded over them (ZeRO stage 3),
    /// ⌈16 N / memory⌉; activations need more.
    public var minimumDevicesForState: Int { max(1, Int((trainingStateBytes / memoryBytes).rounded(.up))) }

    /// Wall-clock days.
    public var days: Double { seconds / 86_400 }
    /// Device-hours (GPU-hours).
    public var deviceHours: Double { seconds * Double(devices) / 3600 }
    /// Energy, J (with PUE).
    public var joules: Double { wattsPerDevice * Double(devices) * seconds * pue }
    /// Energy, MWh.
    public var megawattHours: Double { joules / 3.6e9 }
    /// Price, USD.
    public var usd: Double { deviceHours * usdPerDeviceHour }

    /// Devices needed to train in at most `days`: ⌈6 N_act D / (days × 86400 × peak × MFU)⌉.
    ///
    /// - Throws: as `init`, and `.invalidWorkload` for non-positive days.
    public static func devicesNeeded(profile: HardwareProfile, parameters: Double, tokens: Double, days: Double,
                                     mfu: Double? = nil, shape: ModelShape? = nil) throws(HardwareError) -> Int {
        guard days.isFinite, days > 0 else { throw .invalidWorkload("days must be positive, found \(days)") }
        let one = try TrainingEstimate(profile: profile, parameters: parameters, tokens: tokens, devices: 1, mfu: mfu, shape: shape)
        let needed = (one.days / days).rounded(.up)
        guard needed < Double(Int.max / 2) else { throw .invalidWorkload("more than \(Int.max / 2) devices would be needed") }
        return max(1, Int(needed))
    }
}
