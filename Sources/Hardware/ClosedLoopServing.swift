import Foundation

/// A continuous-batching engine (vLLM, SGLang, TensorRT-LLM) serving a closed loop of C
/// clients (`workload.batch`), each sending its next request as soon as the last one
/// completes: the load a benchmark client puts on a server at a fixed concurrency (NVIDIA's
/// AIPerf, vLLM's `benchmark_serving --max-concurrency`), which the measurement files'
/// `batching: closed-loop` rows hold. `SteadyStateServing` is the open (Poisson) counterpart
/// the planner uses; a static batch is `ServingEstimate`.
///
/// Seen from one client: the other C − 1 spend a fraction φ of their cycle decoding and the
/// rest waiting for or in their first token (no think time), so n_o = (C − 1) φ of them decode
/// beside it on average. A cycle is TTFT + (O − 1) TPOT and φ = (O − 1) TPOT / cycle, a fixed
/// point found by bisection on [0, 1] (TPOT and TTFT depend on n_o).
///
/// - Each of the request's O − 1 decode steps decodes n_o + 1 sequences and prefills the
///   prompts the others sent since the last step: K of them, taken as Poisson with mean
///   m = n_o / (O − 1) (Little's law: the others complete n_o / (O − 1) requests a step, and
///   each completion sends a prompt), K P tokens at most the token budget the decode tokens
///   leave. TPOT is the mean of `Roofline.MixedStep` over K, as in `SteadyStateServing`; the
///   Poisson count stands in for the closed loop's binomial one (C − 1 clients), which it
///   matches when m is small, as it is for O well above C.
/// - TTFT: with other clients the engine is busy, and the request arrives just after a step
///   began (the client sends it when its previous request's last token comes back, after the
///   engine scheduled its next step), so it waits one mean step; then ⌈P / (budget − n_o)⌉
///   steps that prefill its prompt beside the n_o decoding others and their K prompts (the
///   step capped at the budget). With one client the engine is idle when the request arrives.
/// - No slot or budget queue: the C sequences are taken to fit the KV cache, as they did on
///   the measured server.
/// - Power: each step's from its own utilisations (`PowerModel`); the mean over a cycle is
///   energy over time, the wait at a mean decode step's power.
public struct ClosedLoopServing: Equatable, Sendable {
    /// One kind of engine step: `weight` of them (a probability, or steps per request),
    /// decoding `decodeSequences` and prefilling `prefillTokens`.
    public struct Step: Equatable, Sendable {
        public let weight: Double
        public let decodeSequences: Double
        public let prefillTokens: Double

        /// The steps that decode `n` sequences beside K prompts of `p` tokens, K taking each
        /// count of `prompts` with its probability (and one prompt more with `ownPrompt`: the
        /// steps that hold a request's own prompt), the prefill capped at the `budget` the
        /// decode tokens leave; each weighted by its probability times `weight`.
        static func mix(decoding n: Double, prompts: [(count: Double, probability: Double)], promptTokens p: Double, budget: Double,
                        ownPrompt: Bool = false, weight: Double = 1) -> [Step] {
            let extra = ownPrompt ? 1.0 : 0
            return prompts.map { Step(weight: weight * $0.probability, decodeSequences: n, prefillTokens: min(($0.count + extra) * p, budget - n)) }
        }
    }

    public let workload: ServingWorkload
    public let options: ServingOptions
    /// The fraction φ of a client's cycle spent decoding.
    public let decodeFraction: Double
    /// Other clients decoding beside a request, n_o = (C − 1) φ.
    public let othersDecoding: Double
    /// Mean prompts admitted per step, m = n_o / (O − 1).
    public let promptsPerStep: Double
    /// The steps of a request's decode, weights summing to 1 (the distribution over K).
    public let decodeSteps: [Step]
    /// The steps that prefill a request's prompt, weights summing to ⌈P / (budget − n_o)⌉.
    public let firstTokenSteps: [Step]
    /// Mean time per output token after the first, s.
    public let tpotSeconds: Double
    /// The wait for the step under way when the request arrives, s (0 with one client).
    public let admissionWaitSeconds: Double
    /// Mean time to first token, s: the wait and the steps holding the prompt.
    public let ttftSeconds: Double
    /// Mean power of one device over a cycle, W.
    public let watts: Double

    /// Checks what a closed loop needs beyond a valid workload: at least 2 output tokens (a
    /// loop with no decode steps has no TPOT), and fewer clients than the step's token budget
    /// (`prefillChunkTokens`), which the decode tokens would otherwise fill, leaving no room to
    /// admit a prompt.
    ///
    /// - Throws: `HardwareError.invalidWorkload` naming the condition that fails.
    public static func validate(_ w: ServingWorkload) throws(HardwareError) {
        guard w.outputTokens >= 2 else {
            throw .invalidWorkload("a closed loop needs at least 2 output tokens, found \(w.outputTokens)")
        }
        guard w.batch < w.prefillChunkTokens else {
            throw .invalidWorkload("a closed loop of \(w.batch) clients fills the token budget of \(w.prefillChunkTokens) a step with decode tokens")
        }
    }

