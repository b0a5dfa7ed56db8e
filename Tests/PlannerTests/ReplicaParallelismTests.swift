import Foundation
import Hardware
import PlanModel
import Scenario
import Testing
import TestSupport

/// Parallelism is a decision (issue 15, item 2): each serving option's replica takes the
/// tensor-parallel degree that serves a request for the fewest device-seconds.
@Suite("Replica parallelism")
struct ReplicaParallelismTests {
    static let catalog = try! HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))

    static func option(_ name: String, _ precision: Precision) throws -> ServingOption {
        ServingOption(hardware: try Self.catalog.profile(named: name), precision: precision)
    }

    /// An option keeps its profile in a shared box: a copy whose profile is changed has its
    /// own profile (value semantics), its label and name follow the new profile, and
    /// equality compares the profiles, not the boxes.
    @Test func optionsKeepValueSemantics() throws {
        let h100 = try Self.option("h100-sxm", .bf16)
        var changed = h100
        var profile = changed.hardware
        profile.name = "h100-tuned"
        profile.efficiency.decodeBandwidth.value = 0.9
        changed.hardware = profile
        #expect(h100.hardware.name == "h100-sxm" && h100.hardwareName == "h100-sxm" && h100.label == "h100-sxm/bf16")
        #expect(changed.hardwareName == "h100-tuned" && changed.label == "h100-tuned/bf16")
        #expect(changed.hardware.efficiency.decodeBandwidth.value == 0.9 && h100.hardware.efficiency.decodeBandwidth.value != 0.9)
        #expect(changed != h100)
        // Built apart from the same profile, two options are equal.
        #expect(try Self.option("h100-sxm", .bf16) == h100)
        var renamedBack = changed
        var back = renamedBack.hardware
        back.name = "h100-sxm"
        back.efficiency.decodeBandwidth = h100.hardware.efficiency.decodeBandwidth
        renamedBack.hardware = back
        #expect(renamedBack == h100)
    }

    /// Llama 3.1 70B in bf16 on H100 with a 30 ms TPOT SLO: two GPUs hold it but stream its
    /// 141 GB of weights too slowly (70.6e9 x 2 bytes / 2 / (3.35 TB/s x 0.6) = 35 ms a step),
    /// so the replica takes 4 or 8.
    @Test func seventyBillionMeetsATightTPOT() throws {
        let shape = try #require(ModelCatalog.named("llama-3.1-70b")).shape
        let option = try Self.option("h100-sxm", .bf16)
        let slo = LatencySLO(ttftSeconds: 2, tpotSeconds: 0.030)
        let spec = try #require(ServingModel.replica(option: option, params: shape.parameterCount, shape: shape, prompt: 1000, output: 300,
                                                     slo: slo, fixedUtilisation: nil, pue: 1))
        #expect([4, 8].contains(spec.devices) && spec.tpotSeconds <= 0.030 && spec.ttftSeconds <= 2)
        // Two GPUs fit the weights but miss the SLO even at batch 1.
        let two = ServingWorkload(shape: shape, parameters: shape.parameterCount, precision: .bf16, batch: 1, promptTokens: 1000, outputTokens: 300, devices: 2)
        let e = try ServingEstimate(profile: option.hardware, workload: two)
        #expect(e.memory.fits && e.tpotSeconds > 0.030, "\(e.memory.requiredBytes / 1e9) GB needed, TPOT \(e.tpotSeconds)")
    }

    /// The chosen degree and layout are the cheapest: no other degree or layout, at its own largest running batch
    /// (continuous batching in steady state) within memory, stable queues and the SLO, serves a request for fewer device-seconds; and the chosen batch is
    /// the largest (one more breaks memory or the SLO).
    @Test(arguments: [("llama-3.1-8b", "l40s", Precision.fp8), ("llama-3.1-70b", "h100-sxm", .fp8), ("qwen3-32b", "a100-80gb", .bf16)])
    func chosenDegreeIsTheCheapest(_ model: String, _ hardware: String, _ precision: Precision) throws {
        let shape = try #require(ModelCatalog.named(model)).shape
        let option = try Self.option(hardware, precision)
        let slo = LatencySLO(ttftSeconds: 1.5, tpotSeconds: 0.05)
        let spec = try #require(ServingModel.replica(option: option, params: shape.parameterCount, shape: shape, prompt: 800, output: 300,
                                                     slo: slo, fixedUtilisation: nil, pue: 1, pipeline: true))
        func estimate(devices: Int, stages: Int = 1, batch: Double) throws -> SteadyStateServing {
            var w = ServingWorkload(shape: shape, parameters: shape.parameterCount, precision: precision, batch: 1, promptTokens: 800,
                                    outputTokens: 300, devices: devices)
            w.pipelineStages = stages
            return try SteadyStateServing(profile: option.hardware, workload: w, runningBatch: batch)
        }
        func meets(_ s: SteadyStateServing) -> Bool { s.isStable && s.ttft.mean <= 1.5 && s.tpot.mean <= 0.05 }
        let chosen = try estimate(devices: spec.devices, stages: spec.pipelineStages, batch: spec.runningBatch)
        #expect(meets(chosen), "TTFT \(chosen.ttft.mean) TPOT \(chosen.tpot.mean) stable \(chosen.isStable) slots \(chosen.slotUtilisation) prefill \(chosen.prefillUtilisation) batch \(spec.batch) of \(chosen.slots), running \(spec.runningBatch) on \(spec.devices), engine \(chosen.engineUtilisation)")
        if spec.runningBatch < Double(ServingModel.maximumBatch) {
            #expect(!meets(try estimate(devices: spec.devices, stages: spec.pipelineStages,
                                        batch: spec.runningBatch * (1 + 1e-6) + (spec.runningBatch == spec.runningBatch.rounded() ? 1 : 0))))
        }
        // Every degree and layout (tensor parallelism, pipelines of 2 and of one stage per
        // device), every running batch on a coarse grid and the batches next to the chosen
        // one: none cheaper.
        let chosenCost = Double(spec.devices) / chosen.requestsPerSecond
        for devices in [1, 2, 4, 8] {
            for stages in Set([1, 2, devices]) where devices % stages == 0 {
                for batch in Set([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, spec.batch - 1, spec.batch + 1]) where batch >= 1 && batch <= 1024 {
                    let s = try estimate(devices: devices, stages: stages, batch: Double(batch))
                    guard meets(s) else { continue }
                    #expect(Double(devices) / s.requestsPerSecond >= chosenCost * (1 - 1e-9), "\(model): \(devices) devices, \(stages) stages at batch \(batch)")
                }
            }
        }
    }
}

