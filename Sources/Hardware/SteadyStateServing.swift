import Foundation

/// Mean, median and 90th percentile of a latency, s (vLLM's serving benchmark reports these).
public struct LatencyFigures: Equatable, Sendable {
    public let mean: Double
    public let p50: Double
    public let p90: Double
    public init(mean: Double, p50: Double, p90: Double) {
        self.mean = mean
        self.p50 = p50
        self.p90 = p90
    }
}

/// Limits of a continuous-batching scheduler beside the workload's token budget
/// (`ServingWorkload.prefillChunkTokens`, vLLM's `max_num_batched_tokens`).
public struct SchedulerLimits: Equatable, Sendable {
    /// Most sequences running at once (vLLM's `max_num_seqs`; 1,024, the planner's batch cap).
    public var maxRunningSequences: Int
    /// Highest planned utilisation of the sequence slots and of the prefill budget, below 1
    /// so that queues stay finite: 0.95.
    public var maxUtilisation: Double
    /// Highest planned throughput as a fraction of the replica's capacity
    /// (`SteadyStateServing.engineUtilisation`): 0.8. Near capacity a small rise in step time
    /// feeds back into more running sequences; a discrete-event simulation of the engine
    /// (SteadyStateServingTests) drifts from these formulas by 13% in running batch and 19% in
    /// TPOT at 0.85, and stays within 10% up to about 0.8.
    public var maxEngineUtilisation: Double

    public init(maxRunningSequences: Int = 1024, maxUtilisation: Double = 0.95, maxEngineUtilisation: Double = 0.8) {
        self.maxRunningSequences = maxRunningSequences
        self.maxUtilisation = maxUtilisation
        self.maxEngineUtilisation = maxEngineUtilisation
    }
}

