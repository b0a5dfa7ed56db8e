import Hardware
import Testing
import TestSupport

@Suite struct MemoryFitTests {
    let shape = TestProfiles.tinyShape

    func workload(batch: Int, context: Int, devices: Int = 1) -> ServingWorkload {
        ServingWorkload(shape: shape, parameters: 1e9, batch: batch, promptTokens: 100, outputTokens: context - 100, devices: devices)
    }

    /// Weights 2e9 B; activations for the largest prefill pass, min(2 x 100, 8192) tokens x
    /// (4 x 256 + 3 x 512) x 2, plus batch x 1000 x 4 of logits; KV 1024 B per token.
    @Test func componentsAreHandComputed() {
        let fit = MemoryFit(profile: TestProfiles.synthetic(), workload: workload(batch: 2, context: 200))
        #expect(fit.weightBytes == 2e9)
        #expect(fit.activationBytes == 200 * 2560 * 2 + 2 * 1000 * 4)
        #expect(fit.kvCacheBytes == 2 * 200 * 1024)
        #expect(fit.usableBytes == 9e9)
    }

    /// A device whose usable memory is exactly weights + activations + KV fits; one more token of
    /// context does not.
    @Test func exactlyFullFitsAndOneTokenOverDoesNot() {
        let w = workload(batch: 4, context: 1000)
        let needed = MemoryFit(profile: TestProfiles.synthetic(), workload: w).requiredBytes
        let exact = TestProfiles.synthetic(memoryGB: needed / 0.9 / 1e9)
        let fit = MemoryFit(profile: exact, workload: w)
        #expect(relativeDifference(fit.usableBytes, fit.requiredBytes) < 1e-15)
        // Guard against rounding in capacity / 0.9 * 0.9 by comparing with the token budget.
        #expect(fit.maxKVTokens == 4 * 1000)
        var over = w
        over.outputTokens += 1
        let overFit = MemoryFit(profile: exact, workload: over)
        #expect(!overFit.fits)
        #expect(overFit.requiredBytes - fit.requiredBytes == 4 * 1024)
    }

    @Test func tensorParallelismSplitsWeightsAndKVHeads() throws {
        let one = MemoryFit(profile: TestProfiles.synthetic(), workload: workload(batch: 1, context: 200))
        let two = MemoryFit(profile: TestProfiles.synthetic(), workload: workload(batch: 1, context: 200, devices: 2))
        let four = MemoryFit(profile: TestProfiles.synthetic(), workload: workload(batch: 1, context: 200, devices: 4))
        #expect(two.weightBytes == one.weightBytes / 2)
        #expect(two.kvBytesPerToken == one.kvBytesPerToken / 2)
        // Only 2 KV heads: with 4 devices each still holds one head (replicated).
        #expect(four.kvBytesPerToken == two.kvBytesPerToken)
    }

    @Test func seventyBillionNeedsTensorParallelismOnH100() throws {
        let h100 = try TestProfiles.shipped("h100-sxm")
        let shape = try ModelShape.llama(parameters: 70e9)
        // Batch 2: activations of a 2048-token prefill pass (0.49 GB) and 0.84 GB of bf16 KV cache
        // beside 140 GB of bf16 or 70 GB of fp8 weights, against 72 GB usable per device.
        let w = ServingWorkload(shape: shape, parameters: 70e9, batch: 2, promptTokens: 1024, outputTokens: 256)
        #expect(!MemoryFit(profile: h100, workload: w).fits)
        #expect(MemoryFit.smallestFittingDevices(profile: h100, workload: w) == 2)
        var fp8 = w
        fp8.precision = .fp8
        fp8.kvCachePrecision = .fp8
        #expect(MemoryFit(profile: h100, workload: fp8).fits)
    }

    @Test func largestBatchMeetsMemoryAndSLO() throws {
        let h100 = try TestProfiles.shipped("h100-sxm")
        let w = ServingWorkload(shape: TestProfiles.llama8B, batch: 1, promptTokens: 1024, outputTokens: 256)
        let memoryOnly = try #require(try BatchSearch.largestBatch(profile: h100, workload: w))
        func fits(_ b: Int) -> Bool {
            var x = w
            x.batch = b
            return MemoryFit(profile: h100, workload: x).fits
        }
        #expect(fits(memoryOnly) && !fits(memoryOnly + 1))
        let slo = LatencySLO(tpotSeconds: 0.015)
        let b = try #require(try BatchSearch.largestBatch(profile: h100, workload: w, slo: slo))
        #expect(b < memoryOnly)
        var at = w, above = w
        at.batch = b
        above.batch = b + 1
        #expect(try ServingEstimate(profile: h100, workload: at).tpotSeconds <= 0.015)
        #expect(try ServingEstimate(profile: h100, workload: above).tpotSeconds > 0.015)
        #expect(try BatchSearch.largestBatch(profile: h100, workload: w, slo: LatencySLO(tpotSeconds: 0.001)) == nil)
    }
}
