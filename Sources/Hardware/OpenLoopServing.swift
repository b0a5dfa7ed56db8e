import Diagnostics
import Foundation

/// A continuous-batching engine under an open loop: requests arrive as a Poisson stream at a
/// measured rate λ, whatever the engine does (vLLM's `benchmark_serving --request-rate`,
/// whose arrivals are a Poisson process unless told otherwise), which the measurement files'
/// `batching: open-loop` rows hold, with the engine's `max_num_seqs` as the row's batch.
///
/// This is the planner's own model (`SteadyStateServing`) read the other way round: instead
/// of the largest running batch within the SLOs, the mean running batch n whose throughput is
/// the measured rate, λ = n / ((O − 1) E[t(n)]) (Little's law), which rises with n; n is
/// found by bisection on (0, n_max], n_max the most sequences the KV slots, `max_num_seqs` and
/// the token budget allow. The mean TTFT and TPOT are then the steady state's at n.
///
/// For calibration the steps are also given as a mix (`decodeSteps`, `firstTokenSteps`, in
/// `ClosedLoopServing.Step`s): a TPOT is the mean step over K ~ Poisson(n / (O − 1)) prompts,
/// a TTFT the waits (slot, prefill budget and the rest of the step under way, `waitSeconds`)
/// and ⌈P / (budget − n)⌉ steps that hold the prompt.
public struct OpenLoopServing: Equatable, Sendable {
    /// The measured arrival rate, requests per second.
    public let requestsPerSecond: Double
    /// The steady state at the running batch that serves the rate.
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

    /// Checks what an open loop needs beyond a valid workload: at least 2 output tokens (the
    /// steady state interleaves decode steps; a request of one token has none).
    ///
    /// - Throws: `HardwareError.invalidWorkload` naming the condition that fails.
    public static func validate(_ w: ServingWorkload) throws(HardwareError) {
        guard w.outputTokens >= 2 else {
            throw .invalidWorkload("an open loop needs at least 2 output tokens, found \(w.outputTokens)")
        }
    }

    /// The engine of `workload` (its batch is `max_num_seqs`) at `requestsPerSecond`.
    ///
    /// - Throws: `HardwareError` for an invalid workload or options, one output token, a rate
    ///   that is not positive and finite, a replica that does not fit, or a rate at or beyond
    ///   the replica's capacity (its queues would grow without bound, and no steady state
    ///   describes the run).
    public init(profile: HardwareProfile, workload w: ServingWorkload, requestsPerSecond rate: Double,
                options: ServingOptions = ServingOptions()) throws(HardwareError) {
        guard rate > 0, rate.isFinite else { throw .invalidWorkload("the request rate must be positive and finite, found \(rate)") }
        let limits = SchedulerLimits(maxRunningSequences: w.batch)
        let (model, most) = try Self.engine(profile: profile, workload: w, options: options, limits: limits)
        func throughput(_ n: Double) -> Double {
            SteadyStateServing.Figures(step: model, workload: w, running: n, quantiles: false).lambda
        }
        guard throughput(most) > rate else {
            throw .calibration("\(NumberText.short(rate)) requests/s is at or beyond the replica's capacity of \(NumberText.short(throughput(most))) at these factors")
        }
        var lo = 0.0, hi = most
        for _ in 0..<200 where hi - lo > 1e-12 * hi {
            let mid = (lo + hi) / 2
            if throughput(mid) < rate { lo = mid } else { hi = mid }
        }
        let n = (lo + hi) / 2
        requestsPerSecond = rate
        steadyState = try SteadyStateServing(profile: profile, workload: w, options: options, limits: limits, runningBatch: n)
        (decodeSteps, firstTokenSteps) = Self.steps(w, running: n)
        waitSeconds = steadyState.ttft.mean - steadyState.prefillSeconds
    }

    /// The most requests per second the engine of `workload` completes (`workload.batch`
    /// sequences at most): the rates an open loop has a steady state for lie below it.
    public static func capacity(profile: HardwareProfile, workload w: ServingWorkload,
                                options: ServingOptions = ServingOptions()) throws(HardwareError) -> Double {
        let (model, most) = try engine(profile: profile, workload: w, options: options, limits: SchedulerLimits(maxRunningSequences: w.batch))
        return SteadyStateServing.Figures(step: model, workload: w, running: most, quantiles: false).lambda
    }

    /// The engine steps at the most sequences it runs (`capacity`'s running batch): where a
    /// rate is beyond capacity, what the engine does while its queue grows.
    public static func saturatedSteps(profile: HardwareProfile, workload w: ServingWorkload,
                                      options: ServingOptions = ServingOptions()) throws(HardwareError)
        -> (decode: [ClosedLoopServing.Step], firstToken: [ClosedLoopServing.Step]) {
        let (_, most) = try engine(profile: profile, workload: w, options: options, limits: SchedulerLimits(maxRunningSequences: w.batch))
        return steps(w, running: most)
    }

    /// The step model and the most sequences the KV slots, `max_num_seqs` and the token budget
    /// allow (n (1 + P / (O − 1)) tokens a step below the budget).
    private static func engine(profile: HardwareProfile, workload w: ServingWorkload, options: ServingOptions,
                               limits: SchedulerLimits) throws(HardwareError) -> (Roofline.MixedStep, Double) {
        try SteadyStateServing.validate(w, options, limits)
        let (slots, fits) = SteadyStateServing.slots(profile: profile, workload: w, options: options, limits: limits)
        guard fits, slots >= 1 else { throw .invalidWorkload("one sequence at its full context does not fit beside the weights") }
        let budget = Double(w.prefillChunkTokens) / (1 + w.prefillPromptTokens / w.meanDecodeSteps) * (1 - 1e-9)
        return (try Roofline.MixedStep(profile: profile, workload: w), min(Double(slots), budget))
    }

    /// The engine steps of a decode and of a first token at a mean running batch of `n`:
    /// K ~ Poisson(n / (O − 1)) prompts a step, capped at the budget the decode tokens leave.
    static func steps(_ w: ServingWorkload, running n: Double) -> (decode: [ClosedLoopServing.Step], firstToken: [ClosedLoopServing.Step]) {
        let p = w.prefillPromptTokens, free = Double(w.prefillChunkTokens) - n
        let counts = ClosedLoopServing.poisson(mean: n / w.meanDecodeSteps)
        let chunks = (p / free).rounded(.up)
        return (counts.map { .init(weight: $0.probability, decodeSequences: n, prefillTokens: min($0.count * p, free)) },
                counts.map { .init(weight: chunks * $0.probability, decodeSequences: n, prefillTokens: min(($0.count + 1) * p, free)) })
    }

    /// Mean time to first token, s.
    public var ttftSeconds: Double { steadyState.ttft.mean }
    /// Mean time per output token after the first, s.
    public var tpotSeconds: Double { steadyState.tpot.mean }
    /// Mean power of one device, W.
    public var watts: Double { steadyState.watts }
    /// Energy per output token, all devices, PUE included, J.
    public var joulesPerToken: Double { steadyState.joulesPerToken }
}
