import Demand
import Foundation
import GLPK
import Numerics
import PlanModel

/// Sizes the serving fleet for a model size as a GLPK MILP.
///
/// Variables r[a, m] >= 0 integer: replicas of option a in month m. Each month's capacity
/// must cover that month's peak request rate: sum_a rps_a r[a, m] >= peak_m. Devices of one
/// accelerator type stay within its availability cap: sum_{a of type h} devices_a r[a, m] <=
/// cap_h. An option with a minimum count runs 0 or at least that many replicas in a month
/// (`replicaColumn`). Minimise the provisioned cost sum_{a, m} r[a, m] devices_a price_a hours_m. Options
/// that cannot meet the latency SLO never enter (they have no replica spec). No constraint
/// links two months, so each month is solved as its own MILP (exactly the same optimum).
///
/// Two exact reductions keep the MILPs few and their answers canonical:
/// - Dominated options are dropped: an option of the same accelerator type with no more devices
///   per replica, no dearer replica-hour, no less throughput and no larger minimum count
///   serves anything the dominated one can at no more cost and within the same cap. Among equal-cost fleets of one type the
///   higher-throughput option (usually the lower precision) is therefore always the one chosen.
/// - Fleets sized for neighbouring model sizes certify a month without a MILP. If every option
///   here has the same devices per replica and no more throughput than for a smaller model
///   (true for a larger model on the same tensor-parallel degrees), every fleet feasible here
///   was feasible there, so the smaller model's cheapest fleet costs no more than the optimum
///   here: when it still covers the peak it is optimal here, and so is any fleet that covers
///   the peak at no more cost (the larger neighbour's fleet, typically).
public enum FleetSizer {
    /// Why no fleet exists.
    public enum Failure: Error, Equatable, Sendable {
        /// No serving option can run the model within memory and the SLO.
        case noServingOption
        /// The availability caps cannot cover the peak of this month (zero-based).
        case capacityShort(month: Int)
        case solver(String)
    }

    /// Hours in the average month (365.25 / 12 days).
    public static let hoursPerMonth = Fleet.hoursPerMonth

    /// Capacity asked of GLPK beyond the peak, as a fraction of the peak (3x its default
    /// primal feasibility tolerance of 1e-7), when its answer to the plain MILP falls short of
    /// the peak by that tolerance.
    static let capacityMargin = 3e-7

    /// The least peak a capacity row is scaled by: a millionth of the slowest replica's
    /// requests per second. Any replica covers a peak below it, so asking for it instead gives
    /// the same cheapest fleet (one replica, or an option's minimum), while dividing by a peak
    /// of, say, 5e-324 req/s would overflow the row's coefficients.
    static func peakFloor(_ replicas: [ReplicaSpec]) -> Double {
        1e-6 * (replicas.map(\.requestsPerSecond).min() ?? 0)
    }

    /// GLPK's integrality tolerance for the fleet MILPs: far below the slack the capacity
    /// margin asks for (3e-7 of the peak, a replica count's excess of at least 3e-7), so that a
    /// count whose LP value just exceeds an integer is branched on instead of rounded down
    /// short of the peak (GLPK's default, 1e-5, accepts 9.0000027 as 9).
    static let integralityTolerance = 1e-9

