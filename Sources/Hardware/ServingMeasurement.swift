/// One measured serving run, used to calibrate a profile.
///
/// At least one of the measured values is present. `powerWatts` is the mean board power of
/// one device over the request cycle (prefill plus decode); `joulesPerToken` is device energy
/// (all devices, no PUE) per output token, prefill included (the ML.ENERGY convention).
/// `batching` says how the run batched its requests, and so which model predicts it: a static
/// batch of `workload.batch` sequences (`ServingEstimate`), or a closed loop of that many
/// clients on a continuous-batching engine (`ClosedLoopServing`).
public struct ServingMeasurement: Equatable, Sendable {
    public var workload: ServingWorkload
    public var batching: MeasuredBatching
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
    /// The arrival rate of an open-loop run (`MeasuredBatching.openLoop`), requests per second.
    public var requestsPerSecond: Double?

    public init(workload: ServingWorkload, batching: MeasuredBatching = .static, ttftSeconds: Double? = nil, tpotSeconds: Double? = nil,
                powerWatts: Double? = nil, joulesPerToken: Double? = nil, label: String = "", requestsPerSecond: Double? = nil) {
        self.workload = workload
        self.requestsPerSecond = requestsPerSecond
        self.batching = batching
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

/// How a measured run batched its requests.
public enum MeasuredBatching: String, CaseIterable, Sendable {
    /// A static batch: B sequences prefilled together and decoded in lockstep (TensorRT-LLM's
    /// gptSessionBenchmark, vLLM's benchmark_latency, a single stream).
    case `static`
    /// A closed loop of B clients, each sending its next request when the last completes, on a
    /// continuous-batching engine (AIPerf, vLLM's benchmark_serving at a max concurrency).
    case closedLoop = "closed-loop"
    /// Poisson arrivals at a measured rate (`ServingMeasurement.requestsPerSecond`) on a
    /// continuous-batching engine running at most B sequences (vLLM's benchmark_serving at a
    /// request rate): `OpenLoopServing`, the planner's steady state at the running batch the
    /// rate and the measured TPOT give.
    case openLoop = "open-loop"
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

    /// The open-loop model's prediction of this quantity.
    public func predicted(by o: OpenLoopServing) -> Double {
        switch self {
        case .ttft: o.ttftSeconds
        case .tpot: o.tpotSeconds
        case .power: o.watts
        case .joulesPerToken: o.joulesPerToken / o.steadyState.options.pue
        }
    }

    /// The closed-loop model's prediction of this quantity.
    public func predicted(by c: ClosedLoopServing) -> Double {
        switch self {
        case .ttft: c.ttftSeconds
        case .tpot: c.tpotSeconds
        case .power: c.watts
        case .joulesPerToken: c.joulesPerToken / c.options.pue
        }
    }
}
