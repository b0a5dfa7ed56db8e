import Foundation
import GLPK
import PlanModel

/// Sizes a fleet over the whole horizon at once, for purchasing terms that link months
/// (`CapacityPurchasing.couplesMonths`), as one GLPK MILP.
///
/// Variables, with k an undominated serving option, m a month, h an accelerator and t a term:
/// - r[k, m] ≥ 0 integer replicas, at most U_k = ⌈max_m peak_m / rps_k⌉ (more
///   replicas than the largest peak needs never pay) and the availability cap;
/// - R[h, t] ≥ 0 integer devices reserved for term t, and O[h, m] ≥ 0 devices bought on demand
///   (reserved accelerators only): Σ_{k of h} devices_k r[k, m] ≤ R[h, t(m)] + O[h, m];
/// - u[k, m], v[k, m] ≥ 0 replicas added and removed since month m − 1 (with a change cost):
///   r[k, m] − r[k, m − 1] = u − v.
///
/// Rows as in the per-month MILP: capacity Σ_k rps_k r[k, m] ≥ peak_m (scaled by the peak)
/// and availability Σ_{k of h} devices_k r[k, m] ≤ cap_h. The objective is the horizon's
/// cost, exactly as `Fleet.cost(month:months:)` charges it: on-demand replica-hours of
/// unreserved accelerators, on-demand and reserved device-hours (a term's commitment paid in
/// full: devices × discounted price × hours × term months) of reserved ones, and
/// (u + v) × change cost × replica-hour price.
///
/// Dropping dominated options stays exact: a dominating option has no more devices, no
/// dearer replica-hour (so no dearer change) and no less throughput on the same accelerator,
/// so it can take a dominated option's place in every month at no more cost.
enum FleetHorizon {
    /// How far above the proved lower bound GLPK may stop: 1e-4 of the horizon's cost. The
    /// linked months give GLPK's branch and cut weak relaxations, and proving the last 0.01%
    /// can take it seconds for one model size. GLPK also stops after 10 s with the best fleet
    /// found (a change cost without a reservation is the slow case).
    static let relativeGap = 1e-4

    /// Counts per month and slot, and the reservations, of the cheapest fleet.
    /// `unproved` is true when GLPK stopped at its time limit before proving the fleet optimal
    /// within `relativeGap`; with no fleet found by then, each month's own cheapest fleet (the
    /// per-month MILP, on demand: feasible for the horizon too) is returned, also unproved.
    static func size(slots: [ReplicaSpec?], active: [Int], peaks: [Double], purchasing: CapacityPurchasing) throws(FleetSizer.Failure)
        -> (counts: [[Int]], reservations: [FleetReservation], unproved: Bool) {
        let replicas = active.map { slots[$0]! }
        var answer = try solve(replicas, peaks: peaks, purchasing: purchasing, margin: 0)
        if let a = answer, !covers(a.counts, replicas, peaks) {
            answer = try solve(replicas, peaks: peaks, purchasing: purchasing, margin: FleetSizer.capacityMargin)
        }
        guard var answer else {
            let counts = try peaks.indices.map { m throws(FleetSizer.Failure) in try FleetSizer.sizeMonth(replicas, peak: peaks[m], month: m) }
            return (expand(counts, slots: slots, active: active), [], true)
        }
        for m in peaks.indices { try FleetSizer.topUp(&answer.counts[m], replicas, peak: peaks[m], month: m) }
        // On-demand devices are what a month needs beyond its reservation, so a top-up above
        // never needs a larger reservation.
        return (expand(answer.counts, slots: slots, active: active), answer.reservations, answer.unproved)
    }

    /// Counts per month over the active options, spread over every slot (0 for the others).
    private static func expand(_ counts: [[Int]], slots: [ReplicaSpec?], active: [Int]) -> [[Int]] {
        counts.map { row in
            var out = [Int](repeating: 0, count: slots.count)
            for (k, i) in active.enumerated() { out[i] = row[k] }
            return out
        }
    }

    private static func capacity(_ counts: [Int], _ replicas: [ReplicaSpec]) -> Double {
        zip(counts, replicas).reduce(0) { $0 + Double($1.0) * $1.1.requestsPerSecond }
    }

    private static func covers(_ counts: [[Int]], _ replicas: [ReplicaSpec], _ peaks: [Double]) -> Bool {
        peaks.indices.allSatisfy { capacity(counts[$0], replicas) >= peaks[$0] }
    }

