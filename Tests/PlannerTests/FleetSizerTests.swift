import Demand
import Downscale
import FileIO
import Foundation
import GLPK
import PlanModel
import PlanSolver
import Scenario
import Testing
import TestSupport

/// The fleet MILP's shortcuts against the plain MILP: the neighbour certificates, the LP
/// bound and the dominated-option rule, on the 8-option benchmark scenario (four accelerator
/// types at two precisions, availability caps on two, 18 months of growth).
@Suite("Fleet sizing")
struct FleetSizerTests {
    static let catalog = try! HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))
    static let spec = try! ScenarioSpec.load(path: Fixtures.path("bench/scenarios/frontier-8-options.yaml"), catalog: catalog)

    static var inference: InferenceSetup { spec.problem.inference! }
    static var forecast: DemandForecast {
        guard case .forecast(let f) = inference.demand else { fatalError("the scenario has a monthly forecast") }
        return f
    }

    /// Replica specs of every option for a model of `n` parameters (nil where one cannot serve).
    static func slots(_ n: Double) -> [ReplicaSpec?] {
        let inf = inference, request = inf.requestShape
        return inf.options.map {
            ServingModel.replica(option: $0, params: n, prompt: request.prompt, output: request.output, slo: inf.slo,
                                 fixedUtilisation: inf.fixedUtilisation, pue: inf.pue)
        }
    }

    static func monthCosts(_ f: SizedFleet) -> [Double] {
        f.counts.map { month in month.indices.reduce(0.0) { $0 + Double(month[$1]) * (f.slots[$1]?.replicaHourUSD ?? 0) } }
    }

    /// Sizes around 3B-9B parameters, where the fleets mix options and hit the caps.
    static let sizes: [Double] = (0..<24).map { 3e9 * Foundation.pow(3, Double($0) / 23) }

    /// Reusing neighbours' months (the lower and sandwich certificates) gives the cost the
    /// plain MILP gives, month by month, whichever neighbours are offered.
    @Test(arguments: zip(sizes.dropLast(), sizes.dropFirst()).map { [$0.0, ($0.0 * $0.1).squareRoot(), $0.1] })
    func neighbourCertificatesGiveTheMILPCost(triple: [Double]) throws {
        let (small, middle, large) = (triple[0], triple[1], triple[2])
        let below = try FleetSizer.size(slots: Self.slots(small), demand: Self.forecast)
        let above = try FleetSizer.size(slots: Self.slots(large), demand: Self.forecast)
        let plain = try FleetSizer.size(slots: Self.slots(middle), demand: Self.forecast)
        let reused = try FleetSizer.size(slots: Self.slots(middle), demand: Self.forecast, smaller: below, larger: above)
        let lowerOnly = try FleetSizer.size(slots: Self.slots(middle), demand: Self.forecast, smaller: below)
        #expect(Self.monthCosts(reused) == Self.monthCosts(plain))
        #expect(Self.monthCosts(lowerOnly) == Self.monthCosts(plain))
        // The fleet still covers every month's peak with these specs.
        for (m, month) in Self.forecast.series().enumerated() {
            #expect(reused.fleet.capacity(month: m) >= month.peakRequestsPerSecond)
        }
    }

    /// The LP bound never exceeds the MILP's optimum, and is within one replica-hour of the
    /// dearest option per capped type plus one of the uncapped ones (the LP's fractional
    /// variables are at most one per row).
    @Test(arguments: sizes)
    func costLowerBoundIsBelowTheOptimumAndClose(n: Double) throws {
        let slots = Self.slots(n)
        let fleet = try FleetSizer.size(slots: slots, demand: Self.forecast)
        let dearest = slots.compactMap { $0?.replicaHourUSD }.max()!
        for (m, month) in Self.forecast.series().enumerated() {
            let bound = FleetSizer.costLowerBound(slots, peak: month.peakRequestsPerSecond)
            let optimum = Self.monthCosts(fleet)[m]
            #expect(bound <= optimum * (1 + 1e-12), "month \(m + 1): bound \(bound) above the optimum \(optimum)")
            #expect(optimum - bound <= 3 * dearest, "month \(m + 1): bound \(bound) far below the optimum \(optimum)")
        }
    }

    /// The LP bound is infinite exactly when the caps cannot cover the peak.
    @Test func costLowerBoundIsInfiniteBeyondTheCaps() throws {
        let capped = Self.slots(5e9).map { s in s.flatMap { $0.option.maxDevices != nil ? $0 : nil } }
        let ceiling = capped.compactMap { $0 }.reduce(into: [String: Double]()) { best, r in
            best[r.option.hardware.name] = max(best[r.option.hardware.name] ?? 0, r.requestsPerSecond / Double(r.devices) * Double(r.option.maxDevices!))
        }.values.reduce(0, +)
        #expect(FleetSizer.costLowerBound(capped, peak: ceiling * 1.01) == .infinity)
        #expect(FleetSizer.costLowerBound(capped, peak: ceiling * 0.99).isFinite)
    }

    /// Of two options of one accelerator type with the same replica price and devices, the
    /// fleet uses only the one with the higher throughput: equal-cost fleets are not chosen
    /// arbitrarily.
    @Test func equalCostTiesGoToTheFasterOption() throws {
        for n in Self.sizes {
            let slots = Self.slots(n)
            let fleet = try FleetSizer.size(slots: slots, demand: Self.forecast)
            for a in fleet.fleet.assignments {
                let faster = slots.compactMap { $0 }.contains { b in
                    b.option.hardware.name == a.replica.option.hardware.name && b.devices == a.replica.devices
                        && b.replicaHourUSD == a.replica.replicaHourUSD && b.requestsPerSecond > a.replica.requestsPerSecond
                }
                #expect(!faster, "\(n): \(a.replica.option.hardware.name)/\(a.replica.option.precision) used beside a faster twin")
            }
        }
    }
}
