import CGLPK
import Foundation

/// Owns one GLPK problem object (`glp_prob*`) for its whole life.
///
/// Every index, bound and coefficient is checked in Swift before it reaches C, so
/// GLPK never sees input that would make it abort. Terminal output is off. The
/// object is not `Sendable`: create, fill, solve and drop it on one thread, with
/// no suspension point in between (GLPK's environment is thread-local).
public final class GLPKProblem {
    /// Whether the objective is minimised or maximised.
    public enum Direction: Sendable { case minimize, maximize }

    /// A variable's or row's bounds. `nil` means unbounded on that side.
    public struct Bounds: Equatable, Sendable {
        public var lower: Double?
        public var upper: Double?
        public init(lower: Double? = nil, upper: Double? = nil) { self.lower = lower; self.upper = upper }
        public static let free = Bounds()
        public static func atLeast(_ value: Double) -> Bounds { Bounds(lower: value) }
        public static func atMost(_ value: Double) -> Bounds { Bounds(upper: value) }
        public static func exactly(_ value: Double) -> Bounds { Bounds(lower: value, upper: value) }
    }

    private var handle: OpaquePointer?
    private let generation: Int

    /// Creates an empty problem.
    public init(direction: Direction = .minimize) throws(GLPKError) {
        guard let p = sp_glp_create_prob() else { GLPKEnvironment.lost(); throw .internalError }
        handle = p
        generation = GLPKEnvironment.generation
        GLPKEnvironment.captureOutput()
        glp_set_obj_dir(p, direction == .minimize ? GLP_MIN : GLP_MAX)
    }

    deinit {
        if let p = handle, GLPKEnvironment.generation == generation { glp_delete_prob(p) }
    }

    private func live() throws(GLPKError) -> OpaquePointer {
        guard let p = handle, GLPKEnvironment.generation == generation else {
            handle = nil
            throw .problemLost
        }
        return p
    }

    /// What GLPK said about the last internal error on this thread (its terminal output is
    /// captured, never printed), or nil when it said nothing.
    public static var lastInternalError: String? { GLPKEnvironment.lastOutput }

    /// Number of structural columns (variables).
    public var columnCount: Int { handle.map { Int(glp_get_num_cols($0)) } ?? 0 }
    /// Number of rows (constraints).
    public var rowCount: Int { handle.map { Int(glp_get_num_rows($0)) } ?? 0 }

    /// Adds a column with bounds and objective coefficient; returns its one-based index.
    @discardableResult
    public func addColumn(
        bounds: Bounds = .free, objective: Double = 0, integer: Bool = false
    ) throws(GLPKError) -> Int {
        let p = try live()
        try Self.check(bounds, what: "column bounds")
        try Self.checkFinite(objective, what: "objective coefficient")
        let j = glp_add_cols(p, 1)
        Self.apply(bounds) { type, lb, ub in glp_set_col_bnds(p, j, type, lb, ub) }
        glp_set_obj_coef(p, j, objective)
        if integer { glp_set_col_kind(p, j, GLP_IV) }
        return Int(j)
    }

    /// Adds a row `bounds.lower <= sum coefficients[j] * x_j <= bounds.upper`;
    /// `coefficients` maps one-based column indices to values. Returns the row's index.
    @discardableResult
    public func addRow(_ coefficients: [(column: Int, value: Double)], bounds: Bounds) throws(GLPKError) -> Int {
        let p = try live()
        try Self.check(bounds, what: "row bounds")
        let n = columnCount
        let rowIndex = rowCount + 1
        // A short row is checked for repeated columns pairwise, without allocating a set.
        var seen = coefficients.count > 16 ? Set<Int>() : nil
        for (k, (column, value)) in coefficients.enumerated() {
            guard (1...max(n, 1)).contains(column), n > 0 else {
                throw .indexOutOfRange(kind: "column", index: column, count: n)
            }
            try Self.checkFinite(value, what: "coefficient of column \(column) in row \(rowIndex)")
            let repeated = seen == nil ? coefficients[..<k].contains { $0.column == column } : !seen!.insert(column).inserted
            if repeated { throw .duplicateColumn(row: rowIndex, column: column) }
        }
        let i = glp_add_rows(p, 1)
        Self.apply(bounds) { type, lb, ub in glp_set_row_bnds(p, i, type, lb, ub) }
        if !coefficients.isEmpty {
            // GLPK arrays are one-based: element 0 is ignored.
            var ind: [Int32] = [0] + coefficients.map { Int32($0.column) }
            var val: [Double] = [0] + coefficients.map(\.value)
            if sp_glp_set_mat_row(p, i, Int32(coefficients.count), &ind, &val) != 0 { lose(); throw .internalError }
        }
        return Int(i)
    }

