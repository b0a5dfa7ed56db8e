import ExperimentDesign
import Foundation
import Numerics

/// An independent re-implementation of what a pilot design is judged by, for the tests: the
/// Chinchilla ln L in Hoffmann et al.'s parameters theta = (ln A, ln B, ln E, alpha, beta),
/// gradients by central differences (not the library's analytic ones), the closed-form ln N*,
/// and Gauss-Jordan elimination (not LAPACK).
enum PilotOracle {
    static func theta(E: Double, A: Double, B: Double, alpha: Double, beta: Double) -> [Double] {
        [log(A), log(B), log(E), alpha, beta]
    }

    /// ln L = ln(E + A N^-alpha + B D^-beta).
    static func logLoss(_ t: [Double], _ n: Double, _ d: Double) -> Double {
        log(exp(t[2]) + exp(t[0]) * pow(n, -t[3]) + exp(t[1]) * pow(d, -t[4]))
    }

    /// ln N* = ln G + beta / (alpha + beta) ln(C / 6), G = (alpha A / (beta B))^(1 / (alpha + beta))
    /// (Hoffmann et al. 2022, eq. 4).
    static func logOptimalParams(_ t: [Double], compute c: Double) -> Double {
        let alpha = t[3], beta = t[4]
        let logG = (log(alpha) + t[0] - log(beta) - t[1]) / (alpha + beta)
        return logG + beta / (alpha + beta) * log(c / 6)
    }

    /// Central-difference gradient with step 1e-5 (1 + |t_k|).
    static func gradient(_ t: [Double], _ f: ([Double]) -> Double) -> [Double] {
        (0..<t.count).map { k in
            let h = 1e-5 * (1 + abs(t[k]))
            var up = t, down = t
            up[k] += h
            down[k] -= h
            return (f(up) - f(down)) / (2 * h)
        }
    }

    /// sum_i g_i g_iᵀ / sigma^2 over runs (N_i, D_i).
    static func information(_ t: [Double], runs: [(Double, Double)], sigma: Double = 1) -> [[Double]] {
        let p = t.count
        var m = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for (n, d) in runs {
            let g = gradient(t) { logLoss($0, n, d) }
            for i in 0..<p { for j in 0..<p { m[i][j] += g[i] * g[j] / (sigma * sigma) } }
        }
        return m
    }

    /// Solves A x = b by Gauss-Jordan elimination with partial pivoting; also returns ln |det A|.
    /// Nil when a pivot is zero.
    static func solve(_ a: [[Double]], _ b: [Double]) -> (x: [Double], logDet: Double)? {
        let n = b.count
        var m = a
        var x = b
        var logDet = 0.0
        for col in 0..<n {
            let pivot = (col..<n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            guard m[pivot][col] != 0 else { return nil }
            m.swapAt(col, pivot)
            x.swapAt(col, pivot)
            logDet += log(abs(m[col][col]))
            for r in 0..<n where r != col {
                let f = m[r][col] / m[col][col]
                for c in col..<n { m[r][c] -= f * m[col][c] }
                x[r] -= f * x[col]
            }
        }
        return ((0..<n).map { x[$0] / m[$0][$0] }, logDet)
    }

    /// qᵀ M⁻¹ q.
    static func quadratic(_ m: [[Double]], _ q: [Double]) -> Double? {
        guard let s = solve(m, q) else { return nil }
        return zip(q, s.x).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// The compound criterion (1 - kappa) ln(cᵀ M⁻¹ c) - (kappa / 5) ln det M.
    static func psi(_ m: [[Double]], c: [Double], kappa: Double) -> Double? {
        guard let s = solve(m, c) else { return nil }
        let q = zip(c, s.x).reduce(0) { $0 + $1.0 * $1.1 }
        guard q > 0 else { return nil }
        return (1 - kappa) * log(q) - kappa / Double(c.count) * s.logDet
    }
}
