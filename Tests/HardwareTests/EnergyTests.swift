import Hardware
import Testing
import TestSupport

@Suite struct EnergyTests {
    /// ML.ENERGY leaderboard (ORACLES.md): Llama-3.1-8B on H100 at batch 64 uses about
    /// 0.12-0.20 J per output token. Ours, with the default factors, for 512 prompt and 256
    /// output tokens: about 0.14 J.
    @Test func llama8BOnH100AtBatch64MatchesMLEnergy() throws {
        let h100 = try TestProfiles.shipped("h100-sxm")
        let w = ServingWorkload(shape: TestProfiles.llama8B, parameters: 8.03e9, batch: 64, promptTokens: 512, outputTokens: 256)
        let e = try ServingEstimate(profile: h100, workload: w)
        #expect(e.joulesPerToken > 0.12 && e.joulesPerToken < 0.20, "got \(e.joulesPerToken) J/token")
    }

    /// ML.ENERGY (ORACLES.md): 7B models at batch 1 on A100 are about 4 J per token. Ours for a
    /// Llama-2-7B-sized model (6.74B, 32 layers, d 4096, MHA) on A100 80GB: about 4.0 J.
    @Test func sevenBAtBatch1OnA100IsAboutFourJoules() throws {
        let a100 = try TestProfiles.shipped("a100-80gb")
        let llama2 = ModelShape(layers: 32, hidden: 4096, heads: 32, kvHeads: 32, vocabulary: 32_000, intermediate: 11_008)
        let w = ServingWorkload(shape: llama2, parameters: 6.74e9, batch: 1, promptTokens: 512, outputTokens: 256)
        let e = try ServingEstimate(profile: a100, workload: w)
        #expect(e.joulesPerToken > 3 && e.joulesPerToken < 5.5, "got \(e.joulesPerToken) J/token")
    }

    @Test func energyIsPowerTimesTime() throws {
        let p = TestProfiles.synthetic()
        let w = ServingWorkload(shape: TestProfiles.tinyShape, parameters: 1e9, batch: 8, promptTokens: 300, outputTokens: 50, devices: 2)
        let options = ServingOptions(pue: 1.2, carbonIntensity: 400)
        let e = try ServingEstimate(profile: p, workload: w, options: options)
        let expected = (e.prefillWatts * e.ttftSeconds + e.decodeWatts * 49 * e.tpotSeconds) * 2 * 1.2
        #expect(relativeDifference(e.joulesPerToken * 8 * 50, expected) < 1e-12)
        #expect(relativeDifference(e.averageWatts * e.requestSeconds * 2 * 1.2, expected) < 1e-12)
        #expect(relativeDifference(e.gramsCO2PerMillionTokens!, e.joulesPerToken * 1e6 / 3.6e6 * 400) < 1e-12)
        #expect(e.prefillWatts >= 100 && e.prefillWatts <= 500)
    }

    @Test func powerStaysBetweenIdleAndTDP() {
        let p = TestProfiles.synthetic()
        #expect(PowerModel.watts(profile: p, utilisation: 0, powerFactor: 1.5) == 100)
        #expect(PowerModel.watts(profile: p, utilisation: 0.5, powerFactor: 1) == 300)
        #expect(PowerModel.watts(profile: p, utilisation: 0.9, powerFactor: 1.5) == 500)
    }

    @Test func invalidOptionsThrow() throws {
        let w = ServingWorkload(shape: TestProfiles.tinyShape, batch: 1, promptTokens: 1, outputTokens: 1)
        #expect(throws: HardwareError.self) {
            try ServingEstimate(profile: TestProfiles.synthetic(), workload: w, options: ServingOptions(pue: 0.5))
        }
    }
}