    /// Changes a column's objective coefficient.
    public func setObjective(column: Int, _ value: Double) throws(GLPKError) {
        let p = try live()
        try checkColumn(column)
        try Self.checkFinite(value, what: "objective coefficient")
        glp_set_obj_coef(p, Int32(column), value)
    }

    /// Changes a row's bounds.
    public func setRowBounds(_ row: Int, _ bounds: Bounds) throws(GLPKError) {
        let p = try live()
        guard (1...max(rowCount, 1)).contains(row), rowCount > 0 else {
            throw .indexOutOfRange(kind: "row", index: row, count: rowCount)
        }
        try Self.check(bounds, what: "row bounds")
        Self.apply(bounds) { type, lb, ub in glp_set_row_bnds(p, Int32(row), type, lb, ub) }
    }

    /// Solves the LP relaxation with the primal simplex method (presolve on).
    /// Returns the primal status; `.optimal` means `value(column:)` holds an optimum.
    public func solveLP() throws(GLPKError) -> SolverStatus {
        let p = try live()
        guard columnCount > 0 else { throw .indexOutOfRange(kind: "column", index: 0, count: 0) }
        var parm = glp_smcp()
        sp_glp_quiet_smcp(&parm)
        parm.presolve = GLP_ON
        GLPKEnvironment.clearOutput()
        let code = sp_glp_simplex(p, &parm)
        if code == SP_GLP_INTERNAL_ERROR { lose(); throw .internalError }
        // With presolve on, GLPK reports an infeasible or unbounded model by these codes.
        if code == GLP_ENOPFS { return .noFeasible }
        if code == GLP_ENODFS { return .unbounded }
        if code != 0 { throw .solverFailed(routine: "glp_simplex", code: code) }
        return SolverStatus(rawValue: glp_get_status(p))
    }

    /// Solves the mixed-integer problem by branch and cut (with the LP presolver).
    ///
    /// `relativeGap` must be at least 0 and `timeLimitSeconds` positive; GLPK checks both
    /// itself, and its error on a bad value arrives as `GLPKError.internalError` through the
    /// error hook (the process survives, this thread's problems are lost).
    ///
    /// `cuts` turns on GLPK's cutting planes (mixed-integer rounding, Gomory's mixed-integer,
    /// cover and clique cuts) and its feasibility-pump heuristic: slower per node, but far fewer
    /// nodes on problems whose LP relaxation is weak (general integers linked over many rows).
    ///
    /// `integralityTolerance` is how far from an integer a variable may be and still count as
    /// one (GLPK's `tol_int`, default 1e-5). At the default, a count whose LP value is 9.000003
    /// is taken as 9, which leaves a row asking for 9.000003 short once rounded; a tolerance
    /// below the slack such rows ask for makes GLPK branch instead.
    public func solveMIP(relativeGap: Double = 1e-9, timeLimitSeconds: Int? = nil, cuts: Bool = false,
                         integralityTolerance: Double? = nil) throws(GLPKError) -> SolverStatus {
        try solveMIP(relativeGap: relativeGap, timeLimitMilliseconds: timeLimitSeconds.map { $0 * 1000 }, cuts: cuts,
                     integralityTolerance: integralityTolerance)
    }

    /// Whether the last `solveMIP` stopped at its time limit (GLPK's `GLP_ETMLIM`): its
    /// solution, if any (`SolverStatus.feasible`), is not proved optimal within the gap.
    public private(set) var mipStoppedAtTimeLimit = false

