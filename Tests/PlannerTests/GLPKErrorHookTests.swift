import Downscale
import GLPK
import PlanModel
import PlanSolver
import Testing

/// GLPK's own error path, reached through the public API: a negative MIP gap passes Swift
/// (GLPK validates its control parameters itself) and makes glp_intopt raise an internal
/// error, which would abort the process without the error hook in Sources/CGLPK/shim.h.
@Suite("GLPK error hook")
struct GLPKErrorHookTests {
    @Test func anInternalErrorIsThrownAndTheThreadRecovers() throws {
        let p = try GLPKProblem()
        let x = try p.addColumn(bounds: .init(lower: 0, upper: 3), objective: 1, integer: true)
        try p.addRow([(x, 1)], bounds: .atLeast(1.5))
        #expect(throws: GLPKError.internalError) { try p.solveMIP(relativeGap: -1) }
        // GLPK's message was captured by the terminal hook, not printed.
        #expect(GLPKProblem.lastInternalError?.contains("mip_gap") == true, "\(GLPKProblem.lastInternalError ?? "nothing")")
        // The problem went with the environment GLPK freed; using it again is refused in Swift.
        #expect(throws: GLPKError.problemLost) { try p.solveLP() }
        #expect(throws: GLPKError.problemLost) { try p.addColumn() }
        // A new problem on the same thread gets a fresh environment and solves: min x, x >= 1.5, x integer -> 2.
        let q = try GLPKProblem()
        let y = try q.addColumn(bounds: .init(lower: 0, upper: 3), objective: 1, integer: true)
        try q.addRow([(y, 1)], bounds: .atLeast(1.5))
        #expect(try q.solveMIP() == .optimal)
        #expect(q.mipObjectiveValue == 2)
    }

    @Test func aNegativeTimeLimitTakesTheSamePath() throws {
        let p = try GLPKProblem()
        let x = try p.addColumn(bounds: .init(lower: 0, upper: 1), objective: 1, integer: true)
        try p.addRow([(x, 1)], bounds: .atLeast(0))
        #expect(throws: GLPKError.internalError) { try p.solveMIP(timeLimitSeconds: -1) }
        #expect(GLPKProblem.lastInternalError?.contains("tm_lim") == true, "\(GLPKProblem.lastInternalError ?? "nothing")")
    }
}