    /// The horizon MILP with each month's capacity asked at (1 + margin) times its peak; nil
    /// when GLPK reached its time limit before finding any fleet.
    private static func solve(_ replicas: [ReplicaSpec], peaks: [Double], purchasing: CapacityPurchasing, margin: Double) throws(FleetSizer.Failure)
        -> (counts: [[Int]], reservations: [FleetReservation], unproved: Bool)? {
        let months = peaks.count
        let hours = FleetSizer.hoursPerMonth
        let types = Dictionary(grouping: replicas.indices, by: { replicas[$0].option.hardwareName }).sorted { $0.key < $1.key }
        let caps = Dictionary(uniqueKeysWithValues: types.map { name, members in (name, members.compactMap { replicas[$0].option.maxDevices }.min()) })
        let reserved: [(name: String, discount: Double, price: Double, members: [Int])] = types.compactMap { name, members in
            guard let d = purchasing.reservation?.discounts[name] else { return nil }
            return (name, d, replicas[members[0]].option.usdPerDeviceHour, members)
        }
        let reservedNames = Set(reserved.map(\.name))
        let largestPeak = peaks.max() ?? 0
        do {
            let p = try GLPKProblem(direction: .minimize)
            var r: [[Int]] = []
            for k in replicas.indices {
                let spec = replicas[k]
                var upper = Double(max(1, Int((largestPeak / spec.requestsPerSecond).rounded(.up))))
                if let cap = caps[spec.option.hardwareName] ?? nil { upper = min(upper, Double(cap / spec.devices)) }
                let coefficient = reservedNames.contains(spec.option.hardwareName) ? 0 : spec.replicaHourUSD * hours
                r.append(try (0..<months).map { _ throws(GLPKError) in
                    try FleetSizer.replicaColumn(p, spec, objective: coefficient, peak: largestPeak * (1 + margin), upper: upper)
                })
                if purchasing.changeCostReplicaHours > 0 {
                    let price = purchasing.changeCostReplicaHours * spec.replicaHourUSD
                    for m in 1..<max(1, months) {
                        let up = try p.addColumn(bounds: .atLeast(0), objective: price)
                        let down = try p.addColumn(bounds: .atLeast(0), objective: price)
                        try p.addRow([(r[k][m], 1), (r[k][m - 1], -1), (up, -1), (down, 1)], bounds: .exactly(0))
                    }
                }
            }
            let floor = FleetSizer.peakFloor(replicas)
            for m in 0..<months where peaks[m] > 0 {
                let peak = max(peaks[m], floor)
                try p.addRow(replicas.indices.map { (r[$0][m], replicas[$0].requestsPerSecond / peak) }, bounds: .atLeast(1 + margin))
            }
            for (name, members) in types {
                guard let cap = caps[name] ?? nil else { continue }
                for m in 0..<months {
                    try p.addRow(members.map { (r[$0][m], Double(replicas[$0].devices)) }, bounds: .atMost(Double(cap)))
                }
            }
            var held: [[Int]] = []
            if let reservation = purchasing.reservation {
                let terms = reservation.terms(months: months)
                for t in reserved {
                    let cap = (caps[t.name] ?? nil).map(Double.init)
                    let commitment = t.price * (1 - t.discount) * hours * Double(reservation.termMonths)
                    let devices = try (0..<terms).map { _ in
                        try p.addColumn(bounds: Bounds(lower: 0, upper: cap), objective: commitment, integer: true)
                    }
                    for m in 0..<months {
                        let onDemand = try p.addColumn(bounds: .atLeast(0), objective: t.price * hours)
                        try p.addRow(t.members.map { (r[$0][m], Double(replicas[$0].devices)) } + [(devices[reservation.term(ofMonth: m)], -1), (onDemand, -1)],
                                     bounds: .atMost(0))
                    }
                    held.append(devices)
                }
            }
            let status = try p.solveMIP(relativeGap: FleetHorizon.relativeGap, timeLimitMilliseconds: FleetTimeLimit.milliseconds, cuts: true,
                                        integralityTolerance: FleetSizer.integralityTolerance)
            guard status == .optimal || status == .feasible else {
                if p.mipStoppedAtTimeLimit { return nil }
                throw shortMonth(replicas, peaks: peaks)
            }
            let counts = try (0..<months).map { m throws(GLPKError) in try replicas.indices.map { k throws(GLPKError) in Int(try p.mipValue(column: r[k][m]).rounded()) } }
            var reservations: [FleetReservation] = []
            for (t, columns) in zip(reserved, held) {
                let devices = try columns.map { c throws(GLPKError) in Int(try p.mipValue(column: c).rounded()) }
                reservations.append(FleetReservation(hardware: t.name, termMonths: purchasing.reservation!.termMonths, discount: t.discount,
                                                     usdPerDeviceHour: t.price, devicesByTerm: devices,
                                                     discountSource: purchasing.reservation!.sources[t.name] ?? "scenario"))
            }
            return (counts, reservations, p.mipStoppedAtTimeLimit)
        } catch let f as FleetSizer.Failure {
            throw f
        } catch {
            throw .solver("\(error)")
        }
    }
}

extension FleetHorizon {
    /// Why the horizon has no fleet: the first month that no fleet of its own can cover (the
    /// per-month MILP), else the month with the largest peak.
    static func shortMonth(_ replicas: [ReplicaSpec], peaks: [Double]) -> FleetSizer.Failure {
        for m in peaks.indices {
            if case .failure(let f) = Result(catching: { () throws(FleetSizer.Failure) in try FleetSizer.sizeMonth(replicas, peak: peaks[m], month: m) }) {
                return f
            }
        }
        return .capacityShort(month: peaks.indices.max { peaks[$0] < peaks[$1] } ?? 0)
    }
}

private typealias Bounds = GLPKProblem.Bounds

/// GLPK's time limit for the horizon fleet MILP (reserved capacity, change costs), per model
/// size: 10 s by default. When it is reached the best fleet found is used and the plan says
/// so (`Fleet.unproved`, warning `fleet_not_proved`). A task-local value, so a caller (or a
/// test) can set it for the planning it runs: `FleetTimeLimit.$milliseconds.withValue(...)`.
public enum FleetTimeLimit {
    @TaskLocal public static var milliseconds = 10_000
}