/// One replica of a continuous-batching server (vLLM, SGLang, TensorRT-LLM) in steady state:
/// requests arrive as a Poisson stream, at a mean running batch n (`runningBatch`; it may be
/// fractional, and below 1 when the replica is idle part of the time).
///
/// Each engine step decodes one token for each of the n running sequences and spends the rest
/// of the token budget on chunked prefill of newly arrived prompts. A request decodes for
/// O − 1 steps, so a step sees m = n / (O − 1) arrivals on average (Little's law), taken as
/// Poisson: K prompts, K P prefill tokens (at most the budget left by the decode tokens). The
/// step time t(n, K P) is `Roofline.mixedStep`; its mean over K is the mean TPOT (prefill
/// interference included, and the lumps of whole prompts counted: a mean-field step at the
/// mean prefill load would be too short), and the replica completes
/// λ = n / ((O − 1) E[t]) requests per second. A request's TPOT averages O − 1 steps, so its
/// quantiles are E[t] + z sd(t) / √(O − 1) (central limit).
///
/// TTFT = wait for a sequence slot + wait for prefill budget + the rest of the step under way
/// when it arrives (E[t²] / (2 E[t]), the residual of a renewal process) + ⌈P / (budget − n)⌉
/// steps that include its prompt (E[t(n, P + K P)]). Slots: the KV cache holds `slots`
/// sequences at the mean context P + O / 2 (paged blocks), occupied by a = n + m ⌈P /
/// (budget − n)⌉ sequences on average (decoding, and prefilling for their steps): an M/D/s
/// queue of service time prefill + (O − 1) E[t] (`Queueing.generalServiceWait`). Prefill budget: an M/D/1
/// queue of P tokens per request served at budget − n tokens per step. Quantiles add the
/// waits' exponential-tail quantile (`Queueing.waitQuantile`) to q of a step and the prefill.
///
/// With a distribution of output lengths (`ServingWorkload.outputLengths`): O − 1 above is
/// E[O − 1]; the mean context P + O / 2 is the length-biased P + E[O (O − 1)] / (2 E[O − 1]);
/// the slot queue is M/G/s, its service varying by E[t]² Var(O)
/// (`Queueing.generalServiceWait`); the longest length must fit; TPOT quantiles are the mixture
/// over lengths (`OutputLengths.tpotQuantile`); tokens per second and J/token use E[O].
///
/// With prefix caching (`ServingWorkload.prefixCacheHitRate` h), P in the prefill terms above
/// (prefill tokens per step, the steps that hold a prompt, the prefill budget's queue) is the
/// P (1 − h) tokens a prompt computes (`ServingWorkload.prefillPromptTokens`); the contexts
/// and the KV cache keep the whole prompt.
public struct SteadyStateServing: Equatable, Sendable {
    public let workload: ServingWorkload
    /// The mean running batch n (`workload.batch` unless given).
    public let runningBatch: Double
    public let limits: SchedulerLimits
    /// The engine step at the mean prefill load (n decode tokens, m P prefill tokens): its
    /// bound and utilisation.
    public let step: PhaseCost
    /// Mean and standard deviation of the step time over the prompts a step prefills, s.
    public let meanStepSeconds: Double
    public let stepDeviationSeconds: Double
    /// Mean prefill tokens per step, m P = n P / (O − 1).
    public let prefillTokensPerStep: Double
    /// Sequence slots: sequences at the mean context the KV cache holds beside the weights and
    /// one step's activations, at most `limits.maxRunningSequences`.
    public let slots: Int
    /// Whether the weights, one step's activations and one sequence at its full context fit.
    public let fits: Bool
    /// Requests completed per second, λ.
    public let requestsPerSecond: Double
    /// Slot load λ × (prefill + decode time) over the slots, and prefill budget utilisation
    /// m P / (budget − n).
    public let slotUtilisation: Double
    public let prefillUtilisation: Double
    /// Throughput over the replica's capacity, λ / λ(n_max) with n_max the most sequences the
    /// slots and the prefill budget allow: near 1 every step is compute-bound, more running
    /// sequences add latency but no throughput, and the running batch is at the mercy of small
    /// changes in load (a simulated engine drifts far from the steady state there).
    public let engineUtilisation: Double
    /// Mean waits for a slot and for prefill budget, s.
    public let slotWaitSeconds: Double
    public let prefillWaitSeconds: Double
    /// The steps that include a request's prompt, s.
    public let prefillSeconds: Double
    public let ttft: LatencyFigures
    public let tpot: LatencyFigures
    /// Mean power of one device over the steps, W (energy over time).
    public let watts: Double
    public let options: ServingOptions

    /// The steady state at the mean running batch `runningBatch` (default `workload.batch`).
    ///
    /// - Throws: `HardwareError` for an invalid workload or options, a precision the profile
    ///   cannot run, one output token (no decode steps: continuous batching has nothing to
    ///   interleave; use `ServingEstimate`), or a running batch that is not positive.
    public init(profile: HardwareProfile, workload w: ServingWorkload, options: ServingOptions = ServingOptions(),
                limits: SchedulerLimits = SchedulerLimits(), runningBatch: Double? = nil) throws(HardwareError) {
        try Self.validate(w, options, limits)
        let n = runningBatch ?? Double(w.batch)
        guard n > 0, n.isFinite else { throw .invalidWorkload("the running batch must be positive, found \(n)") }
        let (slotCount, longestFits) = Self.slots(profile: profile, workload: w, options: options, limits: limits)
        let model = try Roofline.MixedStep(profile: profile, workload: w)
        self.init(workload: w, options: options, limits: limits, runningBatch: n, slots: slotCount, fits: longestFits && slotCount >= 1,
                  model: model, capacity: Self.capacity(step: model, workload: w, slots: slotCount))
    }

