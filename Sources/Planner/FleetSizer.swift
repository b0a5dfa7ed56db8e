import Demand
import Foundation

/// Sizes the serving fleet for a model size as a GLPK MILP.
///
/// Variables r[a, m] >= 0 integer: replicas of option a in month m. Each month's capacity
/// must cover that month's peak request rate: sum_a rps_a r[a, m] >= peak_m. Devices of one
/// accelerator type stay within its availability cap: sum_{a of type h} devices_a r[a, m] <=
/// cap_h. Minimise the provisioned cost sum_{a, m} r[a, m] devices_a price_a hours_m. Options
/// that cannot meet the latency SLO never enter (they have no replica spec). No constraint
/// links two months, so each month is solved as its own MILP (exactly the same optimum).
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
    public static let hoursPerMonth = DemandForecast.daysPerMonth * 24

    public static func size(replicas: [ReplicaSpec], demand: DemandForecast) throws(Failure) -> Fleet {
        guard !replicas.isEmpty else { throw .noServingOption }
        let months = demand.series()
        // Months share no variable or constraint, so each is its own small MILP; months with
        // the same peak have the same answer.
        var solved: [Double: [Int]] = [:]
        var counts = [[Int]](repeating: [], count: replicas.count)
        for (m, month) in months.enumerated() {
            let peak = month.peakRequestsPerSecond
            let answer: [Int]
            if let known = solved[peak] {
                answer = known
            } else {
                answer = try sizeMonth(replicas, peak: peak, month: m)
                solved[peak] = answer
            }
            for a in replicas.indices { counts[a].append(answer[a]) }
        }
        let assignments = replicas.indices.compactMap { a -> FleetAssignment? in
            counts[a].contains { $0 > 0 } ? FleetAssignment(replica: replicas[a], replicasByMonth: counts[a]) : nil
        }
        return Fleet(assignments: assignments)
    }

    /// One month: min sum_a r_a devices_a price_a s.t. sum_a rps_a r_a >= peak, caps per type.
    static func sizeMonth(_ replicas: [ReplicaSpec], peak: Double, month: Int) throws(Failure) -> [Int] {
        if peak <= 0 { return replicas.map { _ in 0 } }
        do {
            let p = try GLPKProblem(direction: .minimize)
            let columns = try replicas.map { r in
                try p.addColumn(bounds: .atLeast(0), objective: Double(r.devices) * r.option.usdPerDeviceHour * hoursPerMonth, integer: true)
            }
            // Capacity as a fraction of the peak, so GLPK's feasibility tolerance is relative.
            try p.addRow(replicas.indices.map { (columns[$0], replicas[$0].requestsPerSecond / peak) }, bounds: .atLeast(1))
            let types = Dictionary(grouping: replicas.indices, by: { replicas[$0].option.hardware.name })
            for (_, members) in types.sorted(by: { $0.key < $1.key }) {
                guard let cap = members.compactMap({ replicas[$0].option.maxDevices }).min() else { continue }
                try p.addRow(members.map { (columns[$0], Double(replicas[$0].devices)) }, bounds: .atMost(Double(cap)))
            }
            let status = try p.solveMIP(relativeGap: 1e-6, timeLimitSeconds: 10)
            guard status == .optimal || status == .feasible else { throw Failure.capacityShort(month: month) }
            var counts = try columns.map { Int(try p.mipValue(column: $0).rounded()) }
            // GLPK meets the capacity row within its feasibility tolerance; top up with the
            // cheapest replica per request per second until the peak is met exactly.
            func capacity() -> Double { zip(counts, replicas).reduce(0) { $0 + Double($1.0) * $1.1.requestsPerSecond } }
            while capacity() < peak {
                let room = replicas.indices.filter { i in
                    guard let cap = replicas[i].option.maxDevices else { return true }
                    let used = replicas.indices.filter { replicas[$0].option.hardware.name == replicas[i].option.hardware.name }
                        .reduce(0) { $0 + counts[$1] * replicas[$1].devices }
                    return used + replicas[i].devices <= cap
                }
                func price(_ i: Int) -> Double { Double(replicas[i].devices) * replicas[i].option.usdPerDeviceHour / replicas[i].requestsPerSecond }
                guard let i = room.min(by: { price($0) < price($1) }) else { throw Failure.capacityShort(month: month) }
                counts[i] += 1
            }
            return counts
        } catch let f as Failure {
            throw f
        } catch {
            throw .solver("\(error)")
        }
    }

    /// The most requests per second the availability caps allow: every accelerator type at
    /// its cap, running its best option per device (the LP relaxation's bound; infinite
    /// when some type has no cap).
    static func capacityCeiling(_ replicas: [ReplicaSpec]) -> Double {
        let byType = Dictionary(grouping: replicas, by: { $0.option.hardware.name })
        return byType.values.reduce(0.0) { total, group in
            let best = group.map { r in r.requestsPerSecond / Double(r.devices) }.max() ?? 0
            let cap = group.compactMap(\.option.maxDevices).min().map(Double.init) ?? .infinity
            return total + best * cap
        }
    }
}
