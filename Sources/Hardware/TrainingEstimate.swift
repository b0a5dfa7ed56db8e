/// Time, device-hours, energy and price of training on 6 N D FLOPs (Kaplan et al. 2020;
/// Hoffmann et al. 2022) at a model FLOP utilisation.
///
/// `seconds = 6 N D / (devices × peak_bf16 × MFU)`; power per device is `PowerModel` at
/// utilisation MFU with the prefill power factor (training is compute bound like prefill).
public struct TrainingEstimate: Equatable, Sendable {
    /// Parameters N, training tokens D, devices, MFU used.
    public let parameters: Double
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
                mfu: Double? = nil, pue: Double = 1) throws(HardwareError) {
        let mfu = mfu ?? profile.efficiency.trainingMFU.value
        guard parameters.isFinite, parameters > 0, tokens.isFinite, tokens > 0 else {
            throw .invalidWorkload("parameters and tokens must be positive and finite, found \(parameters) and \(tokens)")
        }
        guard devices >= 1 else { throw .invalidWorkload("devices must be at least 1, found \(devices)") }
        guard mfu > 0, mfu <= 1 else { throw .invalidWorkload("MFU must be in (0, 1], found \(mfu)") }
        guard pue.isFinite, pue >= 1 else { throw .invalidWorkload("PUE must be at least 1, found \(pue)") }
        guard let peak = profile.peakFLOPS(for: .bf16) else { throw .noComputePeak(profile: profile.name, precision: .bf16) }
        self.parameters = parameters
        self.tokens = tokens
        self.devices = devices
        self.mfu = mfu
        self.pue = pue
        flops = 6 * parameters * tokens
        seconds = flops / (Double(devices) * peak * mfu)
        wattsPerDevice = PowerModel.watts(profile: profile, utilisation: mfu,
                                          powerFactor: profile.efficiency.prefillPowerFactor.value)
        usdPerDeviceHour = profile.usdPerHour.value
    }

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

    /// Devices needed to train in at most `days`: ⌈6 N D / (days × 86400 × peak × MFU)⌉.
    ///
    /// - Throws: as `init`, and `.invalidWorkload` for non-positive days.
    public static func devicesNeeded(profile: HardwareProfile, parameters: Double, tokens: Double, days: Double,
                                     mfu: Double? = nil) throws(HardwareError) -> Int {
        guard days.isFinite, days > 0 else { throw .invalidWorkload("days must be positive, found \(days)") }
        let one = try TrainingEstimate(profile: profile, parameters: parameters, tokens: tokens, devices: 1, mfu: mfu)
        let needed = (one.days / days).rounded(.up)
        guard needed < Double(Int.max / 2) else { throw .invalidWorkload("more than \(Int.max / 2) devices would be needed") }
        return max(1, Int(needed))
    }
}
