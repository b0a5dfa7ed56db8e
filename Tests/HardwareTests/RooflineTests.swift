import Hardware
import Testing
import TestSupport

@Suite struct RooflineTests {
    let profile = TestProfiles.synthetic()

    func workload(batch: Int = 1, prompt: Int = 100, output: Int = 2, n: Double = 1e9, devices: Int = 1,
                  shape: ModelShape = TestProfiles.tinyShape) -> ServingWorkload {
        ServingWorkload(shape: shape, parameters: n, batch: batch, promptTokens: prompt, outputTokens: output, devices: devices)
    }

    /// Hand computation (efficiencies 1, 100 TFLOP/s, 1 TB/s, bf16, N = 1e9, L 2, d 256, 2 KV heads x 64):
    /// KV bytes/token = 2 x 2 x 128 x 2 = 1024.
    /// Decode at mean context 100 + 2/2 = 101: bytes 2e9 + 101 x 1024, so 2.000103424 ms; FLOPs
    /// 2e9 + 4 x 2 x 256 x 101 give 0.02 ms: memory bound.
    /// Prefill of 100 tokens: FLOPs 2e11 + 2048 x 5050 = 200010342400 -> 2.000103424 ms, bytes
    /// 2e9 + 102400 -> 2.0001024 ms: compute bound.
    @Test func handComputedCase() throws {
        let w = workload()
        #expect(TestProfiles.tinyShape.kvCacheBytesPerToken(.bf16) == 1024)
        let decode = try Roofline.decodeStep(profile: profile, workload: w)
        #expect(decode.bound == .memory)
        #expect(relativeDifference(decode.seconds, 2.000103424e-3) < 1e-12)
        let prefill = try Roofline.prefill(profile: profile, workload: w)
        #expect(prefill.bound == .compute)
        #expect(relativeDifference(prefill.seconds, 2.000103424e-3) < 1e-12)
        let e = try ServingEstimate(profile: profile, workload: w)
        #expect(relativeDifference(e.requestSeconds, 2 * 2.000103424e-3) < 1e-12)
        #expect(relativeDifference(e.tokensPerSecond, 2 / e.requestSeconds) < 1e-12)
        // $2/h over the cycle for 2 output tokens.
        #expect(relativeDifference(e.usdPerMillionTokens, 2 * e.requestSeconds / 3600 / 2 * 1e6) < 1e-12)
    }

    /// Untied embeddings: the input table (V d = 1000 x 256 = 256000 parameters of the shape's
    /// 1435648 + 256000 = 1691648) is looked up, not multiplied, so a forward pass multiplies
    /// and streams N (1 - 256000 / 1691648) parameters and reads one 512-byte row per token.
    @Test func inputEmbeddingIsLookedUpNotMultiplied() throws {
        var shape = TestProfiles.tinyShape
        shape.tiedEmbeddings = false
        #expect(shape.parameterCount == 1_691_648)
        let w = workload(batch: 4, shape: shape)
        let fraction = 1 - 256_000.0 / 1_691_648
        #expect(relativeDifference(w.matmulParameters, 1e9 * fraction) < 1e-15)
        let decode = try Roofline.decodeStep(profile: profile, workload: w)
        #expect(relativeDifference(decode.flops, 4 * (2e9 * fraction + 4 * 2 * 256 * 101)) < 1e-12)
        #expect(relativeDifference(decode.bytes, 2e9 * fraction + 4 * 512 + 4 * 101 * 1024) < 1e-12)
        let prefill = try Roofline.prefill(profile: profile, workload: w)
        #expect(relativeDifference(prefill.flops, 400 * 2e9 * fraction + 4 * 2048 * 5050) < 1e-12)
        #expect(relativeDifference(prefill.bytes, 2e9 * fraction + 400 * 512 + 400 * 1024) < 1e-12)
    }

