import Diagnostics
import Numerics
import ScalingLaws

/// The answer to a scenario: the recommended plan, the frontier, or why there is none.
public struct PlanOutcome: Sendable {
    public enum Status: String, Sendable { case optimal, infeasible }

    public let status: Status
    public let recommended: PlanMetrics?
    /// Why the plan was recommended ("minimum cost subject to the constraints", "knee").
    public let recommendation: String
    public let frontier: Frontier?
    /// For an infeasible scenario: the constraints and the smallest bound each would need.
    public let relaxations: [Relaxation]
    /// With a loss confidence: the same primary objective minimised with the nominal law (the
    /// difference is the price of confidence); nil otherwise or when the nominal problem is
    /// infeasible.
    public let nominal: PlanMetrics?

    /// How far one bound must move for the scenario to become feasible with the others kept.
    public struct Relaxation: Sendable, Equatable {
        public let constraint: String
        public let bound: Double
        /// The smallest feasible bound; nil when relaxing this one alone does not help.
        public let needed: Double?

        public init(constraint: String, bound: Double, needed: Double?) {
            self.constraint = constraint
            self.bound = bound
            self.needed = needed
        }
    }

    /// The recommended plan's warnings (subject "recommended plan"); empty without a plan.
    public var warnings: [Warning]

    /// When the scenario compares architectures: each one's own best plan for the primary
    /// objective under the scenario's constraints (nil where none is feasible), in the
    /// scenario's order. With a loss bound and a cost objective these are the plans at equal
    /// loss, and their figures say why the winner wins.
    public var architectures: [(label: String, best: PlanMetrics?, reason: String?)] = []

    public init(status: Status, recommended: PlanMetrics?, recommendation: String, frontier: Frontier?,
                relaxations: [Relaxation], nominal: PlanMetrics?, warnings: [Warning] = []) {
        self.status = status
        self.recommended = recommended
        self.recommendation = recommendation
        self.frontier = frontier
        self.relaxations = relaxations
        self.nominal = nominal
        self.warnings = warnings
    }
}
