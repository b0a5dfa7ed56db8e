import Foundation
import LinearAlgebra
import Numerics
import ScalingLaws

/// Turns continuous run counts into whole runs that meet both constraints exactly
/// (total FLOPs <= B, runs <= R): a knapsack-like choice, done in three steps (from three
/// starts, see `round`).
///
/// With a cap on replicates (runs at the same (N, D)), every step below respects it; the
/// continuous design does not, so its lower bound stays valid but is looser.
///
/// 1. Round down every count (and cap it). If that still breaks a constraint (the continuous design may
///    overspend by the bisection tolerance), drop the run whose loss raises Psi least until
///    it does not.
/// 2. Greedy fill: while a slot and budget remain, add the candidate that lowers Psi most
///    per unit of the resource weighting r_k(t) that priced the continuous design, among
///    those that still fit.
/// 3. Exchange (Fedorov 1972; Atkinson, Donev and Tobias 2007, ch. 12; here under the budget): replace one chosen
///    run by the candidate that lowers Psi most among those that fit in the budget freed;
///    take the best such swap, greedy-fill again, and repeat until no swap improves Psi
///    by more than 1e-10 (or 500 swaps).
///
/// While the chosen runs cannot identify every parameter (M singular, as after step 1 can
/// happen), Psi is evaluated on M + eps I with eps = 1e-9 of the mean diagonal of the
/// candidates' information, so adding the runs that restore full rank ranks first.
struct PilotRounding {
    let g: Matrix
    let flops: [Double]
    let budget: Double
    let maxRuns: Int
    /// Most runs at any one (N, D).
    let maxReplicates: Int
    let criterion: PilotCriterion
    private let ridge: Double

    init(candidates: PilotCandidates, budget: Double, maxRuns: Int, maxReplicates: Int?, criterion: PilotCriterion) {
        g = candidates.jacobian
        flops = candidates.runs.map(\.flops)
        self.budget = budget
        self.maxRuns = maxRuns
        self.maxReplicates = maxReplicates ?? maxRuns
        self.criterion = criterion
        var trace = 0.0
        for k in 0..<g.rows { for j in 0..<g.columns { trace += g[k, j] * g[k, j] } }
        ridge = 1e-9 * trace / Double(max(1, g.rows * g.columns))
    }

    /// Whole run counts per candidate: the best (lowest Psi, the first on ties) of the three
    /// steps run from three starts: the continuous counts rounded down, the same with every
    /// count capped at one (the exchange is a local search, and a start spread over all
    /// support points sometimes ends lower), and no runs at all (pure greedy).
    func round(_ continuous: [Double], resourceWeight t: Double) -> [Int] {
        let floor = continuous.map { Int($0.rounded(.down)) }
        let starts = [floor, floor.map { min($0, 1) }, floor.map { _ in 0 }]
        let cost = flops.map { t * $0 / budget + (1 - t) / Double(maxRuns) }
        var best: (value: Double, counts: [Int])?
        for start in starts {
            let counts = improve(start, cost: cost)
            let v = psi(counts)
            if best == nil || v < best!.value { best = (v, counts) }
        }
        return best!.counts
    }

    /// Steps 1 to 3 from one start.
    private func improve(_ start: [Int], cost: [Double]) -> [Int] {
        var counts = start.map { min($0, maxReplicates) }
        var m = information(counts)
        while used(counts).flops > budget || used(counts).runs > maxRuns {
            var best: (value: Double, k: Int)?
            for k in counts.indices where counts[k] > 0 {
                let v = psi(m, minus: k)
                if best == nil || v < best!.value { best = (v, k) }
            }
            guard let b = best else { break }
            counts[b.k] -= 1
            update(&m, b.k, -1)
        }
        fill(&counts, &m, cost: cost)
        for _ in 0..<500 {
            guard exchange(&counts, &m) else { break }
            fill(&counts, &m, cost: cost)
        }
        return counts
    }

    /// Psi of whole run counts (with the ridge only when M is singular).
    func psi(_ counts: [Int]) -> Double { psi(information(counts)) }

    private func used(_ counts: [Int]) -> (flops: Double, runs: Int) {
        var f = 0.0, n = 0
        for k in counts.indices where counts[k] > 0 { f += Double(counts[k]) * flops[k]; n += counts[k] }
        return (f, n)
    }

    private func information(_ counts: [Int]) -> Matrix {
        var m = Matrix(rows: g.columns, columns: g.columns)
        for k in counts.indices where counts[k] != 0 { update(&m, k, Double(counts[k])) }
        return m
    }

    private func update(_ m: inout Matrix, _ k: Int, _ times: Double) {
        let p = g.columns
        for i in 0..<p { for j in 0..<p { m[i, j] += times * g[k, i] * g[k, j] } }
    }

    private func psi(_ m: Matrix) -> Double {
        if let v = criterion.value(m) { return v }
        var r = m
        for i in 0..<m.rows { r[i, i] += ridge }
        return criterion.value(r) ?? .infinity
    }

    private func psi(_ m: Matrix, minus k: Int) -> Double {
        var c = m
        update(&c, k, -1)
        return psi(c)
    }

    private func fill(_ counts: inout [Int], _ m: inout Matrix, cost: [Double]) {
        while true {
            let u = used(counts)
            guard u.runs < maxRuns else { return }
            let current = psi(m)
            var best: (gain: Double, k: Int)?
            for k in flops.indices where flops[k] <= budget - u.flops && counts[k] < maxReplicates {
                var c = m
                update(&c, k, 1)
                let gain = (current - psi(c)) / cost[k]
                if gain > 0, best == nil || gain > best!.gain { best = (gain, k) }
            }
            guard let b = best else { return }
            counts[b.k] += 1
            update(&m, b.k, 1)
        }
    }

    /// Applies the best improving single swap; false when none improves Psi.
    private func exchange(_ counts: inout [Int], _ m: inout Matrix) -> Bool {
        let u = used(counts)
        let current = psi(m)
        var best: (value: Double, out: Int, in: Int)?
        for j in counts.indices where counts[j] > 0 {
            var without = m
            update(&without, j, -1)
            let room = budget - u.flops + flops[j]
            for k in flops.indices where k != j && flops[k] <= room && counts[k] < maxReplicates {
                var c = without
                update(&c, k, 1)
                let v = psi(c)
                if v < (best?.value ?? current - 1e-10 * max(1, abs(current))) { best = (v, j, k) }
            }
        }
        guard let b = best else { return false }
        counts[b.out] -= 1
        counts[b.in] += 1
        m = information(counts)
        return true
    }
}
