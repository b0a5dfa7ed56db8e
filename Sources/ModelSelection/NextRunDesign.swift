import Foundation
import LinearAlgebra
import Numerics
import ScalingLaws

/// Which runs to do next: the candidate, size and seed count that most lower the chance of
/// choosing wrongly per FLOP (or per dollar, given a hardware cost), among the runs that are
/// efficient (no other is both cheaper and more informative) and buy a material reduction.
///
/// The chance of a wrong choice is approximated from the bootstrap as Gaussian in the log
/// prediction: P(wrong) ≈ Σ over the other ranked candidates of Φ(−(μ_c − μ_leader) /
/// √(v_c + v_leader)) (a union bound, capped at 1). A new run at (N, D) with k seeds adds
/// k j jᵀ / σ² to the candidate's Fisher information (j the gradient of its log prediction
/// at the run; the linearisation the pilot designer also uses), which scales its variance at
/// the target by gᵀF'⁻¹g / gᵀF⁻¹g.
enum NextRunDesign {
    static func propose(fits: [CandidateFit], results: [CandidateResult], rankedIdx: [Int], leaderIdx: Int?,
                        targets: [(params: Double?, tokens: Double?, logValue: Double)?], form: SelectionLawForm,
                        ratio: Double?, options: SelectionOptions) -> [NextRun] {
        guard options.nextRuns > 0, let l = leaderIdx, rankedIdx.count >= 2 else { return [] }
        let mu = targets.map { $0?.logValue ?? .infinity }
        let variance = results.map { r -> Double in
            let v = r.bootstrapLogPredictions.compactMap { $0 }.filter(\.isFinite)
            guard v.count >= 2 else { return 0 }
            let m = v.reduce(0, +) / Double(v.count)
            return v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)
        }
        func pWrong(_ vars: [Double]) -> Double {
            var p = 0.0
            for c in rankedIdx where c != l {
                let s = (vars[c] + vars[l]).squareRoot()
                p += s > 0 ? NormalDistribution.cdf(-(mu[c] - mu[l]) / s) : (mu[c] <= mu[l] ? 1 : 0)
            }
            return min(1, p)
        }
        let before = pWrong(variance)
        let runnerUp = rankedIdx.filter { $0 != l }.min { (mu[$0], $0) < (mu[$1], $1) }
        let contenders = rankedIdx.filter { $0 == l || $0 == runnerUp || (results[$0].pBest ?? 0) >= 0.01 }
        var options_: [NextRun] = []
        for c in contenders {
            let f = fits[c]
            guard let t = targets[c], variance[c] > 0 else { continue }
            let p = form.dimension
            let sigma2 = f.noise * f.noise
            var info = [Double](repeating: 0, count: p * p)
            for r in f.runs {
                let j = SelectionFitter.logPredict(form, f.fit.theta, params: r.params, tokens: r.tokens).gradient
                for a in 0..<p { for b in 0..<p { info[a * p + b] += j[a] * j[b] / sigma2 } }
            }
            let trace = (0..<p).reduce(0) { $0 + info[$1 * p + $1] }
            for a in 0..<p { info[a * p + a] += 1e-9 * trace / Double(p) }
            let g = SelectionFitter.logPredict(form, f.fit.theta, params: t.params ?? 1, tokens: t.tokens).gradient
            guard let v0 = quadratic(info, p, g), v0 > 0 else { continue }
            let medianParams = percentile(f.runs.map(\.params).sorted(), 0.5)
            let candidateRatio = f.runs.compactMap { r in r.tokens.map { $0 / r.params } }.sorted()
            let sizes = Array(Set(f.runs.map { form.scaleIsTokens ? ($0.tokens ?? 1) : $0.params })).sorted()
            let largest = sizes.last!
            let limit = (form.scaleIsTokens ? t.tokens : t.params) ?? .infinity
            let ladder = (sizes + [2, 4, 8].map { largest * $0 }).filter { $0 < limit }
            for s in ladder {
                let params = form.scaleIsTokens ? medianParams : s
                var tokensAssumed = false
                let tokens: Double
                if form.scaleIsTokens { tokens = s }
                else if !candidateRatio.isEmpty { tokens = s * percentile(candidateRatio, 0.5) }
                else if let r = ratio { tokens = s * r }
                else { tokens = 20 * s; tokensAssumed = true }
                let j = SelectionFitter.logPredict(form, f.fit.theta, params: params, tokens: form.usesTokens ? tokens : nil).gradient
                let usdOne = options.runCost?(params, tokens)
                for k in 1...options.maxSeedsPerNextRun {
                    var updated = info
                    for a in 0..<p { for b in 0..<p { updated[a * p + b] += Double(k) * j[a] * j[b] / sigma2 } }
                    guard let v1 = quadratic(updated, p, g) else { continue }
                    var vars = variance
                    vars[c] = variance[c] * min(1, v1 / v0)
                    options_.append(NextRun(candidate: f.name, params: params, tokens: tokens, seeds: k,
                                            flops: 6 * params * tokens * Double(k), usd: usdOne.map { $0 * Double(k) },
                                            pWrongBefore: before, pWrongAfter: pWrong(vars), tokensAssumed: tokensAssumed))
                }
            }
        }
        return choose(options_, count: options.nextRuns)
    }

    /// The options worth showing: those that lower P(wrong) by at least 5% of the largest
    /// reduction any option buys, and that no other option beats on both cost and reduction
    /// (the Pareto set), best reduction per FLOP (per dollar when priced) first.
    static func choose(_ all: [NextRun], count: Int) -> [NextRun] {
        func reduction(_ r: NextRun) -> Double { r.pWrongBefore - r.pWrongAfter }
        func cost(_ r: NextRun) -> Double { r.usd ?? r.flops }
        let largest = all.map(reduction).max() ?? 0
        guard largest > 1e-6 else { return [] }
        let material = all.filter { reduction($0) >= 0.05 * largest }
        let efficient = material.filter { r in
            !material.contains { o in cost(o) <= cost(r) && reduction(o) >= reduction(r) && (cost(o) < cost(r) || reduction(o) > reduction(r)) }
        }
        return efficient.enumerated()
            .sorted { (reduction($0.element) / cost($0.element), -$0.offset) > (reduction($1.element) / cost($1.element), -$1.offset) }
            .prefix(count).map(\.element)
    }

    /// gᵀ F⁻¹ g by Cholesky (LAPACK `dposv`); nil when F is not positive definite.
    static func quadratic(_ f: [Double], _ p: Int, _ g: [Double]) -> Double? {
        guard let m = try? Matrix(rowMajor: (0..<p).map { a in Array(f[(a * p)..<(a * p + p)]) }),
              let x = try? m.solvePositiveDefinite(g) else { return nil }
        return zip(g, x).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
