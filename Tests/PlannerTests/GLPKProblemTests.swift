import Downscale
import GLPK
import PlanModel
import PlanSolver
import Testing

/// These call GLPK for real, so a broken install fails here.
@Suite("GLPK")
struct GLPKProblemTests {
    /// max 3x + 2y s.t. x + y <= 4, x + 3y <= 7, 0 <= x <= 3, y >= 0: optimum x = 3, y = 1, value 11.
    @Test func solvesASmallLP() throws {
        let p = try GLPKProblem(direction: .maximize)
        let x = try p.addColumn(bounds: .init(lower: 0, upper: 3), objective: 3)
        let y = try p.addColumn(bounds: .atLeast(0), objective: 2)
        let r1 = try p.addRow([(x, 1), (y, 1)], bounds: .atMost(4))
        try p.addRow([(x, 1), (y, 3)], bounds: .atMost(7))
        #expect(try p.solveLP() == .optimal)
        #expect(abs(p.objectiveValue - 11) < 1e-9)
        #expect(abs(try p.value(column: x) - 3) < 1e-9)
        #expect(abs(try p.value(column: y) - 1) < 1e-9)
        #expect(abs(try p.dual(row: r1) - 2) < 1e-9)
    }

    /// A knapsack: values 10, 13, 7, weights 5, 6, 4, capacity 10: take items 2 and 3 (value 20).
    @Test func solvesASmallMILP() throws {
        let p = try GLPKProblem(direction: .maximize)
        let items = try [(10.0, 5.0), (13, 6), (7, 4)].map { v, _ in try p.addColumn(bounds: .init(lower: 0, upper: 1), objective: v, integer: true) }
        try p.addRow(zip(items, [5.0, 6, 4]).map { ($0, $1) }, bounds: .atMost(10))
        #expect(try p.solveMIP() == .optimal)
        #expect(abs(p.mipObjectiveValue - 20) < 1e-9)
        #expect(try items.map { try p.mipValue(column: $0).rounded() } == [0, 1, 1])
    }

    /// min y + 10 z s.t. (y + z) / 9 >= 1 + 3e-7, y, z integer: the LP optimum y = 9.0000027 is
    /// within GLPK's default integrality tolerance (1e-5) of 9, which is short of the row once
    /// rounded; at 1e-9 GLPK branches and returns y = 10. (With one column, GLPK's presolver
    /// rounds the bound itself, so the case needs two.) A tolerance outside (0, 1) is refused
    /// before GLPK sees it.
    @Test func integralityToleranceDecidesNearIntegers() throws {
        func solve(_ tolerance: Double?) throws -> (y: Double, z: Double) {
            let p = try GLPKProblem(direction: .minimize)
            let y = try p.addColumn(bounds: .atLeast(0), objective: 1, integer: true)
            let z = try p.addColumn(bounds: .atLeast(0), objective: 10, integer: true)
            try p.addRow([(y, 1.0 / 9), (z, 1.0 / 9)], bounds: .atLeast(1 + 3e-7))
            #expect(try p.solveMIP(integralityTolerance: tolerance) == .optimal)
            return (try p.mipValue(column: y).rounded(), try p.mipValue(column: z).rounded())
        }
        let tight = try solve(1e-9), loose = try solve(nil)
        #expect(tight.y == 10 && tight.z == 0)
        #expect(loose.y + loose.z < 10, "GLPK's default tolerance now branches here too: \(loose)")
        let p = try GLPKProblem(direction: .minimize)
        _ = try p.addColumn(bounds: .atLeast(0), objective: 1, integer: true)
        #expect(throws: GLPKError.invalidTolerance(what: "integrality tolerance", value: 0)) { try p.solveMIP(integralityTolerance: 0) }
    }

    @Test func reportsInfeasibleAndUnbounded() throws {
        let p = try GLPKProblem()
        let x = try p.addColumn(bounds: .atLeast(0), objective: 1)
        try p.addRow([(x, 1)], bounds: .atMost(-1))
        #expect(try p.solveLP() == .noFeasible)

        let q = try GLPKProblem(direction: .maximize)
        let z = try q.addColumn(bounds: .atLeast(0), objective: 1)
        try q.addRow([(z, 1)], bounds: .atLeast(1))
        #expect(try q.solveLP() == .unbounded)
    }

    /// Input GLPK would abort on is refused in Swift before it reaches C.
    @Test func refusesInputThatWouldAbortGLPK() throws {
        let p = try GLPKProblem()
        let x = try p.addColumn()
        #expect(throws: GLPKError.indexOutOfRange(kind: "column", index: 2, count: 1)) { try p.addRow([(2, 1)], bounds: .atMost(1)) }
        #expect(throws: GLPKError.duplicateColumn(row: 1, column: x)) { try p.addRow([(x, 1), (x, 2)], bounds: .atMost(1)) }
        #expect(throws: GLPKError.self) { try p.addRow([(x, .nan)], bounds: .atMost(1)) }
        // The messages name the number at fault (they are built only when a check fails).
        #expect(throws: GLPKError.nonFinite(what: "coefficient of column 1 in row 1", value: .infinity)) {
            try p.addRow([(x, .infinity)], bounds: .atMost(1))
        }
        #expect(throws: GLPKError.nonFinite(what: "row bounds upper", value: .infinity)) { try p.addRow([(x, 1)], bounds: .atMost(.infinity)) }
        // A long row (checked with a set) and a short one (pairwise) both catch a repeat.
        let many = try (0..<20).map { _ in try p.addColumn() }
        #expect(throws: GLPKError.duplicateColumn(row: 1, column: many[3])) {
            try p.addRow((many + [many[3]]).map { ($0, 1) }, bounds: .atMost(1))
        }
        #expect(throws: GLPKError.duplicateColumn(row: 1, column: many[5])) {
            try p.addRow([(many[4], 1), (many[5], 1), (many[6], 1), (many[5], 2)], bounds: .atMost(1))
        }
        #expect(throws: GLPKError.self) { try p.addColumn(bounds: .init(lower: 2, upper: 1)) }
        #expect(throws: GLPKError.self) { try p.addColumn(objective: .infinity) }
        #expect(throws: GLPKError.self) { try p.value(column: 0) }
        #expect(throws: GLPKError.self) { try p.setRowBounds(1, .atMost(1)) }
        #expect(p.rowCount == 0)
    }

    /// A time limit GLPK reaches is reported (`mipStoppedAtTimeLimit`); a problem it solves
    /// within the limit is not. The hard one: 2 x_1 + ... + 2 x_41 = 41 with binary x has no
    /// solution (the left side is even), which branch and bound can only show by enumerating.
    @Test func reportsAStoppedTimeLimit() throws {
        let hard = try GLPKProblem(direction: .minimize)
        let xs = try (0..<41).map { _ in try hard.addColumn(bounds: .init(lower: 0, upper: 1), objective: 1, integer: true) }
        try hard.addRow(xs.map { ($0, 2) }, bounds: .exactly(41))
        let status = try hard.solveMIP(timeLimitMilliseconds: 200)
        #expect(status != .optimal)
        #expect(hard.mipStoppedAtTimeLimit || status == .noFeasible, "\(status)")
        let easy = try GLPKProblem(direction: .minimize)
        let x = try easy.addColumn(bounds: .atLeast(0), objective: 1, integer: true)
        try easy.addRow([(x, 2)], bounds: .atLeast(5))
        #expect(try easy.solveMIP(timeLimitMilliseconds: 10_000) == .optimal)
        #expect(!easy.mipStoppedAtTimeLimit)
        #expect(abs(try easy.mipValue(column: x) - 3) < 1e-9)
    }
}
