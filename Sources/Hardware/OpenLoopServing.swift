import Diagnostics
import Foundation

/// A measured open-loop run seen through the planner's own serving model: requests arrived as
/// a Poisson stream at a rate λ whatever the engine did (vLLM's `benchmark_serving
/// --request-rate`, whose arrivals are a Poisson process unless told otherwise), on an engine
/// running at most `workload.batch` sequences (its `max_num_seqs`). The measurement files'
/// `batching: open-loop` rows hold such runs.
///
/// The run's mean running batch follows from what was measured, not from the factors: by
/// Little's law a request holds a sequence for its O − 1 decode steps, so n = λ (O − 1) TPOT
/// with the measured mean TPOT. The run is then `SteadyStateServing` at n: its mean TPOT is
/// the mean engine step over K ~ Poisson(n / (O − 1)) prompts a step (`decodeSteps`), and its
/// mean TTFT the waits (for a slot, for prefill budget, the rest of the step under way;
/// `waitSeconds`) plus ⌈P / (budget − n)⌉ steps that hold the prompt (`firstTokenSteps`).
/// Whether those waits are finite does not depend on the efficiency factors (the loads count
/// steps and KV slots, not seconds), so a run the model cannot describe is refused whatever
/// the factors.
public struct OpenLoopServing: Equatable, Sendable {
    /// The measured arrival rate, requests per second.
    public let requestsPerSecond: Double
    /// The steady state at the run's mean running batch.
    public let steadyState: SteadyStateServing
    /// The steps of a request's decode, weights summing to 1 (the distribution over K).
    public let decodeSteps: [ClosedLoopServing.Step]
    /// The steps that prefill a request's prompt, weights summing to ⌈P / (budget − n)⌉.
    public let firstTokenSteps: [ClosedLoopServing.Step]
    /// The parts of the mean TTFT that are waits, s: for a slot, for prefill budget, and the
    /// rest of the step under way when the request arrives.
    public let waitSeconds: Double

    /// The arrival rates a row may state, requests per second: 1e-6 to 1e6.
    public static let acceptedRates = 1e-6...1e6

    /// The mean running batch of a run at `requestsPerSecond` with a mean TPOT of
    /// `tpotSeconds`, by Little's law: λ (O − 1) TPOT.
    public static func runningBatch(_ w: ServingWorkload, requestsPerSecond rate: Double, tpotSeconds tpot: Double) -> Double {
        rate * w.meanDecodeSteps * tpot
    }

    /// Checks what a measured open loop needs beyond a valid workload: at least 2 output tokens
    /// (the steady state interleaves decode steps; a request of one token has none), and a
    /// running batch (`runningBatch`) within the engine's `max_num_seqs` (the workload's batch)
    /// and below a step's token budget.
    ///
    /// - Throws: `HardwareError.invalidWorkload` naming the condition that fails.
    public static func validate(_ w: ServingWorkload, requestsPerSecond rate: Double, tpotSeconds tpot: Double) throws(HardwareError) {
        guard w.outputTokens >= 2 else {
            throw .invalidWorkload("an open loop needs at least 2 output tokens, found \(w.outputTokens)")
        }
        let n = runningBatch(w, requestsPerSecond: rate, tpotSeconds: tpot)
        let most = min(Double(w.batch), Double(w.prefillChunkTokens - 1))
        guard n <= most else {
            throw .invalidWorkload("\(NumberText.short(rate)) requests/s at a TPOT of \(NumberText.short(tpot * 1000)) ms keep \(NumberText.short(n)) sequences running (Little's law), more than the engine's \(w.batch < w.prefillChunkTokens ? "\(w.batch) (the row's batch, its max_num_seqs)" : "token budget of \(w.prefillChunkTokens) a step") allows")
        }
    }

    /// The run of `workload` at `requestsPerSecond` with the measured mean TPOT `tpotSeconds`.
    ///
    /// - Throws: `HardwareError` for an invalid workload or options, a run `validate` refuses,
    ///   a replica that does not fit, or a running batch at which the KV slots or the prefill
    ///   budget could not keep up (the waits would grow without bound).
    public init(profile: HardwareProfile, workload w: ServingWorkload, requestsPerSecond rate: Double, tpotSeconds tpot: Double,
                options: ServingOptions = ServingOptions()) throws(HardwareError) {
        try Self.validate(w, requestsPerSecond: rate, tpotSeconds: tpot)
        let n = Self.runningBatch(w, requestsPerSecond: rate, tpotSeconds: tpot)
        let s = try SteadyStateServing(profile: profile, workload: w, options: options,
                                       limits: SchedulerLimits(maxRunningSequences: w.batch), runningBatch: n)
        guard s.fits else { throw .invalidWorkload("one sequence at its full context does not fit beside the weights") }
        guard s.slotUtilisation < 1, s.prefillUtilisation < 1 else {
            throw .invalidWorkload("at the \(NumberText.short(n)) sequences running that the rate and TPOT imply, \(s.slotUtilisation >= 1 ? "the KV cache's \(s.slots) sequence slots" : "the prefill token budget") cannot keep up (load \(NumberText.short(100 * max(s.slotUtilisation, s.prefillUtilisation)))%)")
        }
        requestsPerSecond = rate
        steadyState = s
        let p = w.prefillPromptTokens, budget = Double(w.prefillChunkTokens)
        let counts = ClosedLoopServing.poisson(mean: n / w.meanDecodeSteps)
        decodeSteps = ClosedLoopServing.Step.mix(decoding: n, prompts: counts, promptTokens: p, budget: budget)
        firstTokenSteps = ClosedLoopServing.Step.mix(decoding: n, prompts: counts, promptTokens: p, budget: budget, ownPrompt: true, weight: (p / (budget - n)).rounded(.up))
        waitSeconds = s.ttft.mean - s.prefillSeconds
    }

    /// Mean time to first token, s.
    public var ttftSeconds: Double { steadyState.ttft.mean }
    /// Mean time per output token after the first, s: the model's, at the measured running batch.
    public var tpotSeconds: Double { steadyState.tpot.mean }
    /// Mean power of one device, W.
    public var watts: Double { steadyState.watts }
    /// Energy per output token, all devices, PUE included, J.
    public var joulesPerToken: Double { steadyState.joulesPerToken }
}
