/// Which roofline limit sets a phase's time.
public enum Bound: String, Sendable, Equatable {
    /// FLOPs / (efficiency × peak FLOP/s) is the larger term.
    case compute
    /// Bytes / (efficiency × peak bandwidth) is the larger term.
    case memory
}

/// The time of one forward pass (a prefill, or one decode step) on one device of a replica.
///
/// `seconds = max(flops / (ηc · peak), bytes / (ηb · BW)) + communication + overhead`.
public struct PhaseCost: Equatable, Sendable {
    /// FLOPs per device.
    public let flops: Double
    /// Bytes moved to or from device memory, per device.
    public let bytes: Double
    /// Peak FLOP/s of the math precision.
    public let peakFLOPS: Double
    /// Peak memory bandwidth, bytes/s.
    public let bandwidth: Double
    /// Compute efficiency ηc and bandwidth efficiency ηb used.
    public let computeEfficiency: Double
    public let bandwidthEfficiency: Double
    /// Tensor-parallel all-reduce time, s.
    public let communicationSeconds: Double
    /// Fixed overhead, s.
    public let overheadSeconds: Double
    /// Power factors k_c (of compute utilisation) and k_b (of bandwidth utilisation), `PowerModel`.
    public let computePowerFactor: Double
    public let bandwidthPowerFactor: Double

    /// flops / (ηc · peak), s.
    public var computeSeconds: Double { flops / (computeEfficiency * peakFLOPS) }
    /// bytes / (ηb · BW), s.
    public var memorySeconds: Double { bytes / (bandwidthEfficiency * bandwidth) }
    /// Total time of the pass, s.
    public var seconds: Double { max(computeSeconds, memorySeconds) + communicationSeconds + overheadSeconds }
    /// The binding roofline limit.
    public var bound: Bound { computeSeconds >= memorySeconds ? .compute : .memory }
    /// Achieved compute utilisation over the whole pass (overhead and communication
    /// included), flops / (t · peak), in [0, 1].
    public var computeUtilisation: Double { computeUtilisation(over: seconds) }
    /// Achieved memory-bandwidth utilisation over the whole pass, bytes / (t · BW), in [0, 1].
    public var bandwidthUtilisation: Double { bandwidthUtilisation(over: seconds) }
    /// The pass's FLOPs spread over `t` seconds (a measured time, say) as a fraction of peak,
    /// in [0, 1]; 0 for no time.
    public func computeUtilisation(over t: Double) -> Double { t > 0 ? min(1, flops / (t * peakFLOPS)) : 0 }
    /// The pass's bytes moved over `t` seconds as a fraction of peak bandwidth, in [0, 1].
    public func bandwidthUtilisation(over t: Double) -> Double { t > 0 ? min(1, bytes / (t * bandwidth)) : 0 }
    /// Achieved utilisation of the busier resource, max(computeUtilisation, bandwidthUtilisation).
    public var utilisation: Double { max(computeUtilisation, bandwidthUtilisation) }
}