    /// The cheapest fleet for every month of `demand`, with `slots` the replica spec of each
    /// serving option of the problem (nil where the option cannot run the model).
    ///
    /// `smaller` and `larger`, when given, are fleets sized for a smaller and a larger model of
    /// the same problem (the nearest ones); their months are reused where the certificates in
    /// the type's documentation hold.
    ///
    /// Purchasing terms that link months (`CapacityPurchasing.couplesMonths`) size the whole
    /// horizon as one MILP (`FleetHorizon`), with no reuse of neighbouring fleets.
    ///
    /// `solveMonth`, when given, stands in for the month MILP (`sizeMonth`) and must return what
    /// it returns for these options, peak and month (the planner's cache of month answers).
    public static func size(slots: [ReplicaSpec?], demand: DemandForecast, smaller: SizedFleet? = nil,
                            larger: SizedFleet? = nil, purchasing: CapacityPurchasing = .onDemand,
                            solveMonth: ((_ replicas: [ReplicaSpec], _ peak: Double, _ month: Int) throws(Failure) -> [Int])? = nil)
        throws(Failure) -> SizedFleet {
        let active = undominated(slots)
        guard !active.isEmpty else { throw .noServingOption }
        let months = demand.series()
        if purchasing.couplesMonths {
            let sized = try FleetHorizon.size(slots: slots, active: active, peaks: months.map(\.peakRequestsPerSecond), purchasing: purchasing)
            return SizedFleet(slots: slots, counts: sized.counts,
                              fleet: fleet(slots, sized.counts, reservations: sized.reservations, changeCost: purchasing.changeCostReplicaHours,
                                           unproved: sized.unproved))
        }
        // The smaller model's months are lower bounds here only if its options dominate these.
        let bound = smaller.flatMap { $0.counts.count == months.count && dominates($0.slots, slots) ? $0 : nil }
        let above = larger.flatMap { $0.counts.count == months.count ? $0 : nil }
        // Months share no variable or constraint, so each is its own small MILP; months with
        // the same peak have the same answer.
        var solved: [Double: [Int]] = [:]
        var counts: [[Int]] = []
        counts.reserveCapacity(months.count)
        for (m, month) in months.enumerated() {
            let peak = month.peakRequestsPerSecond
            if let known = solved[peak] {
                counts.append(known)
                continue
            }
            let answer: [Int]
            let lower = bound?.counts[m], upper = above?.counts[m]
            if let lower, covers(lower, slots, active: active, peak: peak) {
                answer = lower
            } else if let lower, let bound, let upper, covers(upper, slots, active: active, peak: peak),
                      hourlyCost(upper, slots) <= hourlyCost(lower, bound.slots) {
                answer = upper
            } else {
                let replicas = active.map { slots[$0]! }
                let chosen: [Int]
                if let solveMonth { chosen = try solveMonth(replicas, peak, m) } else { chosen = try sizeMonth(replicas, peak: peak, month: m) }
                var full = [Int](repeating: 0, count: slots.count)
                for (k, i) in active.enumerated() { full[i] = chosen[k] }
                answer = full
            }
            solved[peak] = answer
            counts.append(answer)
        }
        return SizedFleet(slots: slots, counts: counts, fleet: fleet(slots, counts))
    }

    /// The fleet of `counts[month][slot]` replicas: an assignment per option used in some month.
    static func fleet(_ slots: [ReplicaSpec?], _ counts: [[Int]], reservations: [FleetReservation] = [], changeCost: Double = 0,
                      unproved: Bool = false) -> Fleet {
        let assignments = slots.indices.compactMap { i -> FleetAssignment? in
            guard let spec = slots[i], counts.contains(where: { $0[i] > 0 }) else { return nil }
            return FleetAssignment(replica: spec, replicasByMonth: counts.map { $0[i] })
        }
        return Fleet(assignments: assignments, reservations: reservations, changeCostReplicaHours: changeCost, unproved: unproved)
    }

    /// What `counts` replicas of each option cost per hour (USD/h) with these specs; infinite
    /// when it uses an option the specs cannot run (options it does not use add nothing).
    static func hourlyCost(_ counts: [Int], _ specs: [ReplicaSpec?]) -> Double {
        counts.indices.reduce(0.0) { total, i in
            counts[i] == 0 ? total : total + Double(counts[i]) * (specs[i]?.replicaHourUSD ?? .infinity)
        }
    }

