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
