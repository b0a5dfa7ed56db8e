import Downscale
import FileIO
import Foundation
import GLPK
import PlanModel
import PlanSolver
import ScalingLaws
import Scenario
import Testing
import TestSupport

/// Every example scenario, solved and checked independently.
@Suite("Scenario planning")
struct ScenarioPlanningTests {
    static let catalog = try! HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))
    static let examples: [String] = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.path("scenarios")))?
        .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("pilot-") }.sorted() ?? []  // pilot-*.yaml: pilot files, not scenarios

    static func load(_ path: String) throws -> ScenarioSpec { try ScenarioSpec.load(path: path, catalog: catalog) }

    @Test func thereAreAtLeastFiveExamples() { #expect(Self.examples.count >= 5) }

    /// An architecture that memory rules out has no plan, says why, and the others still compete.
    @Test func moeRuledOutByMemorySaysWhy() throws {
        let spec = try Self.load(Fixtures.path("Tests/Fixtures/scenarios/moe-small-gpu.yaml"))
        let outcome = try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 4)
        let big = try #require(outcome.architectures.first { $0.label == "moe-256e-top1" })
        #expect(big.best == nil)
        let reason = try #require(big.reason)
        #expect(reason.contains("the largest model a serving option runs within memory and the SLO"), "\(reason)")
        #expect(outcome.warnings.contains { $0.code == .memoryExceeded && $0.subject == "moe-256e-top1" })
        #expect(outcome.architectures.filter { $0.best != nil }.count == 2)
        #expect(outcome.recommended != nil)
    }

    /// The dense-versus-MoE example (issue 17): every architecture is planned at the same loss
    /// bound; each one's best plan sits at it; a mixture of experts holds more parameters
    /// than it runs and trains on fewer FLOPs than the dense model at that loss (the joint
    /// law's finding), and the recommended plan is the cheapest of them.
    @Test func denseAndMoEPlansCompareAtEqualLoss() throws {
        let spec = try Self.load(Fixtures.path("scenarios/moe-chat-assistant.yaml"))
        #expect(spec.problem.architectureOptions.map(\.label) == ["dense", "moe-8e-top1", "moe-8e-top2", "moe-32e-top1", "moe-32e-top2"])
        let outcome = try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 6)
        let recommended = try #require(outcome.recommended)
        #expect(outcome.architectures.count == 5)
        let best = outcome.architectures.compactMap(\.best)
        #expect(best.count == 5)
        let dense = try #require(outcome.architectures.first { $0.label == "dense" }?.best)
        for (label, plan, _) in outcome.architectures {
            let m = try #require(plan)
            #expect(abs(m.loss - 2.05) < 1e-4, "\(label) at loss \(m.loss)")
            #expect(m.architecture == label)
            if label == "dense" {
                #expect(m.totalParams == nil || m.totalParams == m.params)
            } else {
                #expect(try #require(m.totalParams) > m.params)
                #expect(m.trainFLOPs < dense.trainFLOPs, "\(label) trains on \(m.trainFLOPs) FLOPs, dense \(dense.trainFLOPs)")
            }
        }
        let cheapest = best.map(\.totalCost).min()!
        #expect(abs(recommended.totalCost - cheapest) <= 1e-6 * cheapest)
        #expect(recommended.architecture != "dense")
    }

    /// Every frontier point satisfies every constraint when re-evaluated, none dominates
    /// another, and y falls as x grows (a trade-off).
    @Test(arguments: examples)
    func frontierIsFeasibleNonDominatedAndMonotone(file: String) throws {
        let spec = try Self.load(Fixtures.path("scenarios/\(file)"))
        // Downscale-only scenarios ask no planning question (DownscaleTests covers them).
        guard !spec.problem.objectives.isEmpty else { #expect(spec.downscale != nil); return }
        let outcome = try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: spec.frontier.points)
        #expect(outcome.status == .optimal)
        let recommended = try #require(outcome.recommended)
        #expect(PlanEvaluator.violations(spec.problem, recommended).isEmpty)
        let frontier = try #require(outcome.frontier)
        #expect(frontier.points.count >= 2, "\(file)")
        let (x, y) = (frontier.x, frontier.y)
        for p in frontier.points {
            #expect(PlanEvaluator.violations(spec.problem, p).isEmpty, "\(file): \(PlanEvaluator.violations(spec.problem, p))")
            // Independent re-evaluation reproduces the reported numbers.
            let again = PlanEvaluator.evaluate(spec.problem.problem(forArchitecture: p.architecture), params: p.params, tokens: p.tokens, fleet: p.fleet)
            #expect((again.totalCost == p.totalCost || (again.totalCost.isNaN && p.totalCost.isNaN)) && again.loss == p.loss)
            for q in frontier.points where q.params != p.params || q.tokens != p.tokens {
                let dominates = q.value(x) <= p.value(x) && q.value(y) <= p.value(y) && (q.value(x) < p.value(x) || q.value(y) < p.value(y))
                #expect(!dominates, "\(file): a frontier point is dominated")
            }
        }
        let ys = frontier.points.map { $0.value(y) }
        #expect(zip(ys, ys.dropFirst()).allSatisfy { $0 >= $1 }, "\(file): \(ys)")
    }

    /// Tightening a constraint never improves the optimum.
    @Test func tighteningNeverHelps() throws {
        let spec = try Self.load(Fixtures.path("scenarios/chat-assistant.yaml"))
        let planner = Planner(problem: spec.problem)
        var previous = 0.0
        for loss in [2.1, 2.0, 1.95, 1.9] {
            guard case .optimal(let m) = try planner.minimize(.cost, constraints: spec.problem.constraints.tightened(.loss, to: loss)) else {
                Issue.record("infeasible at \(loss)"); return
            }
            #expect(m.totalCost >= previous)
            previous = m.totalCost
        }
    }

    /// With no serving, minimum loss under a compute cap is the law's compute-optimal allocation.
    @Test func researchRunIsComputeOptimal() throws {
        let spec = try Self.load(Fixtures.path("scenarios/research-run.yaml"))
        guard case .optimal(let m) = try Planner(problem: spec.problem).minimize(.loss) else { Issue.record("infeasible"); return }
        let closed = try spec.problem.law.computeOptimal(compute: 1e24)
        #expect(relativeDifference(m.params, closed.params) < 1e-5)
        #expect(relativeDifference(m.tokens, closed.tokens) < 1e-5)
        #expect(relativeDifference(m.trainFLOPs, 1e24) < 1e-9)
    }

    /// Sardana et al. 2024 through scenario files (ORACLES.md): N and D within 1%, savings
    /// against the Chinchilla-style choice within 0.2 percentage points.
    @Test(arguments: [
        ("scenarios/sardana-inference-aware.yaml", 1.947, 2.418e10, 2.657e12, 4.823e23, 1 - 0.9522),
        ("Tests/Fixtures/scenarios/sardana-13b.yaml", 2.045282, 6.969e9, 1.248e12, nil, 0.1745),
    ] as [(String, Double, Double, Double, Double?, Double)])
    func sardanaOracles(file: String, loss: Double, n: Double, d: Double, total: Double?, savings: Double) throws {
        let spec = try Self.load(Fixtures.path(file))
        let planner = Planner(problem: spec.problem)
        guard case .optimal(let m) = try planner.minimize(.compute) else { Issue.record("infeasible"); return }
        #expect(relativeDifference(m.params, n) < 0.01, "N = \(m.params)")
        #expect(relativeDifference(m.tokens, d) < 0.01, "D = \(m.tokens)")
        if let total { #expect(relativeDifference(m.totalFLOPs, total) < 0.01) }
        // The Chinchilla-style choice: compute-optimal training for the same loss, then serve.
        var trainingOnly = spec.problem
        trainingOnly.inference = nil
        guard case .optimal(let c) = try Planner(problem: trainingOnly).minimize(.compute) else { Issue.record("infeasible"); return }
        let inferenceTokens = 2e12
        let chinchillaTotal = c.trainFLOPs + 2 * c.params * inferenceTokens
        #expect(abs((chinchillaTotal - m.totalFLOPs) / chinchillaTotal - savings) < 0.002)
    }

    @Test func sameInputGivesTheSameAnswer() throws {
        let spec = try Self.load(Fixtures.path("scenarios/on-device-assistant.yaml"))
        let a = try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 6)
        let b = try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 6)
        #expect(a.frontier?.points.map(\.totalCost) == b.frontier?.points.map(\.totalCost))
        #expect(a.recommended?.params == b.recommended?.params)
    }

    @Test func infeasibleScenarioExplainsTheRelaxations() throws {
        let spec = try Self.load(Fixtures.path("Tests/Fixtures/scenarios/infeasible.yaml"))
        let outcome = try PlanOutcome.solve(spec.problem, frontierX: .loss, frontierY: .cost, points: 5)
        #expect(outcome.status == .infeasible)
        let loss = try #require(outcome.relaxations.first { $0.constraint == "loss_max" })
        let cost = try #require(outcome.relaxations.first { $0.constraint == "cost_max" })
        // With 1M USD the best loss is above 1.9; reaching 1.9 needs more than 1M USD.
        #expect((loss.needed ?? 0) > 1.9)
        #expect((cost.needed ?? 0) > 1e6)
        // Each relaxation alone makes the scenario feasible.
        var relaxed = spec.problem
        relaxed.constraints.costMax = cost.needed! * (1 + 1e-6)
        guard case .optimal = try Planner(problem: relaxed).minimize(.cost) else { Issue.record("still infeasible"); return }
    }
}

