import Foundation
import LinearAlgebra
import Numerics
import ScalingLaws

/// The approximate (continuous) design: run counts n_k >= 0, not yet whole numbers, that
/// minimise Psi(M(n)), M(n) = sum_k n_k g_k g_kᵀ, subject to the two resources of a pilot:
///
///   sum_k n_k f_k <= B   (FLOP budget, f_k = 6 N_k D_k)    and    sum_k n_k <= R   (run slots).
///
/// Method. For t in [0, 1] the single resource r_k(t) = t f_k / B + (1 - t) / R turns the
/// problem into a standard one: with weights w_k = n_k r_k(t) on the simplex and rows
/// h_k = g_k / sqrt(r_k(t)), M = sum_k w_k h_k h_kᵀ (designs under a cost constraint,
/// Cook and Fedorov 1995). Every n meeting both constraints has sum n_k r_k(t) <= 1, so each
/// such relaxed problem bounds the true optimum from below, and by convex duality the best t
/// closes the gap. The weights for one t come from the multiplicative algorithm
/// w_k <- w_k d_k (Silvey, Titterington and Torsney 1978; Atkinson, Donev and Tobias 2007, ch. 9), started from
/// uniform weights (later t: halfway between uniform and the previous t's weights) and
/// stopped when max_k d_k <= 1 + 1e-3 (within 0.1% of that optimum) or after 5,000
/// iterations. t is found by bisection: the FLOP budget overspent means FLOPs are too cheap,
/// so t moves up; too many runs, t moves down; it stops once neither is overspent by more
/// than 1%.
///
/// The result carries the largest lower bound Psi(xi_t) + 1 - max_k d_k seen (valid whether
/// or not an iteration converged), which certifies the final run list's efficiency.
struct PilotApproximateDesign {
    /// Continuous run counts per candidate.
    let counts: [Double]
    /// A lower bound on Psi over every design (whole or fractional) within both constraints.
    let lowerBound: Double
    /// The resource weighting t of `counts`.
    let t: Double

    static let tolerance = 1e-3
    static let maxIterations = 5000
    static let bisectionSteps = 14
    /// Bisection stops once the continuous design overspends either resource by at most 1%
    /// (rounding then meets both exactly).
    static let bisectionTolerance = 0.01

    init(candidates: PilotCandidates, budget: Double, maxRuns: Int, criterion: PilotCriterion) {
        let g = candidates.jacobian
        let flops = candidates.runs.map(\.flops)
        let r = Double(maxRuns)
        var bound = -Double.infinity
        var previous: [Double]?
        func solve(_ t: Double) -> (counts: [Double], flops: Double, runs: Double) {
            let cost = flops.map { t * $0 / budget + (1 - t) / r }
            let s = Self.multiplicative(g, cost: cost, criterion: criterion, start: previous)
            previous = s.weights
            bound = max(bound, s.lowerBound)
            let n = zip(s.weights, cost).map { $0 / $1 }
            return (n, zip(n, flops).reduce(0) { $0 + $1.0 * $1.1 }, n.reduce(0, +))
        }
        // FLOPs alone binding (t = 1), or the run count alone (t = 0)?
        let one = solve(1)
        if one.runs <= r * (1 + Self.tolerance) {
            counts = one.counts; lowerBound = bound; t = 1
            return
        }
        let zero = solve(0)
        if zero.flops <= budget * (1 + Self.tolerance) {
            counts = zero.counts; lowerBound = bound; t = 0
            return
        }
        var lo = 0.0, hi = 1.0
        var best = (violation: Double.infinity, counts: one.counts, t: 1.0)
        for _ in 0..<Self.bisectionSteps {
            let mid = (lo + hi) / 2
            let s = solve(mid)
            let violation = max(s.flops / budget, s.runs / r)
            if violation < best.violation { best = (violation, s.counts, mid) }
            if violation <= 1 + Self.bisectionTolerance { break }
            if s.flops > budget { lo = mid } else { hi = mid }
        }
        counts = best.counts; lowerBound = bound; t = best.t
    }

    /// The multiplicative algorithm for one resource weighting: weights on the simplex
    /// over rows g_k / sqrt(cost_k), with the lower bound on Psi it certifies.
    static func multiplicative(_ g: Matrix, cost: [Double], criterion: PilotCriterion, start: [Double]?) -> (weights: [Double], lowerBound: Double) {
        let kCount = g.rows, p = g.columns
        var h = [Double](repeating: 0, count: kCount * p)
        for k in 0..<kCount {
            let s = 1 / cost[k].squareRoot()
            for j in 0..<p { h[k * p + j] = g[k, j] * s }
        }
        // Start from uniform weights, or halfway between them and the previous solution (a
        // multiplicative step cannot revive a zero weight, so every point keeps some).
        var w = [Double](repeating: 1 / Double(kCount), count: kCount)
        if let start { for k in 0..<kCount { w[k] = (w[k] + start[k]) / 2 } }
        var bound = -Double.infinity
        for _ in 0..<maxIterations {
            let m = PilotCriterion.information(rows: h, weights: w, dimension: p)
            guard let s = criterion.sensitivities(m, rows: h) else { break }
            let top = s.d.max() ?? .infinity
            bound = max(bound, s.value + 1 - top)
            if top <= 1 + tolerance { break }
            var total = 0.0
            for k in 0..<kCount { w[k] *= s.d[k]; total += w[k] }
            for k in 0..<kCount { w[k] /= total }
        }
        return (w, bound)
    }
}