    /// `solveMIP` with the time limit in milliseconds.
    public func solveMIP(relativeGap: Double = 1e-9, timeLimitMilliseconds: Int?, cuts: Bool = false,
                         integralityTolerance: Double? = nil) throws(GLPKError) -> SolverStatus {
        let p = try live()
        mipStoppedAtTimeLimit = false
        guard columnCount > 0 else { throw .indexOutOfRange(kind: "column", index: 0, count: 0) }
        try Self.checkFinite(relativeGap, what: "MIP gap")
        if let t = integralityTolerance {
            guard t > 0, t < 1 else { throw .invalidTolerance(what: "integrality tolerance", value: t) }
        }
        var parm = glp_iocp()
        sp_glp_quiet_iocp(&parm)
        parm.presolve = GLP_ON
        if cuts {
            parm.mir_cuts = GLP_ON
            parm.gmi_cuts = GLP_ON
            parm.cov_cuts = GLP_ON
            parm.clq_cuts = GLP_ON
            parm.fp_heur = GLP_ON
        }
        parm.mip_gap = relativeGap
        if let t = integralityTolerance { parm.tol_int = t }
        if let limit = timeLimitMilliseconds { parm.tm_lim = Int32(clamping: limit) }
        GLPKEnvironment.clearOutput()
        let code = sp_glp_intopt(p, &parm)
        if code == SP_GLP_INTERNAL_ERROR { lose(); throw .internalError }
        if code == GLP_ENOPFS || code == GLP_ENOFEAS { return .noFeasible }
        if code == GLP_ENODFS { return .unbounded }
        mipStoppedAtTimeLimit = code == GLP_ETMLIM
        if code != 0 && code != GLP_ETMLIM && code != GLP_EMIPGAP {
            throw .solverFailed(routine: "glp_intopt", code: code)
        }
        return SolverStatus(rawValue: glp_mip_status(p))
    }

    /// The objective value of the last LP solve.
    public var objectiveValue: Double { handle.map { glp_get_obj_val($0) } ?? .nan }
    /// The objective value of the last MIP solve.
    public var mipObjectiveValue: Double { handle.map { glp_mip_obj_val($0) } ?? .nan }

    /// A column's primal value after `solveLP`.
    public func value(column: Int) throws(GLPKError) -> Double {
        let p = try live()
        try checkColumn(column)
        return glp_get_col_prim(p, Int32(column))
    }

    /// A column's value after `solveMIP`.
    public func mipValue(column: Int) throws(GLPKError) -> Double {
        let p = try live()
        try checkColumn(column)
        return glp_mip_col_val(p, Int32(column))
    }

    /// A row's dual value (shadow price) after `solveLP`.
    public func dual(row: Int) throws(GLPKError) -> Double {
        let p = try live()
        guard (1...max(rowCount, 1)).contains(row), rowCount > 0 else {
            throw .indexOutOfRange(kind: "row", index: row, count: rowCount)
        }
        return glp_get_row_dual(p, Int32(row))
    }

    /// After an internal error: GLPK freed this thread's environment and with it this problem.
    private func lose() {
        handle = nil
        GLPKEnvironment.lost()
    }

    private func checkColumn(_ column: Int) throws(GLPKError) {
        guard columnCount > 0, (1...columnCount).contains(column) else {
            throw .indexOutOfRange(kind: "column", index: column, count: columnCount)
        }
    }

    /// `what` names the number in the error; it is built only when the check fails (the
    /// month MILPs add rows by the ten thousand).
    private static func checkFinite(_ value: Double, what: @autoclosure () -> String) throws(GLPKError) {
        guard value.isFinite else { throw .nonFinite(what: what(), value: value) }
    }

    private static func check(_ bounds: Bounds, what: @autoclosure () -> String) throws(GLPKError) {
        if let l = bounds.lower { try checkFinite(l, what: "\(what()) lower") }
        if let u = bounds.upper { try checkFinite(u, what: "\(what()) upper") }
        if let l = bounds.lower, let u = bounds.upper, l > u {
            throw .inconsistentBounds(what: what(), lower: l, upper: u)
        }
    }

    private static func apply(_ bounds: Bounds, _ set: (Int32, Double, Double) -> Void) {
        switch (bounds.lower, bounds.upper) {
        case (nil, nil): set(GLP_FR, 0, 0)
        case (let l?, nil): set(GLP_LO, l, 0)
        case (nil, let u?): set(GLP_UP, 0, u)
        case (let l?, let u?): set(l == u ? GLP_FX : GLP_DB, l, u)
        }
    }
}
