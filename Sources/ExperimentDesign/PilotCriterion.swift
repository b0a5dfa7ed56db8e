import Foundation
import LinearAlgebra
import Numerics
import ScalingLaws

/// The design criterion as a convex function of the information matrix M (smaller is better):
///
///   Psi(M) = (1 - kappa) ln(cᵀ M⁻¹ c) - (kappa / p) ln det M,
///
/// with c = d ln L(target) / d theta. kappa = 1 is D-optimality; 0 < kappa < 1 is
/// c-optimality (the variance of the predicted ln L at the target) compounded with a little
/// D-optimality (Atkinson, Donev and Tobias 2007, "ADT", ch. 10, 17 and 21). Both terms
/// are convex in M, so Psi is convex in the design weights.
///
/// For a design xi with weights w_k on rows h_k (M = sum_k w_k h_k h_kᵀ, sum_k w_k = 1), the
/// derivative of Psi along the move from xi towards the single point k is 1 - d_k, with
///
///   d_k = (1 - kappa) (h_kᵀ M⁻¹ c)^2 / (cᵀ M⁻¹ c) + (kappa / p) h_kᵀ M⁻¹ h_k,
///
/// and sum_k w_k d_k = 1. The general equivalence theorem (Kiefer and Wolfowitz 1960; ADT ch. 9)
/// says xi is optimal iff max_k d_k = 1, and convexity gives the bound
/// Psi* >= Psi(xi) + 1 - max_k d_k, which certifies how far any design is from the optimum.
struct PilotCriterion {
    /// kappa, the weight on the D-optimality term.
    let kappa: Double
    /// The target's gradient c (ignored when kappa = 1).
    let c: [Double]

    init(_ criterion: DesignCriterion, identifiabilityWeight: Double, target c: [Double]) {
        kappa = criterion == .d ? 1 : identifiabilityWeight
        self.c = c
    }

    var dimension: Int { c.count }

    /// Psi(M), or nil when M is not positive definite.
    func value(_ m: Matrix) -> Double? {
        guard let f = try? m.cholesky() else { return nil }
        return value(f)
    }

    func value(_ f: CholeskyFactorization) -> Double? {
        let p = Double(dimension)
        var v = -kappa / p * f.logDeterminant
        if kappa < 1 {
            guard let q = try? f.inverseQuadraticForm(c), q > 0 else { return nil }
            v += (1 - kappa) * Foundation.log(q)
        }
        return v.isFinite ? v : nil
    }

    /// Psi(M) and the derivatives d_k for the rows h_k of `rows` (K rows of p numbers,
    /// row-major), or nil when M is not positive definite. Uses M⁻¹ (LAPACK) and then
    /// d_k = (1 - kappa) (h_kᵀ u)^2 / (cᵀ u) + (kappa / p) h_kᵀ M⁻¹ h_k with u = M⁻¹ c.
    func sensitivities(_ m: Matrix, rows h: [Double]) -> (value: Double, d: [Double])? {
        guard let f = try? m.cholesky(), let v = value(f), let inverse = try? f.inverse() else { return nil }
        let p = dimension
        let count = h.count / p
        var mi = [Double](repeating: 0, count: p * p)
        for i in 0..<p { for j in 0..<p { mi[i * p + j] = inverse[i, j] } }
        var u = [Double](repeating: 0, count: p)
        var phi = 1.0
        if kappa < 1 {
            for i in 0..<p { for j in 0..<p { u[i] += mi[i * p + j] * c[j] } }
            phi = zip(u, c).reduce(0) { $0 + $1.0 * $1.1 }
            guard phi > 0 else { return nil }
        }
        let a = (1 - kappa) / phi, b = kappa / Double(p)
        var d = [Double](repeating: 0, count: count)
        h.withUnsafeBufferPointer { hp in
            mi.withUnsafeBufferPointer { mp in
                for k in 0..<count {
                    let row = k * p
                    var dot = 0.0, quad = 0.0
                    for i in 0..<p {
                        let hi = hp[row + i]
                        dot += hi * u[i]
                        var s = 0.0
                        for j in 0..<p { s += mp[i * p + j] * hp[row + j] }
                        quad += hi * s
                    }
                    d[k] = a * dot * dot + b * quad
                }
            }
        }
        return (v, d)
    }

    /// M = sum_k w_k h_k h_kᵀ for rows h_k (K rows of p numbers, row-major).
    static func information(rows h: [Double], weights w: [Double], dimension p: Int) -> Matrix {
        var acc = [Double](repeating: 0, count: p * p)
        h.withUnsafeBufferPointer { hp in
            for k in 0..<w.count where w[k] != 0 {
                let row = k * p, wk = w[k]
                for i in 0..<p {
                    let hi = wk * hp[row + i]
                    for j in 0...i { acc[i * p + j] += hi * hp[row + j] }
                }
            }
        }
        var m = Matrix(rows: p, columns: p)
        for i in 0..<p { for j in 0...i { m[i, j] = acc[i * p + j]; m[j, i] = acc[i * p + j] } }
        return m
    }
}