    /// The steady state at a positive, finite running batch `n` of a validated workload whose
    /// slots, step model and capacity (`capacity(step:workload:slots:)`) are known: what
    /// `RunningBatchSearch` has already computed for the batch it finds.
    init(workload w: ServingWorkload, options: ServingOptions, limits: SchedulerLimits, runningBatch n: Double,
         slots slotCount: Int, fits: Bool, model: Roofline.MixedStep, capacity: Double) {
        self.workload = w
        self.runningBatch = n
        self.limits = limits
        self.options = options
        slots = slotCount
        self.fits = fits
        let f = Figures(step: model, workload: w, running: n, quantiles: true)
        let p = w.prefillPromptTokens, steps = w.meanDecodeSteps
        prefillTokensPerStep = n * p / steps
        step = model.cost(decodeSequences: n, prefillTokens: prefillTokensPerStep)
        meanStepSeconds = f.meanStep
        stepDeviationSeconds = f.stepDeviation
        watts = f.meanJoules / f.meanStep
        requestsPerSecond = f.lambda
        engineUtilisation = f.lambda / capacity
        prefillUtilisation = f.prefillUtilisation
        slotUtilisation = slotCount > 0 ? f.slotLoad / Double(slotCount) : .infinity
        prefillWaitSeconds = f.prefillWait
        prefillSeconds = f.prefill
        let slotWait = Queueing.generalServiceWait(servers: max(slotCount, 1), load: f.slotLoad, service: f.service,
                                                   serviceSCV: f.serviceSCV(w))
        slotWaitSeconds = slotWait
        let slotWaitProbability = Queueing.erlangC(servers: max(slotCount, 1), load: f.slotLoad)
        let wait = slotWait + f.prefillWait
        let waitProbability = 1 - (1 - slotWaitProbability) * (1 - min(1, f.prefillUtilisation))
        func ttftAt(_ q: Double) -> Double {
            f.prefill + q * f.meanStep + Queueing.waitQuantile(mean: wait, waitProbability: waitProbability, quantile: q)
        }
        ttft = LatencyFigures(mean: wait + f.residual + f.prefill, p50: ttftAt(0.5), p90: ttftAt(0.9))
        if let d = w.outputLengths {
            // Each request's TPOT averages its own O_i − 1 steps: a mixture over the lengths,
            // symmetric about the mean step.
            tpot = LatencyFigures(mean: f.meanStep, p50: f.meanStep,
                                  p90: d.tpotQuantile(meanStep: f.meanStep, stepDeviation: f.stepDeviation, quantile: 0.9))
        } else {
            let spread = f.stepDeviation / steps.squareRoot()
            tpot = LatencyFigures(mean: f.meanStep, p50: f.meanStep, p90: f.meanStep + Queueing.normalQuantile(0.9) * spread)
        }
    }

    static func validate(_ w: ServingWorkload, _ options: ServingOptions, _ limits: SchedulerLimits) throws(HardwareError) {
        try options.validate()
        try w.validate()
        guard w.outputTokens >= 2 else {
            throw .invalidWorkload("continuous batching needs at least 2 output tokens, found \(w.outputTokens)")
        }
        guard limits.maxRunningSequences >= 1, limits.maxUtilisation > 0, limits.maxUtilisation < 1,
              limits.maxEngineUtilisation > 0, limits.maxEngineUtilisation < 1 else {
            throw .invalidWorkload("the scheduler needs at least 1 running sequence and a utilisation in (0, 1)")
        }
    }

    /// The step-time moments and what follows from them, shared by `init` and the search.
    struct Figures {
        var meanStep = 0.0, stepDeviation = 0.0, residual = 0.0, meanJoules = 0.0
        var lambda = 0.0, prefill = 0.0, prefillUtilisation = 0.0, prefillWait = 0.0, service = 0.0, slotLoad = 0.0

