import Hardware
import Testing
import TestSupport

@Suite struct TrainingAndShapeTests {
    /// 6 x 1e9 x 1e10 = 6e19 FLOPs on 10 synthetic devices (100 TFLOP/s) at MFU 0.5: 1.2e5 s.
    @Test func trainingIsHandComputed() throws {
        let t = try TrainingEstimate(profile: TestProfiles.synthetic(), parameters: 1e9, tokens: 1e10, devices: 10, mfu: 0.5, pue: 1.1)
        #expect(t.flops == 6e19)
        #expect(relativeDifference(t.seconds, 1.2e5) < 1e-12)
        #expect(relativeDifference(t.deviceHours, 1.2e5 * 10 / 3600) < 1e-12)
        #expect(relativeDifference(t.usd, t.deviceHours * 2) < 1e-12)
        // Power factor 1 at utilisation 0.5: 100 + 400 x 0.5 = 300 W.
        #expect(relativeDifference(t.joules, 300 * 10 * 1.2e5 * 1.1) < 1e-12)
    }

    @Test func devicesNeededFinishInTime() throws {
        let p = try TestProfiles.shipped("h100-sxm")
        let n = try TrainingEstimate.devicesNeeded(profile: p, parameters: 70e9, tokens: 15e12, days: 90)
        let t = try TrainingEstimate(profile: p, parameters: 70e9, tokens: 15e12, devices: n)
        let fewer = try TrainingEstimate(profile: p, parameters: 70e9, tokens: 15e12, devices: n - 1)
        #expect(t.days <= 90 && fewer.days > 90)
        #expect(throws: HardwareError.self) { try TrainingEstimate(profile: p, parameters: 1e9, tokens: 1e9, devices: 1, mfu: 1.5) }
    }

    @Test func llamaFamilyRecoversLlama3_8B() throws {
        let s = try ModelShape.llama(parameters: 8.03e9)
        #expect(s == TestProfiles.llama8B)
        #expect(relativeDifference(s.parameterCount, 8.03e9) < 0.001)
        // 32 layers x 8 KV heads x 128 x 2 (K, V) x 2 bytes = 128 KiB per token.
        #expect(s.kvCacheBytesPerToken(.bf16) == 131_072)
        #expect(s.kvCacheBytesPerToken(.fp8) == 65_536)
    }

    @Test func derivedShapesAreValidAndGrowWithN() throws {
        var lastLayers = 0
        for n in [1e8, 1e9, 6.74e9, 3e10, 7e10, 4e11] {
            let s = try ModelShape.llama(parameters: n)
            try s.validate()
            #expect(s.layers >= lastLayers)
            lastLayers = s.layers
            if n >= 1e9 { #expect(relativeDifference(s.parameterCount, n) < 0.1) }
        }
        #expect(throws: HardwareError.self) { try ModelShape.llama(parameters: 0) }
    }

    @Test func precisionBytes() {
        #expect(Precision.bf16.bytesPerValue == 2)
        #expect(Precision.fp8.bytesPerValue == 1)
        #expect(Precision.int8.bytesPerValue == 1)
        #expect(Precision.int4.bytesPerValue == 0.5)
    }
}