    /// The closed loop of `workload.batch` clients.
    ///
    /// - Throws: `HardwareError` for an invalid workload or options, a precision the profile
    ///   cannot run, one output token (a closed loop with no decode steps), or clients that fill
    ///   the prefill token budget with decode tokens.
    public init(profile: HardwareProfile, workload w: ServingWorkload, options: ServingOptions = ServingOptions()) throws(HardwareError) {
        try options.validate()
        try w.validate()
        try Self.validate(w)
        let model = try Roofline.MixedStep(profile: profile, workload: w)
        self.workload = w
        self.options = options
        let others = Double(w.batch - 1), steps = Double(w.outputTokens - 1)
        func state(_ phi: Double) -> State { State(model: model, workload: w, othersDecoding: others * phi) }
        // g(φ) − φ is positive at 0 and at most 0 at 1: bisection keeps a root between.
        // With one client n_o is 0 whatever φ is: nothing to solve.
        var lo = 0.0, hi = 1.0
        for _ in 0..<200 where others > 0 && hi - lo > 1e-13 {
            let mid = (lo + hi) / 2
            if state(mid).decodeFraction(steps: steps) > mid { lo = mid } else { hi = mid }
        }
        let s = state((lo + hi) / 2)
        decodeFraction = s.decodeFraction(steps: steps)
        othersDecoding = s.othersDecoding
        promptsPerStep = s.promptsPerStep
        decodeSteps = s.decode
        firstTokenSteps = s.firstToken
        tpotSeconds = s.tpot
        admissionWaitSeconds = s.wait
        ttftSeconds = s.ttft
        func joules(_ list: [Step]) -> Double {
            list.reduce(0) { sum, step in
                let cost = model.cost(decodeSequences: step.decodeSequences, prefillTokens: step.prefillTokens)
                return sum + step.weight * cost.seconds * model.watts(cost)
            }
        }
        let decodeJoules = joules(s.decode)
        let cycle = s.ttft + steps * s.tpot
        watts = (s.wait * decodeJoules / s.tpot + joules(s.firstToken) + steps * decodeJoules) / cycle
    }

    /// Clients, C.
    public var clients: Int { workload.batch }
    /// One client's cycle, TTFT + (O − 1) TPOT, s.
    public var cycleSeconds: Double { ttftSeconds + Double(workload.outputTokens - 1) * tpotSeconds }
    /// Requests per second the loop completes, C / cycle.
    public var requestsPerSecond: Double { Double(clients) / cycleSeconds }
    /// Output tokens per second of the replica.
    public var tokensPerSecond: Double { requestsPerSecond * Double(workload.outputTokens) }
    /// Energy per output token, all devices, PUE included, J: a cycle's energy over the
    /// C O tokens the loop completes in it.
    public var joulesPerToken: Double {
        watts * Double(workload.devices) * options.pue * cycleSeconds / Double(clients * workload.outputTokens)
    }

    /// The loop at a given n_o: its steps and times.
    private struct State {
        let othersDecoding: Double, promptsPerStep: Double
        let decode: [Step], firstToken: [Step]
        let tpot: Double, wait: Double, ttft: Double

        init(model: Roofline.MixedStep, workload w: ServingWorkload, othersDecoding no: Double) {
            let p = w.prefillPromptTokens, budget = Double(w.prefillChunkTokens)
            othersDecoding = no
            promptsPerStep = no / Double(w.outputTokens - 1)
            let running = no + 1
            let counts = ClosedLoopServing.poisson(mean: promptsPerStep)
            decode = Step.mix(decoding: running, prompts: counts, promptTokens: p, budget: budget)
            let chunks = (p / (budget - no)).rounded(.up)
            firstToken = Step.mix(decoding: no, prompts: counts, promptTokens: p, budget: budget, ownPrompt: true, weight: chunks)
            func mean(_ list: [Step]) -> Double {
                list.reduce(0) { $0 + $1.weight * model.seconds(decodeSequences: $1.decodeSequences, prefillTokens: $1.prefillTokens) }
            }
            tpot = mean(decode)
            wait = w.batch > 1 ? tpot : 0
            ttft = wait + mean(firstToken)
        }

        func decodeFraction(steps: Double) -> Double { steps * tpot / (ttft + steps * tpot) }
    }

    /// Poisson probabilities of K = 0, 1, ... with mean `m`, from the window m ± (8 √m + 10)
    /// (past the mean, until a term is below 1e-15 of the mass), renormalised to sum to 1.
    static func poisson(mean m: Double) -> [(count: Double, probability: Double)] {
        guard m > 0 else { return [(0, 1)] }
        let spread = 8 * m.squareRoot() + 10
        var k = max(0, (m - spread).rounded(.down))
        let last = (m + spread).rounded(.up)
        var pmf = exp(k * log(m) - m - lgamma(k + 1))
        var out: [(count: Double, probability: Double)] = []
        var mass = 0.0
        while k <= last {
            if k > m, pmf < 1e-15 * mass { break }
            if pmf > 1e-300 {
                out.append((k, pmf))
                mass += pmf
            }
            pmf *= m / (k + 1)
            k += 1
        }
        return out.map { ($0.count, $0.probability / mass) }
    }
}
