import Hardware
import Testing
import TestSupport

/// A prompt prefix every request shares (`ServingWorkload.sharedPrefixTokens`): its KV cache is
/// held once per replica, each sequence holding the rest of its context; compute and decode
/// reads are unchanged by it.
@Suite struct SharedPrefixTests {
    let profile = TestProfiles.synthetic()

    func workload(batch: Int = 1, prompt: Int = 800, output: Int = 200, hit: Double = 0, shared: Int = 0) -> ServingWorkload {
        var w = ServingWorkload(shape: TestProfiles.tinyShape, parameters: 1e9, batch: batch, promptTokens: prompt, outputTokens: output)
        w.prefixCacheHitRate = hit
        w.sharedPrefixTokens = shared
        return w
    }

    /// Hand computation on a 2-layer shape, 512 bytes per layer-position in bf16 (2 KV heads of
    /// 64): one global layer and one with a 256-token window. At 1,000 tokens past a 400-token
    /// prefix, the global layer holds 600 own positions and the local one its last 256, none of
    /// them the prefix's: 856 x 512. At 500 tokens the local window [244, 500) still holds 156
    /// of the prefix's positions: (100 + 100) x 512. Without a prefix it is the whole cache.
    @Test func unsharedBytesByLayerKind() {
        let global = TestProfiles.tinyShape
        #expect(global.unsharedKVCacheBytes(context: 1000, sharedPrefix: 400, precision: .bf16) == 600 * 1024)
        let windowed = ModelShape(layers: 2, hidden: 256, heads: 4, kvHeads: 2, vocabulary: 1000, intermediate: 512, tiedEmbeddings: true,
                                  slidingWindow: 256, localLayers: 1)
        #expect(windowed.unsharedKVCacheBytes(context: 1000, sharedPrefix: 400, precision: .bf16) == 856 * 512)
        #expect(windowed.unsharedKVCacheBytes(context: 500, sharedPrefix: 400, precision: .bf16) == 200 * 512)
        #expect(windowed.unsharedKVCacheBytes(context: 500, sharedPrefix: 0, precision: .bf16)
            == windowed.kvCacheBytes(context: 500, precision: .bf16))
        // The prefix's own positions and a sequence's other ones make up its whole cache where
        // every layer is global.
        #expect(global.unsharedKVCacheBytes(context: 1000, sharedPrefix: 400, precision: .bf16) + global.kvCacheBytes(context: 400, precision: .bf16)
            == global.kvCacheBytes(context: 1000, precision: .bf16))
    }

    /// Slots by hand (synthetic 10 GB device, 90% usable): 9e9 less 2e9 of weights, 41,943,040
    /// of activations (8,192 tokens x (4 x 256 + 3 x 512) x 2 bytes) and, with a 600-token
    /// shared prefix, its 614,400 bytes once; each slot holds its mean context of 900 tokens
    /// (800 + 200 / 2) less the prefix at 1,024 bytes a token, plus 4,000 bytes of logits.
    @Test func handComputedSlots() {
        let limits = SchedulerLimits(maxRunningSequences: 1_000_000)
        let free = 9e9 - 2e9 - 41_943_040.0
        let plain = SteadyStateServing.slots(profile: profile, workload: workload(), options: ServingOptions(), limits: limits)
        #expect(plain.slots == Int((free / (900 * 1024 + 4000)).rounded(.down)))
        let shared = SteadyStateServing.slots(profile: profile, workload: workload(hit: 0.75, shared: 600), options: ServingOptions(), limits: limits)
        #expect(shared.slots == Int(((free - 614_400) / (300 * 1024 + 4000)).rounded(.down)))
        #expect(shared.slots > 2 * plain.slots && shared.longestFits)
        // The hit rate alone saves no memory.
        let cachedOnly = SteadyStateServing.slots(profile: profile, workload: workload(hit: 0.75), options: ServingOptions(), limits: limits)
        #expect(cachedOnly.slots == plain.slots)
    }

    /// A static batch holds the prefix once and each sequence's full context beyond it.
    @Test func staticMemoryHoldsThePrefixOnce() {
        let plain = MemoryFit(profile: profile, workload: workload(batch: 16, hit: 0.5))
        let shared = MemoryFit(profile: profile, workload: workload(batch: 16, hit: 0.5, shared: 400))
        #expect(plain.kvCacheBytes == 16 * 1000 * 1024)
        #expect(shared.kvCacheBytes == 16 * 600 * 1024 + 400 * 1024)
        #expect(shared.sharedPrefixBytes == 400 * 1024 && plain.sharedPrefixBytes == 0)
        #expect(shared.weightBytes == plain.weightBytes && shared.activationBytes == plain.activationBytes)
    }

    /// The largest static batch is the one the memory allows with the prefix held once (the
    /// bisection's upper bound counts the prefix too), and the steady state at a fixed batch
    /// runs the same steps: decode still reads every sequence's whole context.
    @Test func largestBatchAndStepsWithAPrefix() throws {
        let small = TestProfiles.synthetic(memoryGB: 2.5)
        let plain = try #require(try BatchSearch.largestBatch(profile: small, workload: workload(hit: 0.75)))
        let shared = try #require(try BatchSearch.largestBatch(profile: small, workload: workload(hit: 0.75, shared: 600)))
        #expect(shared > plain)
        var at = workload(batch: shared, hit: 0.75, shared: 600)
        #expect(MemoryFit(profile: small, workload: at).fits)
        at.batch = shared + 1
        #expect(!MemoryFit(profile: small, workload: at).fits)
        let roomy = SchedulerLimits(maxRunningSequences: 1_000_000)
        let a = try SteadyStateServing(profile: profile, workload: workload(hit: 0.75), limits: roomy, runningBatch: 32)
        let b = try SteadyStateServing(profile: profile, workload: workload(hit: 0.75, shared: 600), limits: roomy, runningBatch: 32)
        #expect(a.meanStepSeconds == b.meanStepSeconds && a.requestsPerSecond == b.requestsPerSecond)
        #expect(b.slots > a.slots)
    }

    /// The prefix is shorter than the prompt, and the hit rate at least its share of it.
    @Test func invalidPrefixesAreRefused() {
        #expect(throws: HardwareError.self) { try workload(hit: 0.9, shared: 800).validate() }
        #expect(throws: HardwareError.self) { try workload(hit: 0.9, shared: -1).validate() }
        #expect(throws: HardwareError.self) { try workload(hit: 0.5, shared: 600).validate() }
        #expect(throws: Never.self) { try workload(hit: 0.75, shared: 600).validate() }
        #expect(ServingWorkload.leastHitRate(sharedPrefixTokens: 600, promptTokens: 800) == 0.75)
    }
}
