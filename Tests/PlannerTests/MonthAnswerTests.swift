import Demand
import PlanModel
import PlanSolver
import Testing

/// The planner hands `FleetSizer.size` a cache of month answers (`FleetCache.monthFleet`): the
/// sizer must ask it exactly where it would solve a month's MILP, once per distinct peak, and
/// use what it returns.
@Suite("Fleet sizer: month answers")
struct MonthAnswerTests {
    /// Peaks with a repeat (months 1 and 3) and a month that needs nothing but one replica.
    static let peaks = [12.0, 25, 0.5, 25, 31]

    @Test func theMonthSolverStandsInForTheMILPOncePerPeak() throws {
        let slots = try CapacityPurchasingTests.slots()
        let demand = try CapacityPurchasingTests.forecast(Self.peaks)
        let plain = try FleetSizer.size(slots: slots, demand: demand)
        var asked: [(month: Int, peak: Double)] = []
        // The month alone, sized on its own (neither option dominates the other, so the MILP's
        // options are both slots, in order).
        let cached = try FleetSizer.size(slots: slots, demand: demand) { replicas, peak, month throws(FleetSizer.Failure) in
            asked.append((month, peak))
            #expect(replicas.count == 2)
            guard let alone = try? CapacityPurchasingTests.forecast([peak]) else { return [] }
            return try FleetSizer.size(slots: slots, demand: alone).counts[0]
        }
        #expect(cached.counts == plain.counts)
        // Months 0, 1, 2 and 4: month 3 repeats month 1's peak.
        #expect(asked.map(\.month) == [0, 1, 2, 4])
        #expect(asked.map(\.peak) == [12, 25, 0.5, 31])
        // By hand: 10 req/s at $2/h against 3 req/s at $0.7/h ($0.20 against $0.233 per req/s
        // an hour). 12: one big and one small ($2.70). 25: two big and two small ($5.40, where
        // three big cost $6). 0.5: one small. 31: three big and one small ($6.70).
        #expect(plain.counts == [[1, 1], [2, 2], [0, 1], [2, 2], [3, 1]])
    }

    @Test func whatTheMonthSolverReturnsIsUsed() throws {
        let slots = try CapacityPurchasingTests.slots()
        let demand = try CapacityPurchasingTests.forecast(Self.peaks)
        let fixed = try FleetSizer.size(slots: slots, demand: demand) { _, _, _ throws(FleetSizer.Failure) in [7, 0] }
        #expect(fixed.counts == Array(repeating: [7, 0], count: Self.peaks.count))
        #expect(throws: FleetSizer.Failure.capacityShort(month: 4)) {
            _ = try FleetSizer.size(slots: slots, demand: demand) { _, _, month throws(FleetSizer.Failure) in
                if month == 4 { throw .capacityShort(month: month) }
                return [7, 0]
            }
        }
    }
}