        init(step model: Roofline.MixedStep, workload w: ServingWorkload, running n: Double, quantiles: Bool) {
            let p = w.prefillPromptTokens, steps = w.meanDecodeSteps
            let free = Double(w.prefillChunkTokens) - n
            guard free > 0 else {
                meanStep = .infinity; prefill = .infinity; prefillUtilisation = .infinity; prefillWait = .infinity
                service = .infinity; slotLoad = .infinity
                return
            }
            let m = n / steps
            // E[t], E[t^2], E[W t] and the step that holds a given prompt, E[t(n, P + K P)],
            // over K ~ Poisson(m) prompts per step.
            var t1 = 0.0, t2 = 0.0, joules = 0.0, withPrompt = 0.0, mass = 0.0
            // The Poisson terms within m ± (8 √m + 10), from the log-probability of the first
            // (lgamma) and P(k + 1) = P(k) m / (k + 1); the step with one more prompt is the
            // next term's step.
            let spread = 8 * m.squareRoot() + 10
            var k = max(0, (m - spread).rounded(.down))
            let last = (m + spread).rounded(.up)
            var pmf = exp(k * log(m) - m - lgamma(k + 1))
            var t = model.seconds(decodeSequences: n, prefillTokens: min(k * p, free))
            while k <= last {
                // Past the mean, stop once a term no longer counts (they only fall from there).
                if k > m, pmf < 1e-15 * mass { break }
                let next = model.seconds(decodeSequences: n, prefillTokens: min((k + 1) * p, free))
                if pmf > 1e-300 {
                    t1 += pmf * t
                    t2 += pmf * t * t
                    if quantiles { joules += pmf * t * model.watts(model.cost(decodeSequences: n, prefillTokens: min(k * p, free))) }
                    withPrompt += pmf * next
                    mass += pmf
                }
                pmf *= m / (k + 1)
                k += 1
                t = next
            }
            meanStep = t1 / mass
            stepDeviation = max(0, t2 / mass - meanStep * meanStep).squareRoot()
            residual = t2 / mass / (2 * meanStep)
            meanJoules = joules / mass
            lambda = n / (steps * meanStep)
            prefill = (p / free).rounded(.up) * withPrompt / mass
            (prefillUtilisation, slotLoad) = Self.loads(workload: w, running: n)
            prefillWait = prefillUtilisation < 1
                ? prefillUtilisation * (p / free * meanStep) / (2 * (1 - prefillUtilisation)) : .infinity
            service = prefill + steps * meanStep
        }

        /// The squared coefficient of variation of a slot's service time (its prefill and O − 1
        /// steps): with a distribution of O it varies by E[t]² Var(O), so E[t]² Var(O) /
        /// service² (the slot queue is M/G/s); 0 for one length (M/D/s).
        func serviceSCV(_ w: ServingWorkload) -> Double {
            guard let d = w.outputLengths, service > 0, service.isFinite, meanStep.isFinite else { return 0 }
            return d.variance * meanStep * meanStep / (service * service)
        }

        /// The prefill budget's utilisation m P / (budget − n) and the slot load at a running
        /// batch of n (infinite when the decode tokens fill the budget): what needs no step time.
        ///
        /// Occupied slots in step units: the n decoding and the m a step admits, each
        /// prefilling for ⌈P / (budget − n)⌉ steps. Counted in steps, not seconds, so that
        /// the load does not depend on the model's speed (the planner needs a replica's
        /// feasible batches to shrink as the model grows).
        static func loads(workload w: ServingWorkload, running n: Double) -> (prefillUtilisation: Double, slotLoad: Double) {
            let p = w.prefillPromptTokens, m = n / w.meanDecodeSteps
            let free = Double(w.prefillChunkTokens) - n
            guard free > 0 else { return (.infinity, .infinity) }
            return (m * p / free, n + m * (p / free).rounded(.up))
        }
    }

    /// Whether the queues are stable within `limits.maxUtilisation` and the replica fits.
    public var isStable: Bool {
        fits && runningBatch <= Double(slots)
            && slotUtilisation <= limits.maxUtilisation && prefillUtilisation <= limits.maxUtilisation
            // The search puts the batch at the limit itself: λ <= u × capacity, which in
            // floating point may divide to a hair above u.
            && engineUtilisation <= limits.maxEngineUtilisation * (1 + 1e-12)
    }

