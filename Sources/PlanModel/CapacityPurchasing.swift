/// How serving capacity is bought over a forecast's horizon.
///
/// The default buys every replica on demand, month by month, at the option's device-hour
/// price, and each month's fleet is sized on its own. Two terms change that, and with either
/// of them the fleet is sized over the whole horizon at once (`couplesMonths`):
/// - a reservation: devices of an accelerator committed for a term (12 or 36 months, from
///   month 0 and every term after it) at a discount, paid for every month of the term whether
///   used or not, even months past the horizon; devices a month needs beyond its reservation
///   are bought on demand;
/// - a change cost: replica-hours of a replica's price charged each time a replica is added
///   or removed between consecutive months (provisioning, model load, warm-up, draining), so
///   counts move only when that pays.
public struct CapacityPurchasing: Sendable, Equatable {
    /// Devices committed for fixed terms at a discount.
    public struct Reservation: Sendable, Equatable {
        /// Months one commitment lasts (12 or 36); commitments start at month 0, `termMonths`,
        /// `2 termMonths`, ...
        public var termMonths: Int
        /// Fraction off the on-demand device-hour price, by accelerator name, each in [0, 1).
        /// An accelerator without an entry is not reserved (on demand only).
        public var discounts: [String: Double]
        /// Where each discount comes from, by accelerator name: "scenario" when the scenario
        /// states it, else the profile's source (`HardwareProfile.reservedDiscounts`).
        public var sources: [String: String]

        public init(termMonths: Int, discounts: [String: Double], sources: [String: String] = [:]) {
            self.termMonths = termMonths
            self.discounts = discounts
            self.sources = sources
        }

        /// The largest discount offered on any accelerator, 0 with none.
        public var largestDiscount: Double { discounts.values.max() ?? 0 }

        /// The term (zero-based) that month `m` falls in.
        public func term(ofMonth m: Int) -> Int { m / termMonths }

        /// How many terms cover a horizon of `months` months.
        public func terms(months: Int) -> Int { (months + termMonths - 1) / termMonths }
    }

    public var reservation: Reservation?
    /// Replica-hours of a replica's price charged for each replica added or removed between
    /// consecutive months, ≥ 0 (0: counts may move freely).
    public var changeCostReplicaHours: Double

    public init(reservation: Reservation? = nil, changeCostReplicaHours: Double = 0) {
        self.reservation = reservation
        self.changeCostReplicaHours = changeCostReplicaHours
    }

    /// Every replica on demand, months sized on their own.
    public static let onDemand = CapacityPurchasing()

    /// Whether the fleet must be sized over the whole horizon at once.
    public var couplesMonths: Bool { reservation != nil || changeCostReplicaHours > 0 }

    /// The least fraction of the on-demand price any device-hour can cost (1 − the largest
    /// discount): scaling a fleet's on-demand cost bound by it keeps it a lower bound.
    public var cheapestPriceFraction: Double { 1 - (reservation?.largestDiscount ?? 0) }
}
