import Foundation
import Hardware
import Testing
import TestSupport

/// Output-length distributions in the continuous-batching steady state (issue 15, item 1: KV
/// occupancy from the real mean context over a request's life, with an output-length
/// distribution when given).
@Suite("Output-length distributions")
struct OutputLengthsTests {
    static func workload(batch: Int, output: Int, lengths: OutputLengths? = nil) throws -> ServingWorkload {
        var w = try SteadyStateServingTests.workload(batch: batch, output: output)
        w.outputLengths = lengths
        return w
    }

    /// 60% of requests answer in 50 tokens, 40% in 675: mean 300. Moments by hand:
    /// E[O − 1] = 299; E[O (O − 1)] = 0.6 × 50 × 49 + 0.4 × 675 × 674 = 1,470 + 181,980 = 183,450,
    /// so a running sequence is on average 183,450 / 598 = 306.77 tokens past its prompt (150
    /// with one length of 300); Var(O) = 0.6 × 250² + 0.4 × 375² = 93,750.
    static let chat = try! OutputLengths(tokens: [675, 50], weights: [2, 3])

    @Test func momentsByHand() throws {
        let d = Self.chat
        #expect(d.tokens == [50, 675] && d.weights == [0.6, 0.4], "sorted and normalised")
        #expect(abs(d.mean - 300) < 1e-12)
        #expect(abs(d.meanDecodeSteps - 299) < 1e-12)
        #expect(abs(d.decodeContextBeyondPrompt - 183_450.0 / 598) < 1e-9)
        #expect(abs(d.variance - 93_750) < 1e-6)
        #expect(d.longest == 675)
        let w = try Self.workload(batch: 64, output: 300, lengths: d)
        #expect(abs(Roofline.meanDecodeContext(w) - (800 + 183_450.0 / 598)) < 1e-9)
        #expect(w.longestContextTokens == 1475)
        let single = try OutputLengths(tokens: [300], weights: [1])
        #expect(single.decodeContextBeyondPrompt == 150 && single.variance == 0)
    }

    /// A distribution of one length is the single-length steady state: every figure equal, the
    /// p90 TPOT (a one-component mixture by bisection) to 1e-9 of the closed form.
    @Test func oneLengthIsTheSingleLengthModel() throws {
        let h100 = try TestProfiles.shipped("h100-sxm")
        for batch in [1, 40, 200] {
            let plain = try SteadyStateServing(profile: h100, workload: try Self.workload(batch: batch, output: 300))
            let one = try SteadyStateServing(profile: h100, workload: try Self.workload(batch: batch, output: 300,
                                                                                        lengths: try OutputLengths(tokens: [300], weights: [1])))
            #expect(one.slots == plain.slots && one.fits == plain.fits)
            #expect(one.meanStepSeconds == plain.meanStepSeconds && one.requestsPerSecond == plain.requestsPerSecond)
            #expect(one.ttft == plain.ttft && one.joulesPerToken == plain.joulesPerToken)
            #expect(one.tpot.mean == plain.tpot.mean && one.tpot.p50 == plain.tpot.p50)
            #expect(abs(one.tpot.p90 - plain.tpot.p90) <= 1e-9 * plain.tpot.p90, "batch \(batch)")
        }
    }

    /// The same mean with spread: running sequences are longer on average, so fewer fit and
    /// each step reads more KV cache; Little's law still runs on the mean (same requests per
    /// step), and throughput counts the mean output.
    @Test func spreadHoldsMoreContextAtTheSameMean() throws {
        let h100 = try TestProfiles.shipped("h100-sxm")
        let plain = try SteadyStateServing(profile: h100, workload: try Self.workload(batch: 128, output: 300))
        let spread = try SteadyStateServing(profile: h100, workload: try Self.workload(batch: 128, output: 300, lengths: Self.chat))
        #expect(spread.slots < plain.slots, "\(spread.slots) vs \(plain.slots)")
        // KV slots scale inversely with the context a slot holds: (800 + 150) / (800 + 306.77).
        let ratio = Double(spread.slots) / Double(plain.slots)
        #expect(abs(ratio - 950 / (800 + 183_450.0 / 598)) < 0.01, "\(ratio)")
        #expect(spread.meanStepSeconds > plain.meanStepSeconds)
        #expect(abs(spread.prefillTokensPerStep - 128 * 800 / 299.0) < 1e-9)
        #expect(abs(spread.tokensPerSecond - spread.requestsPerSecond * 300) < 1e-9 * spread.tokensPerSecond)
        // The mixture's p90 lies between its components' (50- and 675-token requests).
        let sd = spread.stepDeviationSeconds, z = Queueing.normalQuantile(0.9)
        let shortP90 = spread.meanStepSeconds + z * sd / 49.0.squareRoot(), longP90 = spread.meanStepSeconds + z * sd / 674.0.squareRoot()
        #expect(spread.tpot.p90 < shortP90 && spread.tpot.p90 > longP90)
    }

