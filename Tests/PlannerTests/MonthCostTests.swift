import Demand
import Foundation
import PlanModel
import PlanSolver
import Scenario
import Testing
import TestSupport

/// `Planner.monthCost`, which the cost search asks month by month before it sizes a whole
/// fleet, against the fleets the planner sizes on the 8-option benchmark scenario (18 months,
/// four accelerator types at two precisions, two of them capped).
@Suite("Planner: month costs")
struct MonthCostTests {
    static let catalog = try! HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))
    static let spec = try! ScenarioSpec.load(path: Fixtures.path("bench/scenarios/frontier-8-options.yaml"), catalog: catalog)

    static func peaks(_ planner: Planner) throws -> [Double] {
        guard case .forecast(let forecast) = try #require(planner.problem.inference).demand else {
            Issue.record("the scenario has no forecast")
            return []
        }
        return forecast.series().map(\.peakRequestsPerSecond)
    }

    /// Every month's cost equals what the sized fleet pays that month, whether the sizer solved
    /// the month's MILP or a neighbouring fleet certified it: both are optimal. The sizes are
    /// sized in ascending order first, so most of their months are certified by the smaller
    /// neighbour, not solved, and asked from `monthCost` afterwards.
    @Test func aMonthCostsWhatTheSizedFleetPaysThen() throws {
        let planner = Planner(problem: Self.spec.problem)
        let peaks = try Self.peaks(planner)
        #expect(peaks.count == 18)
        let sizes = (0..<12).map { 3e9 * Foundation.pow(1.004, Double($0)) }
        let fleets = try sizes.map { n in try planner.fleet(params: n) }
        for (n, fleet) in zip(sizes, fleets) {
            for (m, peak) in peaks.enumerated() {
                let paid = fleet.assignments.reduce(0.0) { $0 + Double($1.replicasByMonth[m]) * $1.replica.replicaHourUSD }
                let cost = try planner.monthCost(params: n, month: m, peak: peak)
                #expect(abs(cost - paid) <= 1e-9 * paid, "N \(n), month \(m): month cost \(cost), fleet \(paid)")
                // The fleet covers the month's peak, and so must any fleet of that cost.
                #expect(fleet.capacity(month: m) >= peak)
            }
        }
    }

    /// The cost rises with the peak: a tenth of the last month's peak needs fewer replicas,
    /// and 1e-9 req/s costs no more than one replica of any option the sized fleet uses (any
    /// one replica covers it; the scenario sets no minimum count), and more than nothing.
    @Test func aMonthCostRisesWithThePeak() throws {
        let planner = Planner(problem: Self.spec.problem)
        let peaks = try Self.peaks(planner)
        let n = 7e9
        let full = try planner.monthCost(params: n, month: 17, peak: peaks[17])
        let tenth = try planner.monthCost(params: n, month: 17, peak: peaks[17] / 10)
        #expect(tenth < full, "a tenth of \(peaks[17]) req/s should need fewer replicas")
        let tiny = try planner.monthCost(params: n, month: 0, peak: 1e-9)
        let oneReplica = try planner.fleet(params: n).assignments.map(\.replica.replicaHourUSD).min()!
        #expect(tiny <= oneReplica * (1 + 1e-12))
        #expect(tiny > 0)
    }
}
