import Demand
import Foundation
import Fuzzing
import PlanModel
import PlanSolver
import PropertyBased
import Scenario
import Testing
import TestSupport

/// Per-option minimum replica counts (`inference.min_replicas`): the fleet MILPs against brute
/// force, a case by hand, and a whole plan re-verified by the independent plan check.
@Suite("Minimum replicas")
struct MinimumReplicasTests {
    typealias Brute = CapacityPurchasingTests

    /// Month by month and over the horizon (change costs, reservations), with minimums on
    /// either option or both, GLPK's fleet costs what brute force over the allowed counts
    /// costs, and every option runs 0 or at least its minimum.
    @Test(arguments: [
        ([2, 1], CapacityPurchasing.onDemand), ([1, 3], .onDemand), ([3, 4], .onDemand),
        ([2, 3], CapacityPurchasing(changeCostReplicaHours: 100)),
        ([1, 4], CapacityPurchasing(reservation: .init(termMonths: 4, discounts: ["h100-sxm": 0.4, "l40s": 0.3]))),
        ([3, 2], CapacityPurchasing(reservation: .init(termMonths: 4, discounts: ["l40s": 0.5]), changeCostReplicaHours: 200)),
    ])
    func fleetMatchesBruteForce(minimums: [Int], purchasing: CapacityPurchasing) throws {
        let slots = try Brute.slots(minimums: minimums)
        let sized = try FleetSizer.size(slots: slots, demand: try Brute.forecast(Brute.peaks), purchasing: purchasing)
        let expected = Brute.bruteForce(slots, peaks: Brute.peaks, purchasing: purchasing)
        let gap = purchasing.couplesMonths ? 1e-4 : 1e-9
        #expect(sized.horizonUSD <= expected * (1 + gap))
        #expect(sized.horizonUSD >= expected * (1 - 1e-9))
        for (m, peak) in Brute.peaks.enumerated() {
            #expect(sized.fleet.capacity(month: m) >= peak)
            for k in 0..<2 {
                let n = sized.counts[m][k]
                #expect(n == 0 || n >= minimums[k], "month \(m + 1), option \(k): \(n) below its minimum \(minimums[k])")
            }
        }
        // A minimum can only raise the cost.
        let free = try FleetSizer.size(slots: try Brute.slots(), demand: try Brute.forecast(Brute.peaks), purchasing: purchasing)
        #expect(sized.horizonUSD >= free.horizonUSD * (1 - gap))
    }