/// What the cost branch and bound relies on (CostBranchAndBound): between two sizes with the
/// same derived shape and devices per replica, a larger model never gets a cheaper replica.
/// The capacity limit is what could break it (its integer batch rounds differently from size
/// to size); the fractional batch at the limit keeps it.
@Suite("Replica monotonicity")
struct ReplicaMonotonicityTests {
    @Test(arguments: [("l40s", Precision.fp8), ("h100-sxm", .bf16), ("b200", .fp8)])
    func aLargerModelNeverServesCheaper(_ hardware: String, _ precision: Precision) throws {
        let option = try ReplicaParallelismTests.option(hardware, precision)
        let slo = LatencySLO(ttftSeconds: 0.8, tpotSeconds: 0.06)
        var previous: (shape: ModelShape, spec: ReplicaSpec)?
        var compared = 0
        for i in 0..<400 {
            let n = 1e9 * Foundation.exp(Double(i) / 399 * Foundation.log(100.0))
            let shape = try ModelShape.llama(parameters: n)
            guard let spec = ServingModel.replica(option: option, params: n, prompt: 800, output: 300, slo: slo, fixedUtilisation: nil, pue: 1) else {
                previous = nil
                continue
            }
            if let p = previous, p.shape == shape, p.spec.devices == spec.devices {
                compared += 1
                #expect(spec.deviceSecondsPerRequest >= p.spec.deviceSecondsPerRequest * (1 - 1e-9),
                        "N \(n): \(spec.deviceSecondsPerRequest) device-s after \(p.spec.deviceSecondsPerRequest), batch \(spec.runningBatch) after \(p.spec.runningBatch)")
            }
            previous = (shape, spec)
        }
        #expect(compared > 200)
    }
}

