import Foundation
import Fuzzing
import PlanModel
import PlanSolver
import Scenario
import TestSupport
import Testing

/// The plan check is independent of the evaluator it checks, so it must pass the solver's
/// real answers and fire when any one reported metric, replica or fleet is wrong.
@Suite("Plan check")
struct PlanCheckTests {
    static let catalog = try! HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))

    static func solved(_ scenario: String) throws -> (PlanOutcome, PlanningProblem) {
        let spec = try ScenarioSpec.load(path: Fixtures.path("scenarios/\(scenario)"), catalog: catalog)
        let outcome = try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 6)
        return (outcome, spec.problem)
    }

    /// A copy of `m` with one field changed.
    static func altered(_ m: PlanMetrics, loss: Double? = nil, trainCost: Double? = nil, trainEnergyKWh: Double? = nil,
                        inferenceCost: Double? = nil, inferenceEnergyKWh: Double? = nil, inferenceFLOPs: Double? = nil,
                        trainDays: Double? = nil, tpotMs: Double? = nil, fleet: Fleet? = nil) -> PlanMetrics {
        PlanMetrics(params: m.params, model: m.model, tokens: m.tokens, loss: loss ?? m.loss, downstreamError: m.downstreamError,
                    lossLow: m.lossLow, lossHigh: m.lossHigh, lossAtConfidence: m.lossAtConfidence, trainFLOPs: m.trainFLOPs,
                    trainDevices: m.trainDevices, trainDays: trainDays ?? m.trainDays, trainDeviceHours: m.trainDeviceHours,
                    trainCost: trainCost ?? m.trainCost, trainEnergyKWh: trainEnergyKWh ?? m.trainEnergyKWh,
                    inferenceFLOPs: inferenceFLOPs ?? m.inferenceFLOPs, inferenceCost: inferenceCost ?? m.inferenceCost,
                    inferenceEnergyKWh: inferenceEnergyKWh ?? m.inferenceEnergyKWh, fleet: fleet ?? m.fleet,
                    ttftMs: m.ttftMs, tpotMs: tpotMs ?? m.tpotMs, carbonIntensity: m.carbonIntensity)
    }

    @Test(arguments: ["chat-assistant.yaml", "research-run.yaml", "code-model-data-constrained.yaml", "sardana-inference-aware.yaml", "robust-research-run.yaml", "llama-family-chat.yaml", "batch-summarisation.yaml", "moe-chat-assistant.yaml",
                      "../Tests/Fixtures/scenarios/pipeline-l40s.yaml", "../Tests/Fixtures/scenarios/moe-small-gpu.yaml",
                      "../Tests/Fixtures/scenarios/reserved-fleet.yaml", "../Tests/Fixtures/scenarios/min-replicas.yaml",
                      "../Tests/Fixtures/scenarios/output-histogram.yaml"])
    func realAnswersPass(_ scenario: String) throws {
        let (outcome, problem) = try Self.solved(scenario)
        try #require(outcome.status == .optimal)
        #expect(PlanCheck.problems(outcome, problem) == [])
        if scenario.hasSuffix("pipeline-l40s.yaml") {
            #expect(outcome.recommended?.fleet.assignments.first?.replica.pipelineStages ?? 1 > 1)
        }
    }

    /// A mixture-of-experts plan is checked in its architecture's problem: the joint law at its
    /// expansion, every expert's weights on its replicas. Claiming another architecture, or
    /// another total size, is caught.
    @Test func moePlansAreCheckedInTheirArchitecture() throws {
        let (outcome, problem) = try Self.solved("moe-chat-assistant.yaml")
        let plan = try #require(outcome.recommended)
        #expect(plan.architecture?.hasPrefix("moe-") == true)
        #expect(PlanCheck.check(plan, problem, what: "plan") == [])
        func relabelled(_ label: String?, total: Double?) -> PlanMetrics {
            PlanMetrics(params: plan.params, model: plan.model, architecture: label, totalParams: total, tokens: plan.tokens, loss: plan.loss,
                        trainedLoss: plan.trainedLoss, quantization: plan.quantization, trainFLOPs: plan.trainFLOPs, trainDevices: plan.trainDevices,
                        trainDays: plan.trainDays, trainDeviceHours: plan.trainDeviceHours, trainCost: plan.trainCost,
                        trainEnergyKWh: plan.trainEnergyKWh, inferenceFLOPs: plan.inferenceFLOPs, inferenceCost: plan.inferenceCost,
                        inferenceEnergyKWh: plan.inferenceEnergyKWh, fleet: plan.fleet, ttftMs: plan.ttftMs, tpotMs: plan.tpotMs,
                        carbonIntensity: plan.carbonIntensity)
        }
        #expect(PlanCheck.check(relabelled(plan.architecture, total: plan.totalParams), problem, what: "plan") == [])
        #expect(!PlanCheck.check(relabelled("dense", total: nil), problem, what: "plan").isEmpty)
        #expect(!PlanCheck.check(relabelled("moe-99e-top1", total: plan.totalParams), problem, what: "plan").isEmpty)
        #expect(!PlanCheck.check(relabelled(plan.architecture, total: (plan.totalParams ?? 0) * 1.01), problem, what: "plan").isEmpty)
    }

    @Test func everyCorruptedMetricIsCaught() throws {
        let (outcome, problem) = try Self.solved("chat-assistant.yaml")
        let plan = try #require(outcome.recommended)
        #expect(PlanCheck.check(plan, problem, what: "plan") == [])
        let off = 1.001
        let corrupted: [(String, PlanMetrics)] = [
            ("loss", Self.altered(plan, loss: plan.loss * off)),
            ("training cost", Self.altered(plan, trainCost: plan.trainCost * off)),
            ("training energy", Self.altered(plan, trainEnergyKWh: plan.trainEnergyKWh * off)),
            ("training days", Self.altered(plan, trainDays: plan.trainDays * off)),
            ("inference cost", Self.altered(plan, inferenceCost: plan.inferenceCost * off)),
            ("inference energy", Self.altered(plan, inferenceEnergyKWh: plan.inferenceEnergyKWh * off)),
            ("inference FLOPs", Self.altered(plan, inferenceFLOPs: plan.inferenceFLOPs * off)),
            ("TPOT", Self.altered(plan, tpotMs: (plan.tpotMs ?? 1) * off)),
        ]
        for (name, bad) in corrupted {
            let found = PlanCheck.check(bad, problem, what: "plan")
            #expect(found.contains { $0.contains(name) }, "a wrong \(name) was not caught: \(found)")
        }
    }

    /// A fleet one replica short in its busiest month, and a replica whose throughput the
    /// hardware model does not give, are caught although the metrics are consistent with them.
    @Test func aWrongFleetIsCaught() throws {
        let (outcome, problem) = try Self.solved("chat-assistant.yaml")
        let plan = try #require(outcome.recommended)
        let first = try #require(plan.fleet.assignments.first)
        let busiest = try #require(first.replicasByMonth.indices.max { first.replicasByMonth[$0] < first.replicasByMonth[$1] })
        var counts = first.replicasByMonth
        counts[busiest] -= 1
        let short = Fleet(assignments: [FleetAssignment(replica: first.replica, replicasByMonth: counts)] + plan.fleet.assignments.dropFirst())
        let shortFound = PlanCheck.check(Self.altered(plan, fleet: short), problem, what: "plan")
        #expect(shortFound.contains { $0.contains("month \(busiest + 1) serves") }, "\(shortFound)")

        let r = first.replica
        let faster = ReplicaSpec(option: r.option, devices: r.devices, batch: r.batch, requestsPerSecond: r.requestsPerSecond * 1.1,
                                 busyJoulesPerRequest: r.busyJoulesPerRequest, ttftSeconds: r.ttftSeconds, tpotSeconds: r.tpotSeconds)
        let optimistic = Fleet(assignments: [FleetAssignment(replica: faster, replicasByMonth: first.replicasByMonth)] + plan.fleet.assignments.dropFirst())
        let fasterFound = PlanCheck.check(Self.altered(plan, fleet: optimistic), problem, what: "plan")
        #expect(fasterFound.contains { $0.contains("requests/s, the hardware model gives") }, "\(fasterFound)")
    }
}
