import Diagnostics

extension ServingEstimate {
    /// Where the estimate stands on weak ground: a workload that does not fit in memory is still
    /// estimated (the roofline does not know), and says so.
    public var warnings: [Warning] {
        guard !memory.fits else { return [] }
        let gb = 1e9
        return [Warning(.memoryExceeded,
                        "The workload needs \(NumberText.short(memory.requiredBytes / gb)) GB per device but \(NumberText.short(memory.usableBytes / gb)) GB are usable; it would not run as estimated (use more devices, a smaller batch or a lower precision).",
                        subject: "estimate")]
    }
}

extension SteadyStateServing {
    /// Where the steady state leaves the ground it stands on (`isStable` fails): the running
    /// batch exceeds the KV slots (a real server would preempt), a queue is at or past its
    /// limit (waits grow without bound at 1), or throughput is beyond the capacity share where
    /// a simulated engine still agrees with the formulas. One warning naming each reason.
    public var warnings: [Warning] {
        var reasons: [String] = []
        if !fits { reasons.append("one sequence at its full context does not fit beside the weights") }
        if runningBatch > Double(slots) {
            reasons.append("the KV cache holds \(slots) sequences at the mean context, fewer than the running batch of \(NumberText.short(runningBatch)) (a server would preempt)")
        }
        if slotUtilisation > limits.maxUtilisation || prefillUtilisation > limits.maxUtilisation {
            reasons.append("the slot or prefill-budget queue runs above \(NumberText.short(100 * limits.maxUtilisation))% (\(NumberText.short(100 * max(slotUtilisation, prefillUtilisation)))%), where waits grow without bound")
        }
        if engineUtilisation > limits.maxEngineUtilisation * (1 + 1e-12) {
            reasons.append("throughput is \(NumberText.short(100 * engineUtilisation))% of the replica's capacity, beyond the \(NumberText.short(100 * limits.maxEngineUtilisation))% up to which a simulated engine agrees with the formulas (they are optimistic there)")
        }
        guard !reasons.isEmpty else { return [] }
        return [Warning(.steadyStateLimit,
                        "The continuous-batching figures at this running batch are outside the ground the model stands on: " + reasons.joined(separator: "; ") + "; the planner would run fewer sequences (max_running_batch).",
                        subject: "continuous batching")]
    }
}

extension ServingWorkload {
    /// The warning that a prefix-cache hit rate `rate` (> 0) is taken as given
    /// (`prefixCacheHitRate`), with the prefix of `sharedPrefixTokens` every request shares
    /// (`sharedPrefixTokens`), or nil for none.
    public static func prefixCacheWarning(rate: Double, sharedPrefixTokens: Int = 0, subject: String? = nil) -> Warning? {
        guard rate > 0 else { return nil }
        let memory = sharedPrefixTokens > 0
            ? "the \(sharedPrefixTokens)-token prefix every request shares is held once in each replica's KV cache and every running sequence holds the rest of its context (decode still reads the shared blocks once per sequence)"
            : "every running sequence still holds its whole prompt in the KV cache (memory is saved only for a prefix declared shared by every request)"
        return Warning(.prefixCacheAssumed,
                       "A prefix-cache hit rate of \(NumberText.short(100 * rate))% of prompt tokens is taken as given: those tokens skip the prefill's computation (their KV cache is read once), \(memory), and no measurement with prefix caching calibrates it; the rate depends on the traffic and on how long the cache keeps prefixes.",
                       subject: subject)
    }
}
