/// One measured serving run, used to calibrate a profile.
///
/// At least one of the measured values is present. `powerWatts` is the mean board power of
/// one device over the request cycle (prefill plus decode); `joulesPerToken` is device energy
/// (all devices, no PUE) per output token, prefill included (the ML.ENERGY convention).
public struct ServingMeasurement: Equatable, Sendable {
    public var workload: ServingWorkload
    /// Measured time to first token, s.
    public var ttftSeconds: Double?
    /// Measured time per output token, s.
    public var tpotSeconds: Double?
    /// Measured mean power per device, W.
    public var powerWatts: Double?
    /// Measured energy per output token, J.
    public var joulesPerToken: Double?
    /// Where the row came from ("file.csv:3"), for reports.
    public var label: String

    public init(workload: ServingWorkload, ttftSeconds: Double? = nil, tpotSeconds: Double? = nil,
                powerWatts: Double? = nil, joulesPerToken: Double? = nil, label: String = "") {
        self.workload = workload
        self.ttftSeconds = ttftSeconds
        self.tpotSeconds = tpotSeconds
        self.powerWatts = powerWatts
        self.joulesPerToken = joulesPerToken
        self.label = label
    }

    /// The measured quantities and their values in SI units (s, W, J).
    public var measured: [(quantity: MeasuredQuantity, value: Double)] {
        var out: [(MeasuredQuantity, Double)] = []
        if let v = ttftSeconds { out.append((.ttft, v)) }
        if let v = tpotSeconds { out.append((.tpot, v)) }
        if let v = powerWatts { out.append((.power, v)) }
        if let v = joulesPerToken { out.append((.joulesPerToken, v)) }
        return out
    }
}

/// A quantity that can be measured and predicted.
public enum MeasuredQuantity: String, CaseIterable, Sendable {
    case ttft = "ttft_s", tpot = "tpot_s", power = "power_w", joulesPerToken = "joules_per_token"

    /// The model's prediction of this quantity.
    public func predicted(by e: ServingEstimate) -> Double {
        switch self {
        case .ttft: e.ttftSeconds
        case .tpot: e.tpotSeconds
        case .power: e.averageWatts
        case .joulesPerToken: e.joulesPerToken / e.options.pue
        }
    }
}
