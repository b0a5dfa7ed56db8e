import Foundation
import Hardware
import Testing
import TestSupport

/// Mixture-of-experts shapes and serving (issue 17, items 2-4): catalogue counts against the
/// published totals and active counts, the expected-experts formula against a simulation of
/// uniform routing, memory where real deployments run, and the roofline's expert bytes.
@Suite("Mixture-of-experts serving")
struct MixtureOfExpertsServingTests {
    /// Published (total, active) parameters and the tolerance their rounding allows. gpt-oss's
    /// model card counts active parameters without the unembedding (one V × d matrix less).
    static let published: [(String, Double, Double, Double)] = [
        ("mixtral-8x7b", 46.7e9, 12.9e9, 0.01), ("qwen3-30b-a3b", 30.5e9, 3.3e9, 0.02), ("qwen3-235b-a22b", 235e9, 22e9, 0.02),
        ("qwen3-coder-480b-a35b", 480e9, 35e9, 0.02), ("deepseek-v3", 671e9, 37e9, 0.02), ("deepseek-r1", 671e9, 37e9, 0.02),
        ("deepseek-v3.1", 671e9, 37e9, 0.02), ("llama-4-scout", 109e9, 17e9, 0.02), ("llama-4-maverick", 400e9, 17e9, 0.02),
        ("gpt-oss-20b", 20.9e9, 3.6e9, 0.02), ("gpt-oss-120b", 116.8e9, 5.1e9, 0.02),
    ]

    @Test func catalogueCountsMatchThePublishedTotalsAndActiveCounts() throws {
        for (name, total, active, tolerance) in Self.published {
            let entry = try #require(ModelCatalog.named(name), "\(name)")
            try entry.shape.validate()
            #expect(entry.shape.isMixtureOfExperts)
            #expect(relativeDifference(entry.parameters, total) < tolerance, "\(name) total \(entry.parameters)")
            let counted = entry.shape.activeParameterCount - (name.hasPrefix("gpt-oss") ? entry.shape.outputProjectionParameters : 0)
            #expect(relativeDifference(counted, active) < tolerance, "\(name) active \(counted)")
        }
    }

    /// DeepSeek-V3 by hand: 61 layers of latent attention (q 7168·1536 + 1536·128·192, latent
    /// 7168·576, up 512·128·256, out 128·128·7168), 3 dense MLPs of 18432, 58 MoE layers of
    /// 256 + 1 experts of 2048 and a 7168 × 256 router, untied 129280-token embeddings; the
    /// cache is 576 values per layer and token (DeepSeek-V2 paper, section 2.1.2).
    @Test func deepSeekByHand() throws {
        let s = try #require(ModelCatalog.named("deepseek-v3")).shape
        let attention: Double = 7168 * 1536 + 1536 * 128 * 192 + 7168 * 576 + 512 * 128 * 256 + 128 * 128 * 7168
        let expert: Double = 3 * 7168 * 2048
        let total = 61 * attention + 3 * 3 * 7168 * 18432 + 58 * (257 * expert + 7168 * 256) + 2 * 129_280 * 7168
        #expect(s.parameterCount == total)
        #expect(s.activeParameterCount == total - 58 * 248 * expert)
        #expect(s.kvCacheBytesPerToken(.bf16) == 61 * 576 * 2)
        // Under tensor parallelism the latent is not split: every device holds all of it.
        #expect(MemoryFit.kvShare(shape: s, devices: 8) == 1)
    }