    /// The most requests per second the replica completes: λ at the largest running batch the
    /// slots and the prefill budget allow (n (1 + P / (O − 1)) below the budget).
    static func capacity(step: Roofline.MixedStep, workload w: ServingWorkload, slots: Int) -> Double {
        let p = w.prefillPromptTokens, steps = w.meanDecodeSteps
        let budgetLimit = Int((Double(w.prefillChunkTokens) / (1 + p / steps) * (1 - 1e-9)).rounded(.down))
        return Figures(step: step, workload: w, running: Double(max(1, min(slots, budgetLimit))), quantiles: false).lambda
    }

    /// Energy of one request, all devices, PUE included, J: its share 1 / n of each of its
    /// O − 1 steps (the prefill of its prompt rides in those steps).
    public var joulesPerRequest: Double {
        watts * meanStepSeconds * Double(workload.devices) * options.pue * workload.meanDecodeSteps / runningBatch
    }

    /// Energy per output token, J.
    public var joulesPerToken: Double { joulesPerRequest / workload.meanOutputTokens }

    /// Output tokens per second of the replica.
    public var tokensPerSecond: Double { requestsPerSecond * workload.meanOutputTokens }

    /// Sequence slots at the mean context P + O / 2 that fit beside the weights, one step's
    /// activations (T (4 d + 3 f) × 2 bytes / k for the step's T = budget tokens; V × 4 bytes of
    /// fp32 logits per slot) and the shared prefix's KV cache, held once (each slot holds the
    /// rest of its context), capped at `limits.maxRunningSequences`; and whether one sequence
    /// at its full context P + O fits.
    public static func slots(profile: HardwareProfile, workload w: ServingWorkload, options: ServingOptions,
                             limits: SchedulerLimits) -> (slots: Int, longestFits: Bool) {
        let s = w.shape, k = Double(w.devices)
        let activations = Double(w.prefillChunkTokens) * Double(4 * s.hidden + 3 * s.intermediate) * 2 / k
        // A prefix every request shares is held once (`ServingWorkload.sharedPrefixTokens`);
        // each slot holds the rest of its context.
        let free = profile.memoryBytes * options.usableMemoryFraction - w.weightBytesPerDevice - activations - w.sharedPrefixKVBytesPerDevice
        let logits = Double(s.vocabulary) * 4
        let perSlot = w.unsharedKVBytesPerDevice(context: Roofline.meanDecodeContext(w)) + logits
        let longest = w.unsharedKVBytesPerDevice(context: Double(w.longestContextTokens)) + logits
        guard free > 0 else { return (0, false) }
        // With data-parallel attention each of the G groups holds its own sequences.
        let perDevice = (free / perSlot).rounded(.down) * Double(max(w.attentionDataParallel, 1))
        return (Int(min(Double(limits.maxRunningSequences), perDevice)), longest <= free)
    }

    /// The largest mean running batch at which the replica fits, its queues are stable, the
    /// mean TTFT and TPOT meet `slo` and throughput stays within
    /// `limits.maxEngineUtilisation` of capacity, with its requests per second; nil when the
    /// replica does not fit or a running batch of 1 already misses the SLO or the queues
    /// (`RunningBatchSearch.largest`, prepared and run once).
    public static func largestRunningBatch(profile: HardwareProfile, workload: ServingWorkload, slo: LatencySLO,
                                           options: ServingOptions = ServingOptions(), limits: SchedulerLimits = SchedulerLimits(),
                                           limit: Int = 1024) throws(HardwareError) -> (batch: Double, requestsPerSecond: Double)? {
        try RunningBatchSearch(profile: profile, workload: workload, options: options, limits: limits)?.largest(slo: slo, limit: limit)
    }
}
