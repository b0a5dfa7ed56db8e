import Foundation
import GLPK
import Numerics
import PlanModel

/// Minimise one posynomial objective subject to posynomial upper bounds, over a box in
/// x = ln N and y = ln D with the over-training ratio y - x in a range:
///
///     minimise   f0(x, y)
///     subject to fi(x, y) <= bi,   x in [xMin, xMax],   y - x in [mMin, mMax].
///
/// Every fi is a posynomial plus a constant, so ln(fi - ci) is convex and the program is
/// solved exactly by outer approximation with GLPK (Kelley's cutting planes): an LP over
/// (x, y, t) holds tangent cuts of ln(f0 - c0) <= t and ln(fi - ci) <= ln(bi - ci); each
/// round adds cuts at the LP optimum for every function violated there, until no violation
/// exceeds `tolerance` in log space (1e-7 by default: 1e-7 relative in each quantity; GLPK's
/// own tolerances stall Kelley's method near there). The
/// LP is a relaxation, so an infeasible LP proves the program infeasible. The final point
/// is then polished on its active constraints (`ConvexProgram+Polish.swift`) so it satisfies
/// them to rounding error instead of the LP's tolerance.
public struct ConvexProgram: Sendable {
    public struct Constraint: Sendable {
        public var name: String
        public var function: Posynomial
        public var bound: Double
        public init(name: String, function: Posynomial, bound: Double) { self.name = name; self.function = function; self.bound = bound }
    }

    public var objective: Posynomial
    public var constraints: [Constraint]
    public var xRange: ClosedRange<Double>
    public var ratioRange: ClosedRange<Double>
    public var tolerance = 1e-7
    public var maxRounds = 400

    public init(objective: Posynomial, constraints: [Constraint], xRange: ClosedRange<Double>, ratioRange: ClosedRange<Double>) {
        self.objective = objective
        self.constraints = constraints
        self.xRange = xRange
        self.ratioRange = ratioRange
    }

    /// The outcome of a solve.
    public enum Outcome: Sendable {
        case optimal(x: Double, y: Double, rounds: Int)
        /// No point satisfies the constraints; `constraint` names one whose bound is below
        /// its function's floor (constant term), when that is the reason.
        case infeasible(constraint: String?)
    }

    public enum Failure: Error, Sendable, Equatable {
        case solver(String)
        case noConvergence(rounds: Int)
    }

    /// The y range implied by the box.
    var yRange: ClosedRange<Double> { (xRange.lowerBound + ratioRange.lowerBound)...(xRange.upperBound + ratioRange.upperBound) }

    public func solve() throws(Failure) -> Outcome {
        for c in constraints where !(c.bound > c.function.constant) || c.function.terms.isEmpty && c.bound < c.function.constant {
            return .infeasible(constraint: c.name)
        }
        let active = constraints.filter { !$0.function.terms.isEmpty }
        do {
            let lp = try GLPKProblem(direction: .minimize)
            let x = try lp.addColumn(bounds: .init(lower: xRange.lowerBound, upper: xRange.upperBound))
            let y = try lp.addColumn(bounds: .init(lower: yRange.lowerBound, upper: yRange.upperBound))
            let t = try lp.addColumn(objective: 1)
            try lp.addRow([(y, 1), (x, -1)], bounds: .init(lower: ratioRange.lowerBound, upper: ratioRange.upperBound))

            func cut(_ f: Posynomial, at p: (Double, Double), bound: Double?) throws {
                let g = f.logVariable(x: p.0, y: p.1)
                let rhs = g.dx * p.0 + g.dy * p.1 - g.value
                if let bound {
                    try lp.addRow([(x, g.dx), (y, g.dy)], bounds: .atMost(Foundation.log(bound - f.constant) + rhs))
                } else {
                    try lp.addRow([(x, g.dx), (y, g.dy), (t, -1)], bounds: .atMost(rhs))
                }
            }
            let cx = (xRange.lowerBound + xRange.upperBound) / 2
            let seeds = [(cx, cx + (ratioRange.lowerBound + ratioRange.upperBound) / 2),
                         (xRange.lowerBound, xRange.lowerBound + ratioRange.lowerBound),
                         (xRange.upperBound, xRange.upperBound + ratioRange.upperBound),
                         (xRange.lowerBound, xRange.lowerBound + ratioRange.upperBound),
                         (xRange.upperBound, xRange.upperBound + ratioRange.lowerBound)]
            for s in seeds {
                try cut(objective, at: s, bound: nil)
                for c in active { try cut(c.function, at: s, bound: c.bound) }
            }
            var last: (Double, Double, Double)?
            var bestWorst = Double.infinity, bestRound = 0
            for round in 1...maxRounds {
                let status = try lp.solveLP()
                if status == .noFeasible || status == .infeasible { return .infeasible(constraint: nil) }
                guard status == .optimal else { throw Failure.solver("LP status \(status)") }
                let p = (try lp.value(column: x), try lp.value(column: y))
                let tv = try lp.value(column: t)
                var done = true
                var worst = objective.logVariable(x: p.0, y: p.1).value - tv
                for c in active { worst = max(worst, violation(c, p.0, p.1)) }
                last = (p.0, p.1, worst)
                if objective.logVariable(x: p.0, y: p.1).value - tv > tolerance {
                    try cut(objective, at: p, bound: nil)
                    done = false
                }
                for c in active where c.function.logVariable(x: p.0, y: p.1).value - Foundation.log(c.bound - c.function.constant) > tolerance {
                    try cut(c.function, at: p, bound: c.bound)
                    done = false
                }
                if done { return .optimal(x: p.0, y: p.1, rounds: round) }
                // Stalled on GLPK's tolerances: stop once a further 15 rounds have not halved
                // the violation and it is already small; the polish makes the point exact.
                if worst < bestWorst * 0.5 { bestWorst = worst; bestRound = round }
                if round - bestRound >= 15, worst < 1e-4 { return .optimal(x: p.0, y: p.1, rounds: round) }
            }
            // Out of rounds: accept a point within 1e-5 (the polish makes it exact), else fail.
            if let last, last.2 < 1e-5 { return .optimal(x: last.0, y: last.1, rounds: maxRounds) }
            throw Failure.noConvergence(rounds: maxRounds)
        } catch let f as Failure {
            throw f
        } catch {
            throw .solver("\(error)")
        }
    }
}