    /// The mixture quantile by hand: lengths 5 and 101 at equal weights give components of
    /// deviation sd / 2 and sd / 10, and at the returned quantile the mixture's CDF (written
    /// here with erf) is 0.9; with one length it is the normal quantile.
    @Test func tpotQuantileIsTheMixtureQuantile() throws {
        let d = try OutputLengths(tokens: [5, 101], weights: [0.5, 0.5])
        let mu = 0.02, sd = 0.004
        let q = d.tpotQuantile(meanStep: mu, stepDeviation: sd, quantile: 0.9)
        func phi(_ x: Double) -> Double { 0.5 * (1 + erf(x / 2.0.squareRoot())) }
        let cdf = 0.5 * phi((q - mu) / (sd / 2)) + 0.5 * phi((q - mu) / (sd / 10))
        #expect(abs(cdf - 0.9) < 1e-9, "\(cdf)")
        let one = try OutputLengths(tokens: [101], weights: [1])
        #expect(abs(one.tpotQuantile(meanStep: mu, stepDeviation: sd, quantile: 0.9) - (mu + Queueing.normalQuantile(0.9) * sd / 10)) < 1e-12)
        #expect(d.tpotQuantile(meanStep: mu, stepDeviation: 0, quantile: 0.9) == mu)
    }

    /// Allen–Cunneen: exponential service (c_s² = 1) gives the M/M/1 wait ρ S / (1 − ρ), twice
    /// the deterministic one.
    @Test func generalServiceWaitScalesWithVariability() {
        #expect(abs(Queueing.generalServiceWait(servers: 1, load: 0.5, service: 2, serviceSCV: 1) - 0.5 * 2 / 0.5) < 1e-12)
        #expect(Queueing.generalServiceWait(servers: 4, load: 3, service: 1, serviceSCV: 0)
            == Queueing.deterministicServiceWait(servers: 4, load: 3, service: 1))
    }

    /// A length whose KV cache does not fit beside the weights makes the replica not fit, even
    /// when the mean does: Llama 3.1 8B on an 80 GB H100 holds about 470K tokens of bf16 KV
    /// cache (128 KiB a token), so a 600K-token answer cannot run.
    @Test func theLongestLengthMustFit() throws {
        let h100 = try TestProfiles.shipped("h100-sxm")
        let d = try OutputLengths(tokens: [200, 600_000], weights: [0.9999, 0.0001])
        let mean = Int(d.mean.rounded())
        #expect(try SteadyStateServing(profile: h100, workload: try Self.workload(batch: 1, output: mean)).fits)
        #expect(try !SteadyStateServing(profile: h100, workload: try Self.workload(batch: 1, output: mean, lengths: d)).fits)
    }

    @Test func badDistributionsAreRefused() throws {
        #expect(throws: HardwareError.self) { try OutputLengths(tokens: [], weights: []) }
        #expect(throws: HardwareError.self) { try OutputLengths(tokens: [10, 20], weights: [1]) }
        #expect(throws: HardwareError.self) { try OutputLengths(tokens: [1, 20], weights: [0.5, 0.5]) }
        #expect(throws: HardwareError.self) { try OutputLengths(tokens: [20, 20], weights: [0.5, 0.5]) }
        #expect(throws: HardwareError.self) { try OutputLengths(tokens: [10, 20], weights: [-0.5, 1.5]) }
        #expect(throws: HardwareError.self) { try OutputLengths(tokens: [10, 20], weights: [0, 0]) }
        #expect(throws: HardwareError.self) { try OutputLengths(tokens: [10], weights: [.nan]) }
        // The workload's output tokens must be the distribution's mean, rounded.
        #expect(throws: HardwareError.self) { try Self.workload(batch: 8, output: 200, lengths: Self.chat).validate() }
        try Self.workload(batch: 8, output: 300, lengths: Self.chat).validate()
    }
}

