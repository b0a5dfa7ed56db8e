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

    public init(assignments: [FleetAssignment], busyDeviceHours: Double? = nil) {
        self.assignments = assignments
        self.busyDeviceHours = busyDeviceHours
    }

    /// Requests per second the fleet provisioned in month `m` (zero-based) can serve.
    public func capacity(month m: Int) -> Double {
        assignments.reduce(0.0) { $0 + Double($1.replicasByMonth[m]) * $1.replica.requestsPerSecond }
    }
}