    /// Indices of the options no other option of the same accelerator type dominates (no more
    /// devices per replica, no dearer replica-hour, no less throughput, no larger minimum
    /// count; on a full tie the first listed is kept).
    static func undominated(_ slots: [ReplicaSpec?]) -> [Int] {
        func dominates(_ j: Int, _ i: Int) -> Bool {
            guard let a = slots[j], let b = slots[i], a.option.hardwareName == b.option.hardwareName,
                  a.devices <= b.devices, a.replicaHourUSD <= b.replicaHourUSD, a.requestsPerSecond >= b.requestsPerSecond,
                  a.option.minReplicas <= b.option.minReplicas
            else { return false }
            let tie = a.devices == b.devices && a.replicaHourUSD == b.replicaHourUSD && a.requestsPerSecond == b.requestsPerSecond
                && a.option.minReplicas == b.option.minReplicas
            return !tie || j < i
        }
        return slots.indices.filter { i in slots[i] != nil && !slots.indices.contains { j in j != i && dominates(j, i) } }
    }

    /// Whether every fleet feasible with `larger` was feasible with `smaller`: each option
    /// available in `larger` was available in `smaller` with the same devices per replica
    /// and at least the throughput.
    static func dominates(_ smaller: [ReplicaSpec?], _ larger: [ReplicaSpec?]) -> Bool {
        guard smaller.count == larger.count else { return false }
        // Reads the two fields in place (copying a spec retains its profile's storage).
        return smaller.indices.allSatisfy { i in
            guard let devices = larger[i]?.devices else { return true }
            guard let s = smaller[i]?.devices else { return false }
            return s == devices && smaller[i]!.requestsPerSecond >= larger[i]!.requestsPerSecond
        }
    }

    /// One option's part of `dominates(_:_:)`: available at the larger size only if it was at
    /// the smaller, with the same devices per replica and no more throughput there.
    static func dominates(_ smaller: ReplicaSpec?, _ larger: ReplicaSpec?) -> Bool {
        guard let devices = larger?.devices else { return true }
        guard let s = smaller?.devices else { return false }
        return s == devices && smaller!.requestsPerSecond >= larger!.requestsPerSecond
    }

    /// Whether `counts` uses only `active` options and covers `peak` with these specs.
    static func covers(_ counts: [Int], _ slots: [ReplicaSpec?], active: [Int], peak: Double) -> Bool {
        var capacity = 0.0
        for (i, n) in counts.enumerated() where n > 0 {
            guard active.contains(i), let spec = slots[i] else { return false }
            capacity += Double(n) * spec.requestsPerSecond
        }
        return capacity >= peak
    }

    /// One month: min sum_a r_a devices_a price_a s.t. sum_a rps_a r_a >= peak, caps per type.
    ///
    /// The capacity row is asked as a fraction of the peak, so GLPK's feasibility tolerance
    /// (1e-7 of the bound) is relative. A fleet GLPK returns that covers the peak exactly is the
    /// exact optimum (GLPK's feasible set only adds near-misses to the exact one); when it falls
    /// short by the tolerance, the MILP is solved again asking `capacityMargin` more, which
    /// keeps every fleet GLPK accepts at or above the peak.
    static func sizeMonth(_ replicas: [ReplicaSpec], peak: Double, month: Int) throws(Failure) -> [Int] {
        if peak <= 0 { return replicas.map { _ in 0 } }
        func capacity(_ counts: [Int]) -> Double { zip(counts, replicas).reduce(0) { $0 + Double($1.0) * $1.1.requestsPerSecond } }
        var counts = try solveMonth(replicas, peak: peak, month: month, margin: 0)
        if capacity(counts) < peak { counts = try solveMonth(replicas, peak: peak, month: month, margin: capacityMargin) }
        try topUp(&counts, replicas, peak: peak, month: month)
        return counts
    }

    /// Should a fleet still fall short of the peak (it cannot with the capacity margin), tops
    /// it up with the cheapest replica per request per second the caps allow until the peak is met.
    /// An option not yet running starts at its minimum (`ServingOption.minReplicas`).
    static func topUp(_ counts: inout [Int], _ replicas: [ReplicaSpec], peak: Double, month: Int) throws(Failure) {
        func capacity() -> Double { zip(counts, replicas).reduce(0) { $0 + Double($1.0) * $1.1.requestsPerSecond } }
        func step(_ i: Int) -> Int { counts[i] == 0 ? replicas[i].option.minReplicas : 1 }
        while capacity() < peak {
            let room = replicas.indices.filter { i in
                guard let cap = replicas[i].option.maxDevices else { return true }
                let used = replicas.indices.filter { replicas[$0].option.hardwareName == replicas[i].option.hardwareName }
                    .reduce(0) { $0 + counts[$1] * replicas[$1].devices }
                return used + step(i) * replicas[i].devices <= cap
            }
            func price(_ i: Int) -> Double { replicas[i].replicaHourUSD / replicas[i].requestsPerSecond }
            guard let i = room.min(by: { price($0) < price($1) }) else { throw Failure.capacityShort(month: month) }
            counts[i] += step(i)
        }
    }