/// An infeasible scenario whose SLO no option can meet names the SLO and the target that
/// would do (issue 15, item 2), rather than the loss bound.
@Suite("SLO relaxations")
struct SLORelaxationTests {
    static func problem(tpotMs: Double) throws -> PlanningProblem {
        let text = """
            scenario: tight-tpot
            law: { preset: hoffmann2022 }
            training: { hardware: h100-sxm }
            search: { sizes: [llama-3.1-70b] }
            inference:
              hardware: [l40s]
              precision: [bf16]
              demand: { requests_per_day: 10M, horizon_months: 12, prompt_tokens: 1000, output_tokens: 300 }
              slo: { tpot_ms: \(tpotMs), ttft_ms: 2000 }
            quantization: { law: none }
            objectives: [cost]
            constraints: { loss_max: 2.5 }
            """
        return try ScenarioSpec.decode(try YAMLValue.parse(text, file: "s.yaml"), catalog: ReplicaParallelismTests.catalog).problem
    }

    @Test func tpotRelaxationIsTheSmallestFeasibleTarget() throws {
        let outcome = try PlanOutcome.solve(try Self.problem(tpotMs: 20), frontierX: .loss, frontierY: .cost, points: 5)
        #expect(outcome.status == .infeasible)
        let tpot = try #require(outcome.relaxations.first { $0.constraint == "slo.tpot_ms" })
        let needed = try #require(tpot.needed)
        #expect(tpot.bound == 20 && needed > 20)
        #expect(outcome.relaxations.first { $0.constraint == "loss_max" }?.needed == nil)
        // At the reported target a plan exists; 2% below it none does.
        #expect(try PlanOutcome.solve(try Self.problem(tpotMs: needed), frontierX: .loss, frontierY: .cost, points: 5).status == .optimal)
        #expect(try PlanOutcome.solve(try Self.problem(tpotMs: needed / 1.02), frontierX: .loss, frontierY: .cost, points: 5).status == .infeasible)
    }

    /// On a slow link (1 GB/s, 1 ms) a 70B model on 8 devices is cheaper as a pipeline: tensor
    /// parallelism's 160 all-reduces per step cost more than re-reading the weights.
    @Test func thePlannerChoosesAPipelineOnASlowLink() throws {
        var profile = try ReplicaParallelismTests.catalog.profile(named: "h100-sxm")
        profile.interconnectGBps = SourcedValue(1, source: "test")
        profile.interconnectLatencyUS = SourcedValue(1000, source: "test")
        let option = ServingOption(hardware: profile, precision: .bf16)
        let spec = try #require(ServingModel.replica(option: option, params: 70e9, prompt: 200, output: 200, slo: LatencySLO(),
                                                     fixedUtilisation: nil, pue: 1, pipeline: true))
        #expect(spec.pipelineStages > 1, "\(spec.parallelismLabel)")
        // Without the opt-in (inference.pipeline_parallel) it stays tensor-parallel.
        let plain = try #require(ServingModel.replica(option: option, params: 70e9, prompt: 200, output: 200, slo: LatencySLO(),
                                                      fixedUtilisation: nil, pue: 1))
        #expect(plain.pipelineStages == 1 && plain.deviceSecondsPerRequest >= spec.deviceSecondsPerRequest * (1 - 1e-9))
    }
}