/// The distribution's steady state against the simulated engine (`SteadyStateServingTests.simulate`),
/// each request drawing its own length: the length-biased context is what running sequences
/// hold (within 3%), and running batch, mean TPOT and p90 TPOT agree as for one length.
@Suite("Output-length distributions, simulated")
struct OutputLengthsSimulationTests {
    @Test(arguments: [24, 48])
    func formulasMatchASimulatedEngine(batch n: Int) throws {
        let h100 = try TestProfiles.uncalibrated("h100-sxm")
        var w = try SteadyStateServingTests.workload(batch: n, prompt: 600, output: 100)
        let d = try OutputLengths(tokens: [20, 300], weights: [0.7143, 0.2857])
        w.outputTokens = Int(d.mean.rounded())
        w.outputLengths = d
        let model = try SteadyStateServing(profile: h100, workload: w)
        try #require(model.isStable, "engine at \(model.engineUtilisation)")
        let sim = try SteadyStateServingTests.simulate(profile: h100, workload: w, model: model, seed: 5)
        let context = Roofline.meanDecodeContext(w)
        #expect(abs(sim.meanContext / context - 1) < 0.03, "context \(sim.meanContext) against \(context)")
        // One length at the mean would put running sequences at 600 + 50 = 650 tokens.
        #expect(sim.meanContext > 700)
        #expect(abs(sim.meanRunning / Double(n) - 1) < 0.10, "running batch \(sim.meanRunning) against \(n)")
        #expect(abs(sim.meanTPOT / model.tpot.mean - 1) < 0.10, "TPOT \(sim.meanTPOT) against \(model.tpot.mean)")
        #expect(abs(sim.p90TPOT / model.tpot.p90 - 1) < 0.30, "p90 TPOT \(sim.p90TPOT) against \(model.tpot.p90)")
    }
}

/// The planner's batch search and the steady state agree under a distribution: the largest
/// running batch within a TTFT SLO has a steady state that meets it, and one more sequence
/// does not (the search's slot wait carries the service's variability, as the steady state's).
@Suite("Output-length distributions, batch search")
struct OutputLengthsSearchTests {
    @Test func theSearchMeetsATTFTSLOWithTheDistribution() throws {
        let h100 = try TestProfiles.shipped("h100-sxm")
        // Short prompts and a long tail of answers (half of 100 tokens, half of 8,000): about
        // 110 KV slots, and the slot queue's service time varies (c_s² about 0.95). The
        // capacity limit is raised to 0.99 so that the slot queue, not the capacity, binds.
        let d = try OutputLengths(tokens: [100, 8000], weights: [0.5, 0.5])
        var w = try SteadyStateServingTests.workload(batch: 1, prompt: 200, output: Int(d.mean.rounded()))
        w.outputLengths = d
        let limits = SchedulerLimits(maxEngineUtilisation: 0.99)
        func ttft(_ b: Int) throws -> Double {
            var x = w
            x.batch = b
            return try SteadyStateServing(profile: h100, workload: x, limits: limits).ttft.mean
        }
        let slots = try SteadyStateServing(profile: h100, workload: w, limits: limits).slots
        let target = Int(0.85 * Double(slots))
        let slo = LatencySLO(ttftSeconds: try ttft(target))
        let found = try #require(try SteadyStateServing.largestRunningBatch(profile: h100, workload: w, slo: slo, limits: limits))
        try #require(found.batch == found.batch.rounded(), "the capacity limit bound first (\(found.batch))")
        let n = Int(found.batch)
        #expect(n >= target)
        #expect(try ttft(n) <= slo.ttftSeconds! * (1 + 1e-12))
        #expect(try ttft(n + 1) > slo.ttftSeconds!, "batch \(n + 1) also meets the SLO")
    }
}
