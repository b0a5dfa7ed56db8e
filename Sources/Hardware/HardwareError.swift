/// Why the hardware model could not produce an answer. Each case carries the values that
/// caused it; `description` is one sentence.
public enum HardwareError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A model shape is inconsistent or not positive.
    case invalidShape(String)
    /// A workload value (batch, lengths, devices, PUE...) is out of range.
    case invalidWorkload(String)
    /// The profile lists no compute peak usable for this precision.
    case noComputePeak(profile: String, precision: Precision)
    /// Calibration could not be carried out.
    case calibration(String)

    public var description: String {
        switch self {
        case .invalidShape(let s): "invalid model shape: \(s)"
        case .invalidWorkload(let s): "invalid workload: \(s)"
        case .noComputePeak(let profile, let precision):
            "the profile '\(profile)' lists no compute peak usable for \(precision.rawValue) (nor bf16 or fp32)"
        case .calibration(let s): "cannot calibrate: \(s)"
        }
    }
}
