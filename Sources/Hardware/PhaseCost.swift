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
    /// Power factor k of this phase.
    public let powerFactor: Double

    /// flops / (ηc · peak), s.
    public var computeSeconds: Double { flops / (computeEfficiency * peakFLOPS) }
    /// bytes / (ηb · BW), s.
    public var memorySeconds: Double { bytes / (bandwidthEfficiency * bandwidth) }
    /// Total time of the pass, s.
    public var seconds: Double { max(computeSeconds, memorySeconds) + communicationSeconds + overheadSeconds }
    /// The binding roofline limit.
    public var bound: Bound { computeSeconds >= memorySeconds ? .compute : .memory }
    /// Achieved utilisation of the busier resource over the whole pass,
    /// max(flops / (t · peak), bytes / (t · BW)), in [0, 1].
    public var utilisation: Double {
        let t = seconds
        guard t > 0 else { return 0 }
        return min(1, max(flops / (t * peakFLOPS), bytes / (t * bandwidth)))
    }
}