/// Data-constrained planning (Muennighoff et al. 2023): repetition has diminishing returns.
@Suite("Data-constrained planning")
struct DataConstrainedPlanningTests {
    static let catalog = try! HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))

    @Test func limitedUniqueDataCostsMoreAndRepeats() throws {
        let spec = try ScenarioSpec.load(path: Fixtures.path("scenarios/code-model-data-constrained.yaml"), catalog: Self.catalog)
        let unique = try #require(spec.problem.training.uniqueTokens)
        guard case .optimal(let limited) = try Planner(problem: spec.problem).minimize(.cost) else { Issue.record("infeasible"); return }
        // The reported loss is the data-constrained law's at the plan, at the bound.
        guard case .dataConstrained(let law) = spec.problem.law else { Issue.record("family"); return }
        #expect(abs(law.loss(params: limited.params, tokens: limited.tokens, uniqueTokens: unique) - limited.trainedLoss) < 1e-12)
        #expect(abs(limited.loss - 2.1) < 1e-9)
        #expect(limited.tokens > unique)  // it repeats data

        var unlimitedProblem = spec.problem
        unlimitedProblem.training.uniqueTokens = nil
        guard case .optimal(let unlimited) = try Planner(problem: unlimitedProblem).minimize(.cost) else { Issue.record("infeasible"); return }
        #expect(limited.totalCost > unlimited.totalCost)

        // Below the repetition floor of the largest model allowed, no plan exists.
        var impossible = spec.problem
        impossible.constraints.lossMax = law.lossFloor(params: spec.problem.constraints.paramsMax, uniqueTokens: unique) - 0.01
        guard case .infeasible = try Planner(problem: impossible).minimize(.cost) else { Issue.record("expected infeasible"); return }
    }
}