    /// A batch of 3 prompts of 5000 tokens is prefilled in ⌈15000 / 8192⌉ = 2 passes, each
    /// streaming the weights; FLOPs do not change.
    @Test func chunkedPrefillReadsTheWeightsOncePerChunk() throws {
        let w = workload(batch: 3, prompt: 5000)
        #expect(w.prefillPasses == 2 && w.prefillChunk == 8192)
        let prefill = try Roofline.prefill(profile: profile, workload: w)
        #expect(relativeDifference(prefill.bytes, 2 * 2e9 + 15000 * 1024) < 1e-12)
        var one = w
        one.prefillChunkTokens = 15000
        let single = try Roofline.prefill(profile: profile, workload: one)
        #expect(single.flops == prefill.flops)
        #expect(relativeDifference(single.bytes, 2e9 + 15000 * 1024) < 1e-12)
    }

    @Test func decodeTimeGrowsWithModelSizeAndBatchKV() throws {
        var last = 0.0
        for n in [1e9, 2e9, 8e9, 70e9] {
            let t = try Roofline.decodeStep(profile: profile, workload: workload(n: n)).seconds
            #expect(t > last)
            last = t
        }
        last = 0
        for b in [1, 4, 16, 64] {
            let t = try Roofline.decodeStep(profile: profile, workload: workload(batch: b, prompt: 4000)).seconds
            #expect(t > last)
            last = t
        }
    }

    @Test func decodeBecomesComputeBoundAtLargeBatch() throws {
        let h100 = try TestProfiles.shipped("h100-sxm")
        let small = ServingWorkload(shape: TestProfiles.llama8B, batch: 1, promptTokens: 128, outputTokens: 16)
        #expect(try Roofline.decodeStep(profile: h100, workload: small).bound == .memory)
        var big = small
        big.batch = 1024
        #expect(try Roofline.decodeStep(profile: h100, workload: big).bound == .compute)
    }

    @Test func prefillIsComputeBoundAtLongPrompts() throws {
        let h100 = try TestProfiles.shipped("h100-sxm")
        for p in [512, 2048, 32768] {
            let w = ServingWorkload(shape: TestProfiles.llama8B, batch: 1, promptTokens: p, outputTokens: 1)
            #expect(try Roofline.prefill(profile: h100, workload: w).bound == .compute)
        }
        let one = ServingWorkload(shape: TestProfiles.llama8B, batch: 1, promptTokens: 1, outputTokens: 1)
        #expect(try Roofline.prefill(profile: h100, workload: one).bound == .memory)
    }

    @Test func ttftAndTpotAreMonotone() throws {
        var lastTTFT = 0.0, lastTPOT = 0.0
        for p in [16, 128, 1024, 8192] {
            let e = try ServingEstimate(profile: profile, workload: workload(batch: 4, prompt: p, output: 64))
            #expect(e.ttftSeconds > lastTTFT && e.tpotSeconds > lastTPOT)
            lastTTFT = e.ttftSeconds
            lastTPOT = e.tpotSeconds
        }
    }

    @Test func tensorParallelismSplitsWorkAndAddsCommunication() throws {
        let one = try Roofline.decodeStep(profile: profile, workload: workload(devices: 1))
        let four = try Roofline.decodeStep(profile: profile, workload: workload(devices: 4))
        #expect(four.flops == one.flops / 4)
        // 2 L all-reduces of tokens x d x 2 bytes: 4 x (10 us + 2 x 3/4 x 512 B / 100 GB/s).
        #expect(relativeDifference(four.communicationSeconds, 4 * (10e-6 + 1.5 * 512 / 100e9)) < 1e-12)
        #expect(four.seconds < one.seconds)
        #expect(one.communicationSeconds == 0)
    }

    @Test func int4IsWeightOnlyAndHalvesWeightTraffic() throws {
        var w = workload()
        w.precision = .int4
        w.kvCachePrecision = .bf16
        let c = try Roofline.decodeStep(profile: profile, workload: w)
        #expect(c.peakFLOPS == 100e12)
        #expect(c.bytes == 0.5e9 + 101 * 1024)
        #expect(profile.mathPrecision(for: .fp8) == .bf16)
    }

    @Test func invalidWorkloadsThrow() {
        #expect(throws: HardwareError.self) { try Roofline.decodeStep(profile: profile, workload: workload(batch: 0)) }
        #expect(throws: HardwareError.self) { try Roofline.prefill(profile: profile, workload: workload(n: -1)) }
        let bad = ModelShape(layers: 2, hidden: 250, heads: 4, kvHeads: 2, vocabulary: 10)
        #expect(throws: HardwareError.self) { try bad.validate() }
    }
}
