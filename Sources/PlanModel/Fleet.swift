import Demand

import Numerics
/// Replicas of one serving option, by month.
public struct FleetAssignment: Sendable, Equatable {
    public let replica: ReplicaSpec
    /// Replicas provisioned in each month of the horizon (one entry for a lifetime-total demand).
    public let replicasByMonth: [Int]

    /// Largest replica count over the horizon.
    public var peakReplicas: Int { replicasByMonth.max() ?? 0 }

    public init(replica: ReplicaSpec, replicasByMonth: [Int]) {
        self.replica = replica
        self.replicasByMonth = replicasByMonth
    }
}

/// The serving fleet of a plan.
public struct Fleet: Sendable, Equatable {
    /// Hours in the average month (365.25 / 12 days): a fleet is provisioned, and paid for, by the month.
    public static let hoursPerMonth = DemandForecast.daysPerMonth * 24

    public let assignments: [FleetAssignment]
    /// For a lifetime-total demand: busy device-hours (no provisioning by month).
    public let busyDeviceHours: Double?
    /// Devices reserved per accelerator and term (`CapacityPurchasing.Reservation`); empty
    /// when everything is bought on demand.
    public let reservations: [FleetReservation]
    /// Replica-hours of a replica's price charged per replica added or removed between months.
    public let changeCostReplicaHours: Double
    /// True when the solver stopped at its time limit before proving this fleet the cheapest
    /// (within its gap): the fleet serves every month's peak, but a cheaper one may exist.
    public let unproved: Bool

    public init(assignments: [FleetAssignment], busyDeviceHours: Double? = nil, reservations: [FleetReservation] = [],
                changeCostReplicaHours: Double = 0, unproved: Bool = false) {
        self.assignments = assignments
        self.busyDeviceHours = busyDeviceHours
        self.reservations = reservations
        self.changeCostReplicaHours = changeCostReplicaHours
        self.unproved = unproved
    }

    /// Devices of accelerator `hardware` the fleet runs in month `m`.
    public func devicesInUse(_ hardware: String, month m: Int) -> Int {
        assignments.reduce(0) { $0 + ($1.replica.option.hardwareName == hardware ? $1.replicasByMonth[m] * $1.replica.devices : 0) }
    }

    /// What month `m` (zero-based) of a horizon of `months` months costs, USD, split by how
    /// it is bought.
    ///
    /// - on demand: device-hours in use beyond the month's reservation, at the option's price
    ///   (every device-hour when its accelerator is not reserved);
    /// - reserved: each term's commitment (devices × discounted price × hours × term months),
    ///   spread evenly over the months of the term inside the horizon, so a commitment that
    ///   outlives the horizon is still paid in full;
    /// - changes: replicas added or removed since the previous month × the change cost.
    public func cost(month m: Int, months: Int) -> (onDemand: Double, reserved: Double, changes: Double) {
        var onDemand = 0.0, reserved = 0.0, changes = 0.0
        let reservedHardware = Set(reservations.map(\.hardware))
        for a in assignments where !reservedHardware.contains(a.replica.option.hardwareName) {
            // Written as the provisioned device-seconds, the form the cost has always taken.
            let provisionedSeconds = Double(a.replicasByMonth[m]) * Double(a.replica.devices) * Self.hoursPerMonth * 3600
            onDemand += provisionedSeconds / 3600 * a.replica.option.usdPerDeviceHour
        }
        for r in reservations {
            let t = m / r.termMonths
            let held = r.devicesByTerm[t]
            onDemand += Double(max(0, devicesInUse(r.hardware, month: m) - held)) * r.usdPerDeviceHour * Self.hoursPerMonth
            let monthsInHorizon = min(r.termMonths, months - t * r.termMonths)
            reserved += Double(held) * r.reservedUSDPerDeviceHour * Self.hoursPerMonth * Double(r.termMonths) / Double(monthsInHorizon)
        }
        if m > 0, changeCostReplicaHours > 0 {
            for a in assignments {
                changes += Double(abs(a.replicasByMonth[m] - a.replicasByMonth[m - 1])) * changeCostReplicaHours * a.replica.replicaHourUSD
            }
        }
        return (onDemand, reserved, changes)
    }

    /// Requests per second the fleet provisioned in month `m` (zero-based) can serve.
    public func capacity(month m: Int) -> Double {
        assignments.reduce(0.0) { $0 + Double($1.replicasByMonth[m]) * $1.replica.requestsPerSecond }
    }
}

/// Devices of one accelerator committed for each term of the horizon.
public struct FleetReservation: Sendable, Equatable {
    /// Accelerator (profile) name.
    public let hardware: String
    /// Months one commitment lasts.
    public let termMonths: Int
    /// Fraction off the on-demand price.
    public let discount: Double
    /// On-demand price of one device-hour, USD.
    public let usdPerDeviceHour: Double
    /// Devices reserved in each term (term t covers months t × termMonths ..< (t + 1) × termMonths).
    public let devicesByTerm: [Int]
    /// Where `discount` comes from: "scenario", or the source of the profile's figure.
    public let discountSource: String

    public init(hardware: String, termMonths: Int, discount: Double, usdPerDeviceHour: Double, devicesByTerm: [Int],
                discountSource: String = "scenario") {
        self.hardware = hardware
        self.termMonths = termMonths
        self.discount = discount
        self.usdPerDeviceHour = usdPerDeviceHour
        self.devicesByTerm = devicesByTerm
        self.discountSource = discountSource
    }

    /// Price of one reserved device-hour, USD.
    public var reservedUSDPerDeviceHour: Double { usdPerDeviceHour * (1 - discount) }
}