    /// The month's MILP with capacity asked at (1 + margin) times the peak: GLPK's answer,
    /// rounded to integers.
    private static func solveMonth(_ replicas: [ReplicaSpec], peak: Double, month: Int, margin: Double) throws(Failure) -> [Int] {
        let peak = max(peak, peakFloor(replicas))
        do {
            let p = try GLPKProblem(direction: .minimize)
            let columns = try replicas.map { r throws(GLPKError) in
                try replicaColumn(p, r, objective: r.replicaHourUSD * hoursPerMonth, peak: peak * (1 + margin))
            }
            try p.addRow(replicas.indices.map { (columns[$0], replicas[$0].requestsPerSecond / peak) }, bounds: .atLeast(1 + margin))
            let types = Dictionary(grouping: replicas.indices, by: { replicas[$0].option.hardwareName })
            for (_, members) in types.sorted(by: { $0.key < $1.key }) {
                guard let cap = members.compactMap({ replicas[$0].option.maxDevices }).min() else { continue }
                try p.addRow(members.map { (columns[$0], Double(replicas[$0].devices)) }, bounds: .atMost(Double(cap)))
            }
            let status = try p.solveMIP(relativeGap: 1e-6, timeLimitSeconds: 10, integralityTolerance: integralityTolerance)
            guard status == .optimal || status == .feasible else { throw Failure.capacityShort(month: month) }
            return try columns.map { Int(try p.mipValue(column: $0).rounded()) }
        } catch let f as Failure {
            throw f
        } catch {
            throw .solver("\(error)")
        }
    }

    /// A column of replicas of `r` in one month, integer, with `objective` per replica:
    /// at least 0 and at most `upper` (none when nil) for an option without a minimum.
    /// With a minimum m (`ServingOption.minReplicas`) the count is 0 or in [m, U] through a
    /// binary u (m u ≤ r ≤ U u), U = max(m, ⌈peak / rps⌉) within the availability cap: a count
    /// above both can drop to U in every month it occurs, covering any peak alone at no more
    /// cost and no more change. A cap that holds fewer than m replicas fixes the count at 0.
    static func replicaColumn(_ p: GLPKProblem, _ r: ReplicaSpec, objective: Double, peak: Double, upper: Double? = nil) throws(GLPKError) -> Int {
        let m = r.option.minReplicas
        guard m > 1 else { return try p.addColumn(bounds: .init(lower: 0, upper: upper), objective: objective, integer: true) }
        let capped = r.option.maxDevices.map { Double($0 / r.devices) }
        if let capped, capped < Double(m) { return try p.addColumn(bounds: .exactly(0), objective: objective, integer: true) }
        var most = max(Double(m), (peak / r.requestsPerSecond).rounded(.up))
        if let capped { most = min(most, capped) }
        let column = try p.addColumn(bounds: .init(lower: 0, upper: most), objective: objective, integer: true)
        let used = try p.addColumn(bounds: .init(lower: 0, upper: 1), integer: true)
        try p.addRow([(column, 1), (used, -Double(m))], bounds: .atLeast(0))
        try p.addRow([(column, 1), (used, -most)], bounds: .atMost(0))
        return column
    }

    /// A lower bound on the hourly cost (USD/h) of any fleet of these options that serves
    /// `peak` requests per second within the availability caps (`HourlyCostBound`).
    public static func costLowerBound(_ slots: [ReplicaSpec?], peak: Double) -> Double {
        HourlyCostBound(slots).at(peak: peak)
    }

