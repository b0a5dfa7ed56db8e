import Demand
import Foundation
import Fuzzing
import PlanModel
import PlanSolver
import Scenario
import Testing
import TestSupport

/// Reserved capacity and change costs: the horizon MILP against brute force on a small case,
/// the cost of a fleet against a hand computation, and whole plans against on-demand ones.
@Suite("Capacity purchasing")
struct CapacityPurchasingTests {
    static let catalog = try! HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))

    /// Two made-up options on two accelerators: 10 req/s at $2/h and 3 req/s at $0.7/h, each
    /// run at `minimums` replicas or more in a month it runs in.
    static func slots(minimums: [Int] = [1, 1]) throws -> [ReplicaSpec?] {
        let big = ServingOption(hardware: try catalog.profile(named: "h100-sxm"), precision: .bf16, usdPerDeviceHour: 2, minReplicas: minimums[0])
        let small = ServingOption(hardware: try catalog.profile(named: "l40s"), precision: .bf16, usdPerDeviceHour: 0.7, minReplicas: minimums[1])
        return [ReplicaSpec(option: big, devices: 1, batch: 8, requestsPerSecond: 10, busyJoulesPerRequest: 1, ttftSeconds: 0.1, tpotSeconds: 0.02),
                ReplicaSpec(option: small, devices: 1, batch: 8, requestsPerSecond: 3, busyJoulesPerRequest: 1, ttftSeconds: 0.1, tpotSeconds: 0.02)]
    }

    /// A month-by-month table whose peaks (peak-to-mean 1) are `peaks` requests per second.
    static func forecast(_ peaks: [Double]) throws -> DemandForecast {
        try DemandForecast(requestsPerDay: 0, promptTokens: 100, outputTokens: 100,
                           growth: .monthly(requests: peaks.map { $0 * DemandForecast.daysPerMonth * 86_400 }), horizonMonths: peaks.count)
    }

    /// Brute force over every count of both options in every month (0...4 and 0...9, more
    /// than any month needs; a count below an option's minimum only at 0), with each term's
    /// reservation of each reserved accelerator over the same ranges, costed by hand.
    static func bruteForce(_ slots: [ReplicaSpec?], peaks: [Double], purchasing: CapacityPurchasing) -> Double {
        let h = Fleet.hoursPerMonth
        let specs = slots.map { $0! }
        let fleets = (0...4).flatMap { a in (0...9).map { b in [a, b] } }
            .filter { f in (0..<2).allSatisfy { f[$0] == 0 || f[$0] >= specs[$0].option.minReplicas } }
        let months = peaks.count
        var best = Double.infinity
        // One reservation per term: devices held of each reserved accelerator (0 for the others).
        let reserved = (0..<2).map { purchasing.reservation?.discounts[specs[$0].option.hardware.name] != nil }
        let perTerm: [[Int]] = (0...(reserved[0] ? 4 : 0)).flatMap { a in (0...(reserved[1] ? 9 : 0)).map { b in [a, b] } }
        let terms = purchasing.reservation.map { $0.terms(months: months) } ?? 1
        var reservations: [[[Int]]] = [[]]
        for _ in 0..<terms { reservations = reservations.flatMap { prefix in perTerm.map { prefix + [$0] } } }
        for heldByTerm in reservations {
            func held(_ m: Int) -> [Int] { heldByTerm[purchasing.reservation.map { m / $0.termMonths } ?? 0] }
            // Months are independent given the reservation, except for change costs: a small
            // dynamic programme over the previous month's fleet.
            var cost = [Double](repeating: 0, count: fleets.count)
            for m in 0..<months {
                var next = [Double](repeating: .infinity, count: fleets.count)
                for (j, f) in fleets.enumerated() where Double(f[0]) * 10 + Double(f[1]) * 3 >= peaks[m] {
                    var here = 0.0
                    for k in 0..<2 {
                        let price = specs[k].option.usdPerDeviceHour
                        if purchasing.reservation?.discounts[specs[k].option.hardware.name] != nil {
                            here += Double(max(0, f[k] - held(m)[k])) * price * h
                        } else {
                            here += Double(f[k]) * price * h
                        }
                    }
                    for (i, g) in fleets.enumerated() where cost[i] < .infinity {
                        let change = m == 0 ? 0 : (0..<2).reduce(0.0) { $0 + Double(abs(f[$1] - g[$1])) * purchasing.changeCostReplicaHours * specs[$1].option.usdPerDeviceHour }
                        next[j] = min(next[j], cost[i] + here + change)
                        if m == 0 { break }
                    }
                }
                cost = next
            }
            var commitment = 0.0
            if let r = purchasing.reservation {
                for k in 0..<2 {
                    if let d = r.discounts[specs[k].option.hardware.name] {
                        commitment += Double(heldByTerm.reduce(0) { $0 + $1[k] }) * specs[k].option.usdPerDeviceHour * (1 - d) * h * Double(r.termMonths)
                    }
                }
            }
            best = min(best, (cost.min() ?? .infinity) + commitment)
        }
        return best
    }

    static let peaks: [Double] = [14, 23, 17, 26]

    @Test(arguments: [
        CapacityPurchasing(changeCostReplicaHours: 100),
        CapacityPurchasing(reservation: .init(termMonths: 4, discounts: ["h100-sxm": 0.4, "l40s": 0.3])),
        CapacityPurchasing(reservation: .init(termMonths: 4, discounts: ["l40s": 0.5]), changeCostReplicaHours: 200),
        CapacityPurchasing(reservation: .init(termMonths: 3, discounts: ["h100-sxm": 0.4, "l40s": 0.3])),
    ])
    func horizonMILPMatchesBruteForce(purchasing: CapacityPurchasing) throws {
        let slots = try Self.slots()
        let sized = try FleetSizer.size(slots: slots, demand: try Self.forecast(Self.peaks), purchasing: purchasing)
        let expected = Self.bruteForce(slots, peaks: Self.peaks, purchasing: purchasing)
        // GLPK stops within 1e-4 of its bound (FleetHorizon.relativeGap).
        #expect(sized.horizonUSD <= expected * (1 + 1e-4))
        #expect(sized.horizonUSD >= expected * (1 - 1e-9))
        for (m, peak) in Self.peaks.enumerated() { #expect(sized.fleet.capacity(month: m) >= peak) }
    }

    /// A peak of 5e-324 req/s (the smallest double) is still demand: one replica of the
    /// cheapest option serves it, or the cheapest option's minimum. (Scaling the capacity row
    /// by that peak overflowed its coefficients, and GLPK refused the row.)
    @Test func aVanishingPeakBuysTheCheapestReplica() throws {
        let demand = try Self.forecast([5e-324, 0, 5e-324])
        #expect(try FleetSizer.size(slots: try Self.slots(), demand: demand).counts == [[0, 1], [0, 0], [0, 1]])
        #expect(try FleetSizer.size(slots: try Self.slots(minimums: [1, 3]), demand: demand).counts == [[1, 0], [0, 0], [1, 0]])
        let linked = try FleetSizer.size(slots: try Self.slots(), demand: demand, purchasing: CapacityPurchasing(changeCostReplicaHours: 1))
        #expect(linked.counts == [[0, 1], [0, 0], [0, 1]] || linked.counts == [[0, 1], [0, 1], [0, 1]], "\(linked.counts)")
    }

    /// Without a reservation or change cost the brute force is the plain per-month MILP's cost.
    @Test func bruteForceAgreesWithThePerMonthMILP() throws {
        let slots = try Self.slots()
        let sized = try FleetSizer.size(slots: slots, demand: try Self.forecast(Self.peaks))
        #expect(abs(sized.horizonUSD - Self.bruteForce(slots, peaks: Self.peaks, purchasing: .onDemand)) < 1e-6)
    }

    /// A fleet's cost by hand: 2 reserved H100s for a 3-month term over a 2-month horizon (paid
    /// in full), 3 H100s in use in month 1 (one on demand), 1 change each way.
    @Test func fleetCostByHand() throws {
        let slots = try Self.slots()
        let h = Fleet.hoursPerMonth
        let fleet = Fleet(assignments: [FleetAssignment(replica: slots[0]!, replicasByMonth: [2, 3]),
                                        FleetAssignment(replica: slots[1]!, replicasByMonth: [1, 0])],
                          reservations: [FleetReservation(hardware: "h100-sxm", termMonths: 3, discount: 0.25, usdPerDeviceHour: 2, devicesByTerm: [2])],
                          changeCostReplicaHours: 10)
        let m0 = fleet.cost(month: 0, months: 2), m1 = fleet.cost(month: 1, months: 2)
        #expect(abs(m0.onDemand - 0.7 * h) < 1e-9)
        #expect(abs(m1.onDemand - 2 * h) < 1e-9)
        #expect(abs(m0.reserved + m1.reserved - 2 * 2 * 0.75 * h * 3) < 1e-6)
        #expect(m0.changes == 0)
        #expect(abs(m1.changes - (1 * 10 * 2 + 1 * 10 * 0.7)) < 1e-9)
    }

    /// The bundled llama-family-chat scenario bought with reservations and a change cost: no
    /// dearer than on demand (an on-demand fleet is a feasible purchase), each option's counts
    /// move in one direction only (no flipping). PlanCheckTests re-verifies the plan independently.
    @Test func reservedPlanIsCheaperAndStable() throws {
        let spec = try ScenarioSpec.load(path: Fixtures.path("Tests/Fixtures/scenarios/reserved-fleet.yaml"), catalog: Self.catalog)
        let reserved = try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 4)
        var onDemandProblem = spec.problem
        onDemandProblem.inference!.purchasing = .onDemand
        let onDemand = try PlanOutcome.solve(onDemandProblem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 4)
        let r = try #require(reserved.recommended), o = try #require(onDemand.recommended)
        #expect(!r.fleet.reservations.isEmpty)
        #expect(r.totalCost <= o.totalCost * (1 + 1e-4))
        #expect(r.inferenceCost < o.inferenceCost * 0.95)
        for a in r.fleet.assignments {
            let steps = zip(a.replicasByMonth.dropFirst(), a.replicasByMonth).map { $0 - $1 }.filter { $0 != 0 }
            #expect(steps.allSatisfy { $0 > 0 } || steps.allSatisfy { $0 < 0 }, "\(a.replica.option.label) flips: \(a.replicasByMonth)")
        }
        #expect(!PlanWarnings.check(r, problem: spec.problem).contains { $0.code == .fleetChurn })
        // The plan check holds the reservations to the scenario's terms, not the plan's own.
        #expect(PlanCheck.check(r, spec.problem, what: "plan") == [])
        var dearer = spec.problem
        dearer.inference!.purchasing.reservation!.discounts = ["h100-sxm": 0.3, "l40s": 0.3]
        #expect(PlanCheck.check(r, dearer, what: "plan").contains { $0.contains("the scenario states 12 months at 0.3 off") })
    }

    /// `fleet_churn` by hand: a month where one option falls while another rises is a swap;
    /// options moving together (seasonal demand) are not, and a priced change silences it.
    @Test func fleetChurnWarningByHand() throws {
        let slots = try Self.slots()
        func fleet(_ a: [Int], _ b: [Int], changeCost: Double = 0) -> Fleet {
            Fleet(assignments: [FleetAssignment(replica: slots[0]!, replicasByMonth: a), FleetAssignment(replica: slots[1]!, replicasByMonth: b)],
                  changeCostReplicaHours: changeCost)
        }
        let w = try #require(PlanWarnings.fleetChurn(fleet([2, 3, 4, 5], [1, 0, 1, 0]), subject: "x"))
        #expect(w.code == .fleetChurn && w.subject == "x")
        #expect(w.message.contains("in 2 of 3 month-to-month changes"), "\(w.message)")
        #expect(w.message.contains("month 1 to 2: h100-sxm/bf16 2 to 3, l40s/bf16 1 to 0"), "\(w.message)")
        #expect(PlanWarnings.fleetChurn(fleet([2, 3, 2, 4], [1, 2, 1, 1])) == nil)
        #expect(PlanWarnings.fleetChurn(fleet([2, 3, 4, 5], [1, 0, 1, 0], changeCost: 10)) == nil)
        #expect(PlanWarnings.fleetChurn(Fleet(assignments: [FleetAssignment(replica: slots[0]!, replicasByMonth: [3, 1, 4])])) == nil)
    }

    /// A horizon MILP stopped at its time limit still returns a fleet that serves every
    /// month's peak, marks it unproved, and the plan warns; at the default limit the same
    /// small problem is proved. (GLPK at 1 ms cannot finish 120 linked months of change costs.)
    @Test func timeLimitedHorizonFleetIsFlagged() throws {
        let slots = try Self.slots()
        let peaks: [Double] = (0..<120).map { (m: Int) -> Double in
            let wave: Double = 17 * sin(Double(m) * 0.7)
            return 20 + wave + Double(m % 7) * 1.3
        }
        let purchasing = CapacityPurchasing(changeCostReplicaHours: 3)
        let limited = try FleetTimeLimit.$milliseconds.withValue(1) {
            try FleetSizer.size(slots: slots, demand: try Self.forecast(peaks), purchasing: purchasing)
        }
        #expect(limited.fleet.unproved)
        for (m, peak) in peaks.enumerated() {
            let capacity = zip(limited.counts[m], slots).reduce(0.0) { $0 + Double($1.0) * $1.1!.requestsPerSecond }
            #expect(capacity >= peak * (1 - 1e-9), "month \(m + 1): \(capacity) of \(peak)")
        }
        let w = PlanWarnings.fleetNotProved(subject: "x")
        #expect(w.code == .fleetNotProved && w.message.contains("time limit"))
        let proved = try FleetSizer.size(slots: slots, demand: try Self.forecast(Array(peaks.prefix(4))), purchasing: purchasing)
        #expect(!proved.fleet.unproved)
    }
}