    /// E (1 − (1 − k/E)^T) against the mean number of distinct experts a seeded simulation of
    /// T tokens, each picking k distinct experts uniformly, reaches (4,000 trials; within four
    /// standard errors).
    @Test(arguments: [(128, 8, 1), (128, 8, 4), (128, 8, 16), (128, 8, 64), (8, 2, 3), (256, 8, 32), (16, 1, 10)])
    func expectedExpertsTouchedMatchesASimulation(experts: Int, active: Int, tokens: Int) {
        let layout = ExpertLayout(experts: experts, activeExperts: active, expertIntermediate: 1, moeLayers: 1)
        var rng = SplitMix(seed: UInt64(experts * 1000 + active * 100 + tokens))
        let trials = 4000
        var sum = 0.0, sumSquares = 0.0
        for _ in 0..<trials {
            var hit = [Bool](repeating: false, count: experts)
            for _ in 0..<tokens {
                // k distinct experts: a partial Fisher-Yates shuffle.
                var pool = Array(0..<experts)
                for j in 0..<active {
                    let pick = j + Int(rng.next() % UInt64(experts - j))
                    pool.swapAt(j, pick)
                    hit[pool[j]] = true
                }
            }
            let count = Double(hit.filter { $0 }.count)
            sum += count
            sumSquares += count * count
        }
        let mean = sum / Double(trials)
        let sd = max((sumSquares / Double(trials) - mean * mean).squareRoot(), 1e-9)
        let formula = layout.expectedExpertsTouched(tokens: Double(tokens))
        #expect(abs(formula - mean) <= 4 * sd / Double(trials).squareRoot() + 1e-9, "formula \(formula), simulated \(mean)")
        if tokens == 1 { #expect(formula == Double(active)) }
    }

    /// Memory where real deployments run: Qwen3-235B-A22B in bf16 on 8 H100s with expert
    /// parallelism 8 (vLLM `-tp 8 --enable-expert-parallel`), gpt-oss-120b in MXFP4 on one
    /// H100 (its experts; the rest stays bf16), Mixtral 8x7B in fp8 on one H100,
    /// DeepSeek-V3 in fp8 on 8 H200s but not on 8 H100s, Llama 4 Scout in int4 on one H100;
    /// eight sequences of 2,048 tokens each unless stated.
    @Test func memoryFitsWhereRealDeploymentsRun() throws {
        let h100 = try TestProfiles.shipped("h100-sxm"), h200 = try TestProfiles.shipped("h200")
        func fit(_ name: String, _ profile: HardwareProfile, _ precision: Precision, devices: Int, ep: Int = 1, dp: Int = 1,
                 nonExpertsBF16: Bool = false, batch: Int = 8) throws -> MemoryFit {
            let shape = try #require(ModelCatalog.named(name)).shape
            var w = ServingWorkload(shape: shape, precision: precision, batch: batch, promptTokens: 1024, outputTokens: 1024, devices: devices)
            w.expertParallel = ep
            w.attentionDataParallel = dp
            if nonExpertsBF16 { w.highPrecisionParameters = shape.parameterCount - shape.routedExpertParameters }
            try w.validate()
            return MemoryFit(profile: profile, workload: w)
        }
        #expect(try fit("qwen3-235b-a22b", h100, .bf16, devices: 8, ep: 8).fits)
        #expect(try !fit("qwen3-235b-a22b", h100, .bf16, devices: 4, ep: 4).fits)
        let oss = try fit("gpt-oss-120b", h100, .mxfp4, devices: 1, nonExpertsBF16: true)
        #expect(oss.fits)
        // 114.7B expert weights at 4.25 bits and 2.1B others at 16 bits: about 65 GB.
        #expect(abs(oss.weightBytes / 1e9 - 65.2) < 1)
        #expect(try !fit("gpt-oss-120b", h100, .bf16, devices: 1).fits)
        #expect(try fit("mixtral-8x7b", h100, .fp8, devices: 1).fits)
        #expect(try fit("deepseek-v3", h200, .fp8, devices: 8, ep: 8).fits)
        #expect(try !fit("deepseek-v3", h100, .fp8, devices: 8, ep: 8).fits)
        // Scout's 69 GB of int4 experts and bf16 rest leave room for one sequence only (Meta's
        // model card: "fits on a single H100 GPU with on-the-fly int4 quantization").
        #expect(try fit("llama-4-scout", h100, .int4, devices: 1, nonExpertsBF16: true, batch: 1).fits)
        // Data-parallel attention replicates the non-expert weights: more memory per device.
        let tp = try fit("deepseek-v3", h200, .fp8, devices: 8, ep: 8)
        let dpAttention = try fit("deepseek-v3", h200, .fp8, devices: 8, ep: 8, dp: 8)
        #expect(dpAttention.weightBytes > tp.weightBytes)
    }

    /// A decode step reads the always-read weights and the experts its tokens reach: at batch 1
    /// about the active weights, growing with the batch towards every expert.
    @Test func decodeBytesFollowTheExpertsTouched() throws {
        let profile = TestProfiles.synthetic(memoryGB: 1000)
        let shape = try #require(ModelCatalog.named("qwen3-30b-a3b")).shape
        func bytes(_ batch: Int) throws -> Double {
            let w = ServingWorkload(shape: shape, batch: batch, promptTokens: 1, outputTokens: 2)
            return try Roofline.decodeStep(profile: profile, workload: w, context: 0).bytes
        }
        let routed = shape.routedExpertParameters * 2
        let always = (shape.nonRoutedParameters - shape.outputProjectionParameters) * 2
        // Batch 1: k/E of the experts, the always-read weights and one embedding row.
        #expect(relativeDifference(try bytes(1), always + routed * 8 / 128 + 2048 * 2) < 1e-9)
        var last = 0.0
        for b in [1, 2, 4, 16, 64, 256] {
            let x = try bytes(b)
            #expect(x > last)
            last = x
        }
        // At batch 256 nearly every expert is read: within 1% of all of them.
        #expect(try bytes(256) > always + 0.99 * routed)
        // FLOPs count the active parameters only.
        let w = ServingWorkload(shape: shape, batch: 4, promptTokens: 1, outputTokens: 2)
        let flops = try Roofline.decodeStep(profile: profile, workload: w, context: 0).flops
        #expect(relativeDifference(flops, 4 * 2 * (shape.activeParameterCount - shape.outputProjectionParameters)) < 1e-9)
    }

    /// Data-parallel attention adds two all-to-alls per MoE layer and runs the all-reduces
    /// within each group over its share of the tokens; expert parallelism's imbalance scales
    /// the busiest group's expert FLOPs.
    @Test func parallelismCostsAsStated() throws {
        let profile = TestProfiles.synthetic(memoryGB: 1000)
        let shape = try #require(ModelCatalog.named("mixtral-8x7b")).shape
        var w = ServingWorkload(shape: shape, batch: 64, promptTokens: 1, outputTokens: 2, devices: 8)
        let tp = try Roofline.decodeStep(profile: profile, workload: w, context: 0)
        w.expertParallel = 8
        w.attentionDataParallel = 8
        let dp = try Roofline.decodeStep(profile: profile, workload: w, context: 0)
        // 10 µs latency, 100 GB/s link: dispatch and combine of 8 tokens per group, each sent to
        // 7 (1 − (7/8)^2) = 1.64 other groups on average, 4096 × 2 bytes each, in 32 layers.
        let remote: Double = 7 * (1 - pow(7.0 / 8, 2))
        let perToken: Double = remote * 4096 * 2
        let allToAll: Double = 10e-6 + 8 * perToken / 100e9
        #expect(relativeDifference(dp.communicationSeconds, 2 * 32 * allToAll) < 1e-9)
        #expect(tp.communicationSeconds > 0)
        // Replicated non-expert weights: each device reads all of them under DP attention.
        #expect(dp.bytes > tp.bytes)
        w.routingImbalance = 1.5
        let skewed = try Roofline.decodeStep(profile: profile, workload: w, context: 0)
        let routedActive = shape.routedExpertParameters * 2 / 8
        #expect(relativeDifference(skewed.flops - dp.flops, 0.5 * 64 * 2 * routedActive / 8) < 1e-9)
        // A dense model cannot be expert-parallel.
        var dense = ServingWorkload(shape: ModelCatalog.named("llama-3.1-8b")!.shape, batch: 1, promptTokens: 1, outputTokens: 2, devices: 2)
        dense.expertParallel = 2
        #expect(throws: HardwareError.self) { try dense.validate() }
    }

    /// Under data-parallel attention each of the G groups holds its own sequences, so the
    /// largest static batch memory allows is G times what one group's devices hold: the
    /// search's upper bound counts every group (it once stopped at one group's count and
    /// returned that bound as the answer).
    @Test func largestStaticBatchCountsEveryAttentionGroup() throws {
        let shape = try #require(ModelCatalog.named("mixtral-8x7b")).shape
        let profile = TestProfiles.synthetic(memoryGB: 40)
        var w = ServingWorkload(shape: shape, batch: 1, promptTokens: 4000, outputTokens: 4000, devices: 8)
        w.expertParallel = 8
        w.attentionDataParallel = 8
        let batch = try #require(try BatchSearch.largestBatch(profile: profile, workload: w))
        var at = w
        at.batch = batch
        #expect(MemoryFit(profile: profile, workload: at).fits)
        at.batch = batch + 1
        #expect(!MemoryFit(profile: profile, workload: at).fits, "batch \(batch) is not the largest that fits")
        let one = MemoryFit(profile: profile, workload: w)
        #expect(one.maxFullContextSequences >= batch && batch > one.maxFullContextSequences / 8)
    }

    /// Training counts the active parameters' FLOPs and holds every parameter's state.
    @Test func trainingUsesActiveFLOPsAndTotalMemory() throws {
        let h100 = try TestProfiles.shipped("h100-sxm")
        let shape = try #require(ModelCatalog.named("deepseek-v3")).shape
        let t = try TrainingEstimate(profile: h100, parameters: shape.parameterCount, tokens: 14.8e12, devices: 2048, shape: shape)
        #expect(t.flops == 6 * shape.activeParameterCount * 14.8e12)
        #expect(t.mfu == TrainingEstimate.mixtureOfExpertsMFU.value)
        #expect(t.trainingStateBytes == 16 * shape.parameterCount)
        #expect(t.minimumDevicesForState == Int((16 * shape.parameterCount / h100.memoryBytes).rounded(.up)))
        let dense = try TrainingEstimate(profile: h100, parameters: 8e9, tokens: 1e12, devices: 8)
        #expect(dense.flops == 6 * 8e9 * 1e12 && dense.activeParameters == 8e9)
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a small seeded generator for the simulation.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Pipeline parallelism (issues 15 and 17): the stage's weights read once per micro-batch,
/// memory split over all devices, the stage boundaries crossed once per step
/// (ReplicaParallelismTests: the planner chooses it where the link is slow).
@Suite("Pipeline parallelism")
struct PipelineParallelismTests {
    @Test func stepCostsAsStated() throws {
        let profile = TestProfiles.synthetic(memoryGB: 1000)
        let shape = try #require(ModelCatalog.named("llama-3.1-8b")).shape
        var w = ServingWorkload(shape: shape, batch: 32, promptTokens: 1, outputTokens: 2, devices: 4)
        let tp = try Roofline.decodeStep(profile: profile, workload: w, context: 0)
        w.pipelineStages = 4
        let pp = try Roofline.decodeStep(profile: profile, workload: w, context: 0)
        // The same FLOPs per device; each device holds a quarter of the layers but reads them
        // for each of 4 micro-batches: the weights of one device under tensor parallelism x 4.
        #expect(relativeDifference(pp.flops, tp.flops) < 1e-12)
        let weights = w.matmulWeightBytes
        let rows = 32 * Double(shape.hidden) * 2 / 4
        #expect(relativeDifference(pp.bytes, weights + rows) < 1e-12)
        #expect(relativeDifference(tp.bytes, weights / 4 + rows) < 1e-12)
        // Three boundaries of 8 tokens' bf16 activations (10 µs, 100 GB/s), and no all-reduce.
        let hop: Double = 10e-6 + 8 * Double(shape.hidden) * 2 / 100e9
        #expect(relativeDifference(pp.communicationSeconds, 3 * hop) < 1e-12)
        // Memory per device: a quarter of the weights and of the cache, as tensor parallelism.
        var one = w
        one.pipelineStages = 1
        #expect(relativeDifference(MemoryFit(profile: profile, workload: w).weightBytes, MemoryFit(profile: profile, workload: one).weightBytes) < 1e-12)
        w.pipelineStages = 3
        #expect(throws: HardwareError.self) { try w.validate() }
    }
}
