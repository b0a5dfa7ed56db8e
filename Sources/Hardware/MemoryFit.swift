/// Device memory needed by one replica, per device, under tensor parallelism over k devices.
///
/// Per device: weights N·b / k; KV cache B × 2 ⌈kvHeads / k⌉ headDim × b_kv × (L_global (P + O)
/// + L_local min(P + O, window)) (KV heads are split across devices and replicated when
/// k > kvHeads; a prefix every request shares, `ServingWorkload.sharedPrefixTokens`, is held
/// once and each sequence holds the rest); activations
/// T (4 d + 3 f) × 2 bytes / k, one layer's bf16 intermediates for the T = min(B P, chunk)
/// tokens of the largest prefill pass (`ServingWorkload.prefillChunk`), plus B V × 4 bytes
/// of fp32 logits. The budget is capacity × `usableMemoryFraction`.
///
/// A mixture-of-experts model holds every expert (`ModelShape.parameterCount`), 1 / devices of
/// them per device. With data-parallel attention G (`ServingWorkload.attentionDataParallel`)
/// a device holds 1 / (devices / G) of the other weights (its attention group's copy) and the
/// KV cache of its group's B / G sequences (`ServingWorkload.weightBytesPerDevice`,
/// `kvSharePerDevice`).
public struct MemoryFit: Equatable, Sendable {
    /// Weight bytes per device.
    public let weightBytes: Double
    /// KV-cache bytes per device at the full context of the whole batch.
    public let kvCacheBytes: Double
    /// Activation and logits workspace per device.
    public let activationBytes: Double
    /// Usable bytes per device.
    public let usableBytes: Double
    /// KV-cache bytes per token of context, per device (the mean over a full-context sequence
    /// when some layers use a sliding window, beyond a shared prefix when there is one).
    public let kvBytesPerToken: Double

    /// KV-cache bytes per device of the prefix every request shares, held once (0 without one).
    public let sharedPrefixBytes: Double
    /// KV-cache bytes per device of one full-context sequence beyond the shared prefix.
    let unsharedBytesPerSequence: Double
    /// Data-parallel attention groups (each holds its own sequences); 1 otherwise.
    let groups: Double

    /// The most full-context sequences whose KV cache fits beside the weights, the activations
    /// at this batch and the shared prefix: an upper bound on the batch that fits (activations
    /// only grow with the batch), counting every attention group's sequences.
    public var maxFullContextSequences: Int {
        let free = usableBytes - weightBytes - activationBytes - sharedPrefixBytes
        guard free > 0, unsharedBytesPerSequence > 0 else { return free > 0 ? Int.max / 2 : 0 }
        return Int(min(Double(Int.max / 2), (free / unsharedBytesPerSequence * groups).rounded(.down)))
    }

    /// Total bytes per device.
    public var requiredBytes: Double { weightBytes + kvCacheBytes + activationBytes }
    /// Whether the replica fits.
    public var fits: Bool { requiredBytes <= usableBytes }
    /// Tokens of KV cache (summed over the batch, beyond a shared prefix) that fit beside
    /// weights, activations and the shared prefix's cache; 0 when even those do not fit.
    public var maxKVTokens: Int {
        let free = usableBytes - weightBytes - activationBytes - sharedPrefixBytes
        return free <= 0 ? 0 : Int((free / kvBytesPerToken).rounded(.down))
    }

    public init(profile: HardwareProfile, workload w: ServingWorkload, options: ServingOptions = ServingOptions()) {
        let k = Double(w.devices)
        let s = w.shape
        // Per sequence at full context: every global layer holds the whole context, a
        // sliding-window layer its window (ModelShape.kvCacheBytes); per device, the KV heads
        // are split over the k devices (replicated when k > kvHeads).
        // A prefix every request shares is held once, beside each sequence's other positions.
        let groups = Double(max(w.attentionDataParallel, 1))
        let context = Double(w.contextTokens)
        let perSequence = w.unsharedKVBytesPerDevice(context: context)
        kvBytesPerToken = perSequence / context
        sharedPrefixBytes = w.sharedPrefixKVBytesPerDevice
        unsharedBytesPerSequence = perSequence
        self.groups = groups
        weightBytes = w.weightBytesPerDevice
        kvCacheBytes = Double(w.batch) / groups * perSequence + sharedPrefixBytes
        activationBytes = Double(w.prefillChunk) * Double(4 * s.hidden + 3 * s.intermediate) * 2 / k
            + Double(w.batch) / groups * Double(s.vocabulary) * 4
        usableBytes = profile.memoryBytes * options.usableMemoryFraction
    }

    /// The fraction of a sequence's KV cache one of `devices` tensor-parallel devices holds,
    /// ⌈kvHeads / k⌉ / kvHeads (heads are split, and replicated when k > kvHeads).
    /// Latent attention's cache is one vector per position, not split by head: each device
    /// holds all of it (share 1).
    public static func kvShare(shape s: ModelShape, devices: Int) -> Double {
        if s.latentAttention != nil || devices <= 1 { return 1 }
        return Double((s.kvHeads + devices - 1) / devices) / Double(s.kvHeads)
    }

    /// The smallest device count in 1, 2, 4, ..., `maxDevices` at which the workload fits, or
    /// nil: tensor-parallel, or, when the workload uses expert parallelism or data-parallel
    /// attention, those over all of them (K = devices, at most the expert count; G = devices).
    public static func smallestFittingDevices(profile: HardwareProfile, workload: ServingWorkload,
                                              options: ServingOptions = ServingOptions(), maxDevices: Int = 64) -> Int? {
        var k = 1
        while k <= maxDevices {
            var w = workload
            w.devices = k
            // Expert parallelism and data-parallel attention over every device, as given.
            if workload.expertParallel > 1 { w.expertParallel = min(k, workload.shape.experts?.experts ?? 1) }
            if workload.attentionDataParallel > 1 { w.attentionDataParallel = k }
            // Pipeline stages hold as much per device as tensor parallelism does: searched as that.
            w.pipelineStages = 1
            if k % w.expertParallel != 0 { return nil }
            if MemoryFit(profile: profile, workload: w, options: options).fits { return k }
            k *= 2
        }
        return nil
    }
}
