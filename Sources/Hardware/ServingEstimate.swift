/// Latency, throughput, energy and price of one replica serving one static batch.
///
/// Request cycle: prefill (TTFT) then O − 1 decode steps (TPOT each), so a request takes
/// `TTFT + (O − 1) TPOT` and the replica emits `B O` output tokens in that time.
/// Energy is power × time per phase × devices × PUE; per-token figures divide by output
/// tokens (the ML.ENERGY convention: J per generated token, prefill included).
public struct ServingEstimate: Equatable, Sendable {
    public let workload: ServingWorkload
    public let prefill: PhaseCost
    public let decode: PhaseCost
    public let memory: MemoryFit
    /// Power of one device in prefill and in decode, W.
    public let prefillWatts: Double
    public let decodeWatts: Double
    public let options: ServingOptions
    /// Price of one device-hour, USD.
    public let usdPerDeviceHour: Double

    /// Computes the estimate.
    ///
    /// - Throws: `HardwareError` for an invalid workload or options, or a precision the profile
    ///   cannot run. A workload that does not fit in memory is still estimated (`fits` is false).
    public init(profile: HardwareProfile, workload: ServingWorkload,
                options: ServingOptions = ServingOptions()) throws(HardwareError) {
        try options.validate()
        self.workload = workload
        self.options = options
        prefill = try Roofline.prefill(profile: profile, workload: workload)
        decode = try Roofline.decodeStep(profile: profile, workload: workload)
        memory = MemoryFit(profile: profile, workload: workload, options: options)
        prefillWatts = PowerModel.watts(profile: profile, phase: prefill)
        decodeWatts = PowerModel.watts(profile: profile, phase: decode)
        usdPerDeviceHour = profile.usdPerHour.value
    }

    /// Time to first token, s (prefill of the whole batch).
    public var ttftSeconds: Double { prefill.seconds }
    /// Time per output token after the first, s (one decode step at the mean context).
    public var tpotSeconds: Double { decode.seconds }
    /// Decode steps per request, O − 1.
    public var decodeSteps: Double { Double(workload.outputTokens - 1) }
    /// End-to-end latency of one request, TTFT + (O − 1) TPOT, s.
    public var requestSeconds: Double { ttftSeconds + decodeSteps * tpotSeconds }
    /// Output tokens per request cycle, B O.
    public var outputTokensPerCycle: Double { Double(workload.batch * workload.outputTokens) }
    /// Output tokens per second of the replica.
    public var tokensPerSecond: Double { outputTokensPerCycle / requestSeconds }
    /// Requests per second of the replica.
    public var requestsPerSecond: Double { Double(workload.batch) / requestSeconds }
    /// Output tokens per second seen by one request after the first token.
    public var tokensPerSecondPerRequest: Double { 1 / tpotSeconds }

    /// Energy of the prefill, all devices, with PUE, J.
    public var prefillJoules: Double { prefillWatts * ttftSeconds * Double(workload.devices) * options.pue }
    /// Energy of the decode steps, all devices, with PUE, J.
    public var decodeJoules: Double { decodeWatts * decodeSteps * tpotSeconds * Double(workload.devices) * options.pue }
    /// Energy per output token, prefill included, J.
    public var joulesPerToken: Double { (prefillJoules + decodeJoules) / outputTokensPerCycle }
    /// Prefill energy per prompt token, J (over every prompt token, those found in the prefix
    /// cache included).
    public var prefillJoulesPerPromptToken: Double {
        prefillJoules / Double(workload.batch * workload.promptTokens)
    }
    /// Decode energy per decode-generated token, J; nil when O = 1.
    public var decodeJoulesPerToken: Double? {
        decodeSteps > 0 ? decodeJoules / (decodeSteps * Double(workload.batch)) : nil
    }
    /// Mean power of one device over the request cycle (without PUE), W.
    public var averageWatts: Double {
        (prefillWatts * ttftSeconds + decodeWatts * decodeSteps * tpotSeconds) / requestSeconds
    }
    /// Cost per million output tokens, USD: price × devices × cycle time / tokens.
    public var usdPerMillionTokens: Double {
        usdPerDeviceHour * Double(workload.devices) * requestSeconds / 3600 / outputTokensPerCycle * 1e6
    }
    /// Emissions per million output tokens, gCO2; nil without a carbon intensity.
    public var gramsCO2PerMillionTokens: Double? {
        options.carbonIntensity.map { joulesPerToken * 1e6 / 3.6e6 * $0 }
    }
}