    /// Random peaks and minimums: the per-month MILP costs what brute force over the allowed
    /// counts costs, and never less than without the minimums.
    @Test func randomMinimumsMatchBruteForce() async {
        // Peaks up to 26.5 req/s, so that the cheapest fleet lies within the brute force's counts.
        await propertyCheck(input: Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.double(in: 0...26.5), Gen.double(in: 0...26.5),
                            Gen.double(in: 0.5...26.5)) { big, small, p0, p1, p2 in
            let peaks = [p0, p1, p2]
            guard let slots = try? Brute.slots(minimums: [big, small]), let free = try? Brute.slots(),
                  let demand = try? Brute.forecast(peaks),
                  let sized = try? FleetSizer.size(slots: slots, demand: demand),
                  let unconstrained = try? FleetSizer.size(slots: free, demand: demand)
            else {
                Issue.record("no fleet for peaks \(peaks), minimums \(big), \(small)")
                return
            }
            let expected = Brute.bruteForce(slots, peaks: peaks, purchasing: .onDemand)
            #expect(abs(sized.horizonUSD - expected) <= 1e-9 * max(1, expected), "peaks \(peaks), minimums \(big), \(small): \(sized.counts)")
            #expect(sized.horizonUSD >= unconstrained.horizonUSD * (1 - 1e-12))
            for month in sized.counts { #expect((month[0] == 0 || month[0] >= big) && (month[1] == 0 || month[1] >= small)) }
        }
    }

    /// The horizon MILP (a change cost, a reservation) under random peaks and minimums costs
    /// what brute force does, within GLPK's stopping gap (`FleetHorizon.relativeGap`).
    @Test func randomMinimumsOverTheHorizonMatchBruteForce() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.double(in: 0.5...26.5), Gen.double(in: 0...26.5),
                            Gen.double(in: 0.5...26.5), Gen.bool) { big, small, p0, p1, p2, reserve in
            let peaks = [p0, p1, p2]
            let purchasing = reserve
                // Two terms over the three months (the second paid past the horizon).
                ? CapacityPurchasing(reservation: .init(termMonths: 2, discounts: ["l40s": 0.4]), changeCostReplicaHours: 50)
                : CapacityPurchasing(changeCostReplicaHours: 200)
            guard let slots = try? Brute.slots(minimums: [big, small]), let demand = try? Brute.forecast(peaks),
                  let sized = try? FleetSizer.size(slots: slots, demand: demand, purchasing: purchasing)
            else {
                Issue.record("no fleet for peaks \(peaks), minimums \(big), \(small)")
                return
            }
            let expected = Brute.bruteForce(slots, peaks: peaks, purchasing: purchasing)
            #expect(sized.horizonUSD <= expected * (1 + 1e-4) && sized.horizonUSD >= expected * (1 - 1e-9),
                    "peaks \(peaks), minimums \(big), \(small), reserved \(reserve): \(sized.counts) at \(sized.horizonUSD), brute force \(expected)")
            for month in sized.counts { #expect((month[0] == 0 || month[0] >= big) && (month[1] == 0 || month[1] >= small)) }
        }
    }

    /// By hand: a 12 req/s peak is cheapest as one 10 req/s replica at $2/h plus one 3 req/s
    /// replica at $0.7/h ($2.70/h). With two of each required, four small replicas ($2.80/h)
    /// beat two large plus two small ($5.40/h) and two large alone ($4/h).
    @Test func minimumConsolidatesByHand() throws {
        let free = try FleetSizer.size(slots: try Brute.slots(), demand: try Brute.forecast([12]))
        #expect(free.counts == [[1, 1]])
        let paired = try FleetSizer.size(slots: try Brute.slots(minimums: [2, 2]), demand: try Brute.forecast([12]))
        #expect(paired.counts == [[0, 4]])
        #expect(abs(paired.horizonUSD - 4 * 0.7 * Fleet.hoursPerMonth) < 1e-6)
    }

    /// A peak a hair above what whole replicas give (9 or 27 req/s in floating point) needs one
    /// more small replica, not a minimum's worth of large ones: GLPK's default integrality
    /// tolerance took 9.000003 small replicas for 9, and the top-up then added four large ones
    /// ($10.10/h and $14.30/h where $2.80/h and $7/h do). Without a minimum the same rounding
    /// had bought a fourth large replica ($8/h) where three large and one small ($6.70/h) do.
    @Test func peaksJustAboveWholeReplicasBuyTheNextSmallOne() throws {
        func counts(_ peak: Double, _ minimums: [Int]) throws -> [[Int]] {
            try FleetSizer.size(slots: try Brute.slots(minimums: minimums), demand: try Brute.forecast([peak])).counts
        }
        #expect(try counts(9.000000000000002, [4, 1]) == [[0, 4]])
        #expect(try counts(27.000000000000004, [4, 1]) == [[0, 10]])
        #expect(try counts(30.000000000000004, [1, 1]) == [[3, 1]])
    }

    /// A cap too small for the minimum rules the option out; with nothing else to serve, the
    /// month is short of capacity.
    @Test func capBelowTheMinimumRulesTheOptionOut() throws {
        let big = ServingOption(hardware: try Brute.catalog.profile(named: "h100-sxm"), precision: .bf16, usdPerDeviceHour: 2, maxDevices: 2, minReplicas: 3)
        let only = ReplicaSpec(option: big, devices: 1, batch: 8, requestsPerSecond: 10, busyJoulesPerRequest: 1, ttftSeconds: 0.1, tpotSeconds: 0.02)
        #expect(throws: FleetSizer.Failure.capacityShort(month: 0)) { try FleetSizer.size(slots: [only], demand: try Brute.forecast([5])) }
    }

    /// The 8-option benchmark scenario runs some L40S months at one replica; with a minimum of
    /// two on every accelerator each option runs 0 or at least 2 replicas in every month of
    /// the plan and the frontier, the plan check passes, and the plan costs no less.
    @Test func wholePlanKeepsTheMinimum() throws {
        let spec = try ScenarioSpec.load(path: Fixtures.path("bench/scenarios/frontier-8-options.yaml"), catalog: Brute.catalog)
        let free = try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 4)
        let freePlan = try #require(free.recommended)
        #expect(freePlan.fleet.assignments.contains { $0.replicasByMonth.contains(1) }, "the scenario no longer runs a lone replica")
        var problem = spec.problem
        for i in problem.inference!.options.indices { problem.inference!.options[i].minReplicas = 2 }
        let outcome = try PlanOutcome.solve(problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 4)
        let plan = try #require(outcome.recommended)
        for m in [plan] + (outcome.frontier?.points ?? []) {
            for a in m.fleet.assignments {
                #expect(a.replicasByMonth.allSatisfy { $0 == 0 || $0 >= 2 }, "\(a.replica.option.label): \(a.replicasByMonth)")
            }
        }
        #expect(PlanCheck.problems(outcome, problem) == [])
        #expect(plan.totalCost >= freePlan.totalCost * (1 - 1e-7))
        // The check reads the scenario's minimum: the plan sized without it fails.
        #expect(PlanCheck.check(freePlan, problem, what: "plan").contains { $0.contains("below its minimum of 2") })
    }

    /// The scenario key: one number for every accelerator, or a mapping per accelerator.
    @Test func scenarioKeyReadsBothForms() throws {
        func options(_ line: String) throws -> [String: Int] {
            var text = try String(contentsOfFile: Fixtures.path("bench/scenarios/frontier-8-options.yaml"), encoding: .utf8)
            text = text.replacingOccurrences(of: "  max_devices: { mi300x: 24, h200: 32 }\n", with: "  max_devices: { mi300x: 24, h200: 32 }\n" + line)
            let spec = try ScenarioSpec.decode(try YAMLValue.parse(text, file: "inline.yaml"), catalog: Brute.catalog)
            return Dictionary(spec.problem.inference!.options.map { ($0.label, $0.minReplicas) }, uniquingKeysWith: { a, _ in a })
        }
        let all = try options("  min_replicas: 3\n")
        #expect(all.values.allSatisfy { $0 == 3 } && all.count == 8)
        let some = try options("  min_replicas: { l40s: 2 }\n")
        #expect(some["l40s/bf16"] == 2 && some["l40s/fp8"] == 2 && some["h100-sxm/bf16"] == 1)
    }
}
