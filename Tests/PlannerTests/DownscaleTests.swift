import Downscale
import FileIO
import Foundation
import GLPK
import Hardware
import PlanModel
import PlanSolver
import ScalingLaws
import Scenario
import Testing
import TestSupport

/// `downscale`: answers checked independently (hardware model, law, cost curves).
@Suite("Downscaling")
struct DownscaleTests {
    static let catalog = try! HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))

    static func example() throws -> DownscaleProblem {
        try #require(try ScenarioSpec.load(path: Fixtures.path("scenarios/on-device-downscale.yaml"), catalog: catalog).downscale)
    }

    /// A downscale section of a 7B reference served on H100 and an L40S, 400 prompt and 200
    /// output tokens a request, for keys to be added to.
    static let smallRequest = """
      reference: { params: 7B }
      reference_serving: { hardware: h100-sxm }
      devices: [l40s]
      prompt_tokens: 400
      output_tokens: 200

    """

    static func decode(_ downscale: String, law: String = "{ preset: hoffmann2022 }", training: String = "{ hardware: h100-sxm, mfu: 0.42 }") throws -> DownscaleProblem {
        let text = "scenario: x\nlaw: \(law)\ntraining: \(training)\ndownscale:\n" + downscale
        return try #require(try ScenarioSpec.decode(try YAMLValue.parse(text, file: "s.yaml"), catalog: catalog).downscale)
    }

    /// Dense and MoE candidates under the joint law (issue 17): the winner is a MoE whose
    /// every expert fits the 3 GB cap by a fresh estimate, whose served loss, written out from
    /// the joint law at its expansion, reaches the dense reference's; the 64-expert MoE is
    /// ruled out by memory and a warning says so.
    @Test func mixturesOfExpertsDownscaleWithinMemory() throws {
        let problem = try #require(try ScenarioSpec.load(path: Fixtures.path("Tests/Fixtures/scenarios/moe-downscale.yaml"), catalog: Self.catalog).downscale)
        #expect(problem.architectures.map(\.label) == ["dense", "moe-4e-top1", "moe-64e-top1"])
        let outcome = try Downscaler.solve(problem)
        let best = try #require(outcome.best)
        #expect(best.architecture == "moe-4e-top1")
        let total = try #require(best.totalParams)
        #expect(total > best.params)
        // A fresh estimate of every expert's weights on the device.
        let shape = try #require(MoEArchitecture(experts: 4, activeExperts: 1).shape(activeParameters: best.params))
        #expect(relativeDifference(total, best.params * shape.parameterCount / shape.activeParameterCount) < 1e-12)
        let e = try ServingEstimate(profile: best.device, workload: ServingWorkload(shape: shape, parameters: total, precision: best.precision,
                                                                                    batch: 1, promptTokens: 400, outputTokens: 200))
        #expect(e.memory.requiredBytes <= 3e9 * (1 + 1e-9))
        // The joint law at E = 4 (Ludziejewski et al. 2025, eq. 6) reaches the reference's loss.
        let l = JointExpertsLaw.ludziejewski2025
        #expect(l.loss(activeParams: best.params, tokens: best.tokens, experts: 4) <= outcome.reference.loss * (1 + 1e-9))
        let ruledOut = outcome.warnings.filter { $0.subject == "moe-64e-top1" }
        #expect(ruledOut.count == 1 && ruledOut[0].code == .memoryExceeded && ruledOut[0].message.contains("memory_gb"), "\(outcome.warnings)")
        #expect(outcome.frontier.allSatisfy { $0.architecture != nil })
    }

    /// The recommended model fits the 24 GB cap and the SLO by a fresh serving estimate, reaches
    /// the reference loss by direct evaluation of the law (plus int4's 0.01), and the reference
    /// is compute-optimal for 70B.
    @Test func exampleAnswerHoldsWhenCheckedIndependently() throws {
        let problem = try Self.example()
        let outcome = try Downscaler.solve(problem)
        let best = try #require(outcome.best)
        let law = problem.law
        // Reference: 70B is the compute-optimal size for its compute.
        let r = outcome.reference
        #expect(r.params == 70e9)
        #expect(relativeDifference(try law.computeOptimal(compute: 6 * r.params * r.tokens).params, 70e9) < 1e-9)
        #expect(relativeDifference(r.loss, law.unsafeLoss(params: r.params, tokens: r.tokens)) < 1e-15)
        // Hardware: a fresh estimate of the chosen model on the chosen device.
        let device = try #require(Self.catalog.profiles.first { $0.name == best.device.name })
        let shape = try ModelShape.llama(parameters: best.params)
        let e = try ServingEstimate(profile: device, workload: ServingWorkload(
            shape: shape, parameters: best.params, precision: best.precision, batch: 1, promptTokens: 400, outputTokens: 200))
        #expect(e.memory.requiredBytes <= 24e9)
        #expect(e.tpotSeconds <= 0.040 * (1 + 1e-12) && e.ttftSeconds <= 2.0)
        // Loss: trained loss by the law, plus Kumar et al. 2024's quantisation loss written out
        // from the paper (eq. 2 and Table 2 for rounding after training; eq. 4's effective
        // parameters N (1 - e^(-P / 2.6745)) for quantisation-aware training).
        let bits: Double = ["bf16": 16, "int8": 8, "int4": 4][best.precision.rawValue]!
        let trained = law.unsafeLoss(params: best.params, tokens: best.tokens)
        let penalty: Double = bits >= 16 ? 0 : best.method == .postTraining
            ? 0.0598 * pow(best.tokens, 0.5068) / pow(best.params, 0.3439) * exp(-bits / 0.5907)
            : law.unsafeLoss(params: best.params * (1 - exp(-bits / 2.6745)), tokens: best.tokens) - trained
        #expect(relativeDifference(best.trainedLoss, trained) < 1e-12)
        #expect(relativeDifference(best.loss - best.trainedLoss, penalty) < 1e-9)
        #expect(best.reachesReference)
        #expect(trained + penalty <= r.loss * (1 + 1e-12))
        #expect(relativeDifference(trained + penalty, r.loss) < 1e-9)
        // Extra compute against the reference.
        #expect(relativeDifference(best.extraTrainFLOPs, 6 * best.params * best.tokens - 6 * r.params * r.tokens) < 1e-9)
        // The boundary: a 0.1% larger model at the same precision breaks a limit on every device.
        for d in problem.devices {
            let bigger = try ServingEstimate(profile: d, workload: ServingWorkload(
                shape: try ModelShape.llama(parameters: best.params * 1.001), parameters: best.params * 1.001,
                precision: best.precision, batch: 1, promptTokens: 400, outputTokens: 200))
            let ok = bigger.memory.requiredBytes <= 24e9 && bigger.tpotSeconds <= 0.040 && bigger.ttftSeconds <= 2.0
            #expect(!ok || d.name != best.device.name, "\(d.name)")
        }
        // Every frontier point meets every limit.
        for p in outcome.frontier {
            #expect(p.serving.memory.requiredBytes <= 24e9 && p.serving.tpotSeconds <= 0.040 * (1 + 1e-12))
        }
        // The devices' profiles state no serving efficiency (apple-m3-max.yaml and
        // jetson-agx-orin-64gb.yaml give only training_mfu), so the best plan's figures rest
        // on the defaults of the factors its bounds lean on, and say so.
        let leaned = e.leanedEfficiencyKeys
        let warning = try #require(outcome.warnings.first { $0.code == .defaultEfficiency }, "\(outcome.warnings)")
        #expect(warning.subject == "best plan" && warning.message.hasPrefix("The \(best.device.name) figures lean on"))
        for key in leaned { #expect(warning.message.contains(key), "\(key) missing: \(warning.message)") }
    }

    /// The example's 70B reference, served at its cheapest parallelism on H100 at a GPU cloud's
    /// price ($2.99 per GPU-hour, under half the AWS list price), costs less per token than the
    /// laptop does at batch 1, so the small model never pays back its extra training: no
    /// break-even volume.
    @Test func cheaperReferenceHasNoBreakEven() throws {
        var problem = try Self.example()
        problem.referenceServing = ServingOption(hardware: problem.referenceServing.hardware,
                                                 precision: problem.referenceServing.precision, usdPerDeviceHour: 2.99)
        let outcome = try Downscaler.solve(problem)
        let best = try #require(outcome.best)
        let refPerToken = try #require(outcome.reference.usdPerToken)
        #expect(refPerToken < best.usdPerToken && best.trainCost > outcome.reference.trainCost)
        #expect(best.breakEvenTokens == nil)
    }

    /// `prefix_cache_hit_rate` in the downscale section: the reference and every candidate
    /// compute only the uncached part of each prompt, so the reference's price per token and
    /// the best plan's TTFT fall, its decode does not change, and a warning says the rate is
    /// an assumption.
    @Test func prefixCachingShortensThePrefillOfEveryDevice() throws {
        let plain = try Self.example()
        var cached = plain
        cached.prefixCacheHitRate = 0.5
        let a = try Downscaler.solve(plain), b = try Downscaler.solve(cached)
        #expect(try #require(b.reference.usdPerToken) < (try #require(a.reference.usdPerToken)))
        let bestA = try #require(a.best), bestB = try #require(b.best)
        var same = bestB.serving.workload
        same.prefixCacheHitRate = 0
        let uncached = try ServingEstimate(profile: bestB.device, workload: same)
        #expect(bestB.serving.ttftSeconds < uncached.ttftSeconds)
        #expect(bestB.serving.tpotSeconds == uncached.tpotSeconds)
        #expect(b.warnings.contains { $0.code == .prefixCacheAssumed } && !a.warnings.contains { $0.code == .prefixCacheAssumed })
        #expect(bestA.serving.workload.prefixCacheHitRate == 0)
        let decoded = try Self.decode(Self.smallRequest + "  prefix_cache_hit_rate: 0.25\n")
        #expect(decoded.prefixCacheHitRate == 0.25)
    }

    /// `shared_prefix_tokens` in the downscale section: every device holds the prefix once, so
    /// a candidate's static batch of 8 needs less KV cache (the prefix's bytes at every
    /// sequence but one) and its decode does not change; the rate defaults to the prefix's
    /// share of the prompt.
    @Test func aSharedPrefixIsHeldOnceOnEveryDevice() throws {
        var plain = try Self.example()
        plain.batch = 8
        var shared = plain
        shared.prefixCacheHitRate = 0.5
        shared.sharedPrefixTokens = plain.promptTokens / 2
        var cached = plain
        cached.prefixCacheHitRate = 0.5
        let a = try Downscaler.solve(cached), b = try Downscaler.solve(shared)
        let bestA = try #require(a.best), bestB = try #require(b.best)
        #expect(bestB.serving.workload.sharedPrefixTokens == plain.promptTokens / 2)
        var same = bestB.serving.workload
        same.sharedPrefixTokens = 0
        let unshared = try ServingEstimate(profile: bestB.device, workload: same)
        #expect(bestB.serving.workload.batch == 8 && bestB.serving.memory.kvCacheBytes < unshared.memory.kvCacheBytes)
        #expect(bestB.serving.tpotSeconds == unshared.tpotSeconds)
        #expect(bestA.serving.workload.sharedPrefixTokens == 0)
        let decoded = try Self.decode(Self.smallRequest + "  shared_prefix_tokens: 100\n")
        #expect(decoded.sharedPrefixTokens == 100 && decoded.prefixCacheHitRate == 0.25)
    }

    /// The break-even volume is where the two lifetime cost lines cross (here with the
    /// reference's hardware priced at four times the list price, so that the lines cross).
    @Test func breakEvenIsTheCrossingOfTheCostCurves() throws {
        var problem = try Self.example()
        var pricey = problem.referenceServing.hardware
        pricey.usdPerHour = SourcedValue(pricey.usdPerHour.value * 4, source: "test: four times the list price")
        problem.referenceServing = ServingOption(hardware: pricey, precision: problem.referenceServing.precision)
        let outcome = try Downscaler.solve(problem)
        let best = try #require(outcome.best)
        let v = try #require(best.breakEvenTokens)
        let refPerToken = try #require(outcome.reference.usdPerToken)
        func small(_ tokens: Double) -> Double { best.trainCost + tokens * best.usdPerToken }
        func reference(_ tokens: Double) -> Double { outcome.reference.trainCost + tokens * refPerToken }
        #expect(v > 0)
        #expect(relativeDifference(small(v), reference(v)) < 1e-9)
        #expect(small(v * 0.99) > reference(v * 0.99))
        #expect(small(v * 1.01) < reference(v * 1.01))
        // The per-token price is the device's hourly price over its output tokens per hour.
        #expect(relativeDifference(best.usdPerToken, best.device.usdPerHour.value / 3600 / best.serving.tokensPerSecond) < 1e-9)
    }

    /// With 5B unique tokens and the data-constrained law, repetition saturates: a 1B model
    /// cannot reach a 7B model's loss, and the answer says so.
    @Test func repetitionMakesTheTargetUnreachable() throws {
        let problem = try Self.decode("""
              reference: { params: 7B, tokens: 140B }
              devices: [jetson-agx-orin-64gb]
              precision: [bf16]
              prompt_tokens: 100
              output_tokens: 100
              sizes: [1B]
            """, law: "{ preset: muennighoff2023-c4 }", training: "{ hardware: h100-sxm, unique_tokens: 5B }")
        let best = try #require(try Downscaler.solve(problem).best)
        #expect(!best.reachesReference)
        #expect(try #require(best.limit).contains("repeating"))
        #expect(best.loss > (try Downscaler.solve(problem)).reference.loss)
        #expect(relativeDifference(best.loss, problem.law.unsafeLoss(params: 1e9, tokens: best.tokens, uniqueTokens: 5e9)) < 1e-12)
    }

    /// A family restricts the answer to its members; a loss reference is met exactly.
    @Test func familyAndLossReference() throws {
        let problem = try Self.decode("""
              reference: { loss: 2.0 }
              devices: [l4]
              precision: [bf16, fp8]
              prompt_tokens: 500
              output_tokens: 200
              slo: { tpot_ms: 30 }
              family: qwen2.5
            """)
        let outcome = try Downscaler.solve(problem)
        #expect(relativeDifference(outcome.reference.loss, 2.0) < 1e-6)
        let best = try #require(outcome.best)
        #expect(ModelFamily.qwen25.members.contains { $0.name == best.model && $0.parameters == best.params })
        #expect(best.serving.tpotSeconds <= 0.030)
        // No larger member meets the SLO at any listed precision.
        for m in ModelFamily.qwen25.members where m.parameters > best.params {
            for p in [Precision.bf16, .fp8] {
                let l4 = try #require(Self.catalog.profiles.first { $0.name == "l4" })
                let e = try ServingEstimate(profile: l4, workload: ServingWorkload(shape: m.shape, parameters: m.parameters, precision: p,
                                                                                   batch: 1, promptTokens: 500, outputTokens: 200))
                #expect(e.tpotSeconds > 0.030 || e.memory.requiredBytes > l4.memoryBytes * 0.9, "\(m.name) \(p)")
            }
        }
    }

    @Test func nothingFitsGivesAReason() throws {
        let problem = try Self.decode("""
              reference: { params: 7B }
              devices: [jetson-agx-orin-64gb]
              prompt_tokens: 100
              output_tokens: 100
              slo: { tpot_ms: 0.001 }
            """)
        let outcome = try Downscaler.solve(problem)
        #expect(outcome.best == nil)
        #expect(try #require(outcome.reason).contains("tpot_ms"))
    }

    @Test(arguments: [
        ("  reference: { params: 7B, loss: 2.0 }\n  devices: [l4]\n  prompt_tokens: 1\n  output_tokens: 1\n", 5, 14, "takes {model}, {model, tokens}, {params}"),
        ("  reference: { loss: 1.5 }\n  devices: [l4]\n  prompt_tokens: 1\n  output_tokens: 1\n", 5, 22, "irreducible"),
        ("  reference: { params: 7B }\n  devices: [l5]\n  prompt_tokens: 1\n  output_tokens: 1\n", 6, 13, "unknown hardware 'l5'"),
        ("  reference: { params: 7B }\n  devices: [l4]\n  output_tokens: 1\n", 5, 3, "'prompt_tokens'"),
        ("  reference: { params: 7B }\n  devices: [l4]\n  prompt_tokens: 1\n  output_tokens: 1\n  quantization_loss: { int3: 0.1 }\n", 9, 24, "unknown key 'int3'"),
    ])
    func badSectionsAreLocated(text: String, line: Int, column: Int, fragment: String) {
        expectInputError(line: line, column: column, containing: fragment) { _ = try Self.decode(text) }
    }
}