    /// The most requests per second the availability caps allow: every accelerator type at
    /// its cap, running its best option per device (the LP relaxation's bound; infinite
    /// when some type has no cap).
    static func capacityCeiling(_ replicas: [ReplicaSpec]) -> Double {
        let byType = Dictionary(grouping: replicas, by: { $0.option.hardwareName })
        return byType.values.reduce(0.0) { total, group in
            let best = group.map { r in r.requestsPerSecond / Double(r.devices) }.max() ?? 0
            let cap = group.compactMap(\.option.maxDevices).min().map(Double.init) ?? .infinity
            return total + best * cap
        }
    }
}

/// The LP relaxation's dual bound on the hourly cost (USD/h) of a fleet of given options, for
/// any peak: P y - sum_g cap_g z_g(y), with z_g(y) = max(0, max_{a in g} (rps_a y - c_a) /
/// devices_a) the best cap multiplier for a price y per request per second and c_a the
/// replica-hour price, maximised over its kinks with y no more than any uncapped option's
/// c_a / rps_a (weak duality: every such y bounds the LP, which bounds the MILP). The kinks and
/// the cap terms there do not depend on the peak, so they are computed once per set of options.
struct HourlyCostBound {
    /// (y, sum_g cap_g z_g(y)) at each kink.
    private let kinks: [(y: Double, capTerm: Double)]
    /// The most requests per second the caps allow (infinite when some type has no cap; 0
    /// with no option).
    private let ceiling: Double

    init(_ slots: [ReplicaSpec?]) {
        let replicas = slots.compactMap { $0 }
        let groups = Dictionary(grouping: replicas, by: { $0.option.hardwareName }).values.map { members in
            (members: members.map { (rps: $0.requestsPerSecond, price: $0.replicaHourUSD, devices: Double($0.devices)) },
             cap: members.compactMap(\.option.maxDevices).min().map(Double.init))
        }
        let yMax = groups.filter { $0.cap == nil }.flatMap(\.members).map { $0.price / $0.rps }.min() ?? .infinity
        ceiling = yMax < .infinity ? .infinity : FleetSizer.capacityCeiling(replicas)
        var ys = groups.flatMap(\.members).map { $0.price / $0.rps }
        for g in groups where g.cap != nil {
            for (i, a) in g.members.enumerated() {
                for b in g.members[(i + 1)...] {
                    let slope = a.rps / a.devices - b.rps / b.devices
                    guard slope != 0 else { continue }
                    ys.append((a.price / a.devices - b.price / b.devices) / slope)
                }
            }
        }
        if yMax < .infinity { ys.append(yMax) }
        kinks = ys.filter { $0 >= 0 && $0 <= yMax }.map { y in
            (y, groups.reduce(0.0) { total, g in
                guard let cap = g.cap else { return total }
                let z = g.members.map { ($0.rps * y - $0.price) / $0.devices }.max() ?? 0
                return total + cap * max(0, z)
            })
        }
    }

    /// The bound for `peak` requests per second: 0 for no demand, infinite when the caps
    /// cannot cover the peak or there is no option.
    func at(peak: Double) -> Double {
        guard peak > 0 else { return 0 }
        guard ceiling >= peak else { return .infinity }
        return kinks.reduce(0.0) { max($0, peak * $1.y - $1.capTerm) }
    }
}

/// A fleet sized for one model size, with what a larger size needs to reuse its months.
public struct SizedFleet: Sendable {
    /// What the fleet costs over its horizon, USD (`Fleet.cost(month:months:)` summed).
    public var horizonUSD: Double {
        (0..<counts.count).reduce(0.0) { total, m in
            let c = fleet.cost(month: m, months: counts.count)
            return total + c.onDemand + c.reserved + c.changes
        }
    }

    /// Replica spec of each serving option of the problem, in the problem's order (nil where
    /// the option cannot run the model).
    public let slots: [ReplicaSpec?]
    /// Replicas of each option (by slot) in each month: counts[month][slot].
    public let counts: [[Int]]
    public let fleet: Fleet
}
