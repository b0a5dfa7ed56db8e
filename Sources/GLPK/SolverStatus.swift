import CGLPK

/// The outcome of a GLPK solve, as GLPK's solution status codes.
public struct SolverStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let optimal = SolverStatus(rawValue: GLP_OPT)
    public static let feasible = SolverStatus(rawValue: GLP_FEAS)
    public static let infeasible = SolverStatus(rawValue: GLP_INFEAS)
    public static let noFeasible = SolverStatus(rawValue: GLP_NOFEAS)
    public static let unbounded = SolverStatus(rawValue: GLP_UNBND)
    public static let undefined = SolverStatus(rawValue: GLP_UNDEF)

    public var description: String {
        switch self {
        case .optimal: "optimal"
        case .feasible: "feasible"
        case .infeasible: "infeasible"
        case .noFeasible: "no feasible solution"
        case .unbounded: "unbounded"
        default: "undefined"
        }
    }

    public static func ~= (pattern: SolverStatus, value: SolverStatus) -> Bool { pattern == value }
}
