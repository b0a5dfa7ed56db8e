import Hardware
import Testing
import TestSupport

/// Prefix caching (`ServingWorkload.prefixCacheHitRate`): a prompt computes only the tokens
/// past its cached prefix, attending over the whole prompt; decode and memory are unchanged.
@Suite struct PrefixCacheTests {
    let profile = TestProfiles.synthetic()

    func workload(batch: Int = 1, prompt: Int = 100, output: Int = 2, hit: Double = 0) -> ServingWorkload {
        var w = ServingWorkload(shape: TestProfiles.tinyShape, parameters: 1e9, batch: batch, promptTokens: prompt, outputTokens: output)
        w.prefixCacheHitRate = hit
        return w
    }

    /// Hand computation on the synthetic profile (efficiencies 1, 100 TFLOP/s, 1 TB/s, no
    /// overheads), tiny shape (2 layers, query width 256, 1,024 KV bytes per token), N = 1e9,
    /// a 100-token prompt with 40 cached: 60 tokens computed.
    /// FLOPs: 2e9 x 60 matmul + 2 x 4 x 256 x (5050 - 820) attention positions (token t attends
    /// over t; the prefix's 820 are not computed again) = 120,008,663,040: 1.20008663 ms.
    /// Bytes: the weights once, 60 KV rows written and 40 read: 2e9 + 100 x 1024: 2.0001024 ms,
    /// so the prefill turns memory-bound (it was compute-bound at 2.000103424 ms uncached).
    @Test func handComputedPrefill() throws {
        let w = workload(hit: 0.4)
        #expect(w.prefillPromptTokens == 60 && w.cachedPromptTokens == 40)
        let prefill = try Roofline.prefill(profile: profile, workload: w)
        #expect(relativeDifference(prefill.flops, 120_008_663_040) < 1e-12)
        #expect(relativeDifference(prefill.bytes, 2e9 + 102_400) < 1e-12)
        #expect(prefill.bound == .memory)
        #expect(relativeDifference(prefill.seconds, 2.0001024e-3) < 1e-12)
        let uncached = try Roofline.prefill(profile: profile, workload: workload())
        #expect(uncached.bound == .compute && relativeDifference(uncached.seconds, 2.000103424e-3) < 1e-12)
    }

    /// A continuous-batching step holding one prompt's computed tokens and no decode is that
    /// prompt's static prefill: the same FLOPs and bytes.
    @Test func mixedStepPrefillMatchesTheStaticPrefill() throws {
        for hit in [0, 0.25, 0.4, 0.9] {
            let w = workload(prompt: 100, output: 8, hit: hit)
            let step = try Roofline.mixedStep(profile: profile, workload: w, decodeSequences: 0, prefillTokens: w.prefillPromptTokens)
            let prefill = try Roofline.prefill(profile: profile, workload: w)
            #expect(relativeDifference(step.flops, prefill.flops) < 1e-12, "h \(hit)")
            #expect(relativeDifference(step.bytes, prefill.bytes) < 1e-12, "h \(hit)")
        }
    }

    /// Decode, the KV slots and the memory do not change: the cached prefix is part of every
    /// sequence's context.
    @Test func decodeAndMemoryAreUnchanged() throws {
        let plain = workload(batch: 16, prompt: 800, output: 200), cached = workload(batch: 16, prompt: 800, output: 200, hit: 0.6)
        let a = try Roofline.decodeStep(profile: profile, workload: plain), b = try Roofline.decodeStep(profile: profile, workload: cached)
        #expect(a.flops == b.flops && a.bytes == b.bytes)
        let s = SteadyStateServing.slots(profile: profile, workload: plain, options: ServingOptions(), limits: SchedulerLimits())
        let t = SteadyStateServing.slots(profile: profile, workload: cached, options: ServingOptions(), limits: SchedulerLimits())
        #expect(s.slots == t.slots && s.longestFits == t.longestFits)
    }

    /// At a fixed running batch, a higher hit rate never lengthens TTFT or TPOT and never
    /// lowers throughput; without a hit the figures are the uncached ones exactly.
    @Test func steadyStateImprovesWithTheHitRate() throws {
        let h100 = try TestProfiles.shipped("h100-sxm")
        func steady(_ hit: Double) throws -> SteadyStateServing {
            var w = ServingWorkload(shape: TestProfiles.llama8B, batch: 1, promptTokens: 2000, outputTokens: 256)
            w.prefixCacheHitRate = hit
            return try SteadyStateServing(profile: h100, workload: w, runningBatch: 48)
        }
        let plain = try SteadyStateServing(profile: h100, workload: ServingWorkload(shape: TestProfiles.llama8B, batch: 1, promptTokens: 2000,
                                                                                     outputTokens: 256), runningBatch: 48)
        #expect(try steady(0) == plain)
        var last = try steady(0)
        for hit in [0.25, 0.5, 0.75, 0.95] {
            let s = try steady(hit)
            #expect(s.ttft.mean < last.ttft.mean && s.ttft.p90 <= last.ttft.p90, "h \(hit)")
            #expect(s.tpot.mean <= last.tpot.mean * (1 + 1e-12), "h \(hit)")
            #expect(s.requestsPerSecond >= last.requestsPerSecond * (1 - 1e-12), "h \(hit)")
            #expect(s.prefillTokensPerStep < last.prefillTokensPerStep, "h \(hit)")
            last = s
        }
    }

    /// The rate must lie in [0, 1): a request computes at least its last prompt token.
    @Test func invalidRatesAreRefused() {
        for hit in [-0.1, 1, 1.5, .nan, .infinity] {
            #expect(throws: HardwareError.self, "h \(hit)") { try workload(hit: hit).validate() }
        }
        #expect(throws: Never.self) { try workload(hit: 0.999).validate() }
    }
}
