import Foundation
import Numerics

/// Ludziejewski et al. 2025's joint law for dense and mixture-of-experts models (Joint MoE
/// Scaling Laws: Mixture of Experts Can Be Memory Efficient, ICML 2025, arXiv:2502.05172,
/// eq. 6):
///
///     L(N_act, D, E) = a Ê^δ N_act^(α + γ ln Ê) + b Ê^ω D^(β + ζ ln Ê) + c
///
/// with N_act the active parameters (embeddings included), D the training tokens, E the
/// number of experts (1 for a dense model) and Ê the saturating transform of Clark et al.
/// 2022 (`effectiveExperts`). The exponents α + γ ln Ê and β + ζ ln Ê are negative. At a fixed
/// E the law is Chinchilla's in (N_act, D) with A = a Ê^δ, α' = −(α + γ ln Ê), B = b Ê^ω,
/// β' = −(β + ζ ln Ê) (`slice(experts:)`, their Table 4), and compute is 6 N_act D (routing
/// neglected, section 2).
public struct JointExpertsLaw: Equatable, Sendable {
    public let a: Double, alpha: Double, delta: Double, gamma: Double
    public let b: Double, beta: Double, omega: Double, zeta: Double
    public let c: Double
    /// Clark et al.'s E_start and E_max of the transform.
    public let expertsStart: Double, expertsMax: Double

    /// - Throws: `LawError.invalidParameter` for a non-finite constant, non-positive a, b, c,
    ///   or E_start outside (1, E_max).
    public init(a: Double, alpha: Double, delta: Double, gamma: Double, b: Double, beta: Double, omega: Double, zeta: Double,
                c: Double, expertsStart: Double, expertsMax: Double) throws(LawError) {
        for (name, v) in [("a", a), ("b", b), ("c", c), ("E_max", expertsMax)] { try requireParameter(v, name) }
        for (name, v) in [("alpha", alpha), ("delta", delta), ("gamma", gamma), ("beta", beta), ("omega", omega), ("zeta", zeta)] {
            try requireParameter(v, name, positive: false)
        }
        guard expertsStart.isFinite, expertsStart > 1, expertsStart < expertsMax else {
            throw .invalidParameter(name: "E_start", value: expertsStart, expected: "a number between 1 and E_max")
        }
        self.a = a; self.alpha = alpha; self.delta = delta; self.gamma = gamma
        self.b = b; self.beta = beta; self.omega = omega; self.zeta = zeta; self.c = c
        self.expertsStart = expertsStart; self.expertsMax = expertsMax
    }

    /// Ludziejewski et al. 2025, Appendix B, Table 3: a 35.91, α −0.1889, δ −0.2285,
    /// γ 0.0098, b 35.98, β −0.1775, ω 0.5529, ζ −0.0259, E_start 2.0732, E_max 290.4521,
    /// c 1.3637; 280+ runs up to 2.7B active and 5B total parameters, E in 1-32, Switch top-1
    /// routing, GPT-2 tokenizer.
    public static let ludziejewski2025 = try! JointExpertsLaw(
        a: 35.91, alpha: -0.1889, delta: -0.2285, gamma: 0.0098, b: 35.98, beta: -0.1775, omega: 0.5529, zeta: -0.0259,
        c: 1.3637, expertsStart: 2.0732, expertsMax: 290.4521)

    /// Clark et al. 2022's transform (Ludziejewski et al. eq. 4):
    /// `1 / Ê = 1 / (E − 1 + (1/E_start − 1/E_max)^(−1)) + 1 / E_max`, so Ê(1) = E_start and
    /// Ê saturates at E_max.
    public func effectiveExperts(_ e: Double) -> Double {
        let offset = 1 / (1 / expertsStart - 1 / expertsMax)
        return 1 / (1 / (e - 1 + offset) + 1 / expertsMax)
    }

    /// Predicted loss at N_act active parameters, D tokens and E experts (E ≥ 1).
    public func loss(activeParams n: Double, tokens d: Double, experts e: Double) -> Double {
        let h = effectiveExperts(e), lh = Foundation.log(h)
        return a * Foundation.pow(h, delta) * Foundation.pow(n, alpha + gamma * lh)
            + b * Foundation.pow(h, omega) * Foundation.pow(d, beta + zeta * lh) + c
    }

    /// The Chinchilla law in (N_act, D) at E experts (Table 4's m, μ, n, ν, c).
    ///
    /// - Throws: `LawError.invalidParameter` when an exponent turns non-negative at this E
    ///   (the law no longer improves with size or data there).
    public func slice(experts e: Double) throws(LawError) -> ChinchillaLaw {
        guard e.isFinite, e >= 1 else { throw .invalidInput(quantity: "experts", value: e) }
        let h = effectiveExperts(e), lh = Foundation.log(h)
        return try ChinchillaLaw(E: c, A: a * Foundation.pow(h, delta), B: b * Foundation.pow(h, omega),
                                 alpha: -(alpha + gamma * lh), beta: -(beta + zeta * lh))
    }

    /// The compute-optimal N_act and D at `compute` FLOPs (6 N_act D) and E experts.
    public func computeOptimal(compute f: Double, experts e: Double) throws(LawError) -> ComputeAllocation {
        try slice(experts: e).computeOptimal(compute: f)
    }

    /// The best expert count under a memory limit: for each E in `experts`, the compute-optimal
    /// model at `compute` FLOPs if it fits in `memoryBytes`, else the largest one that does
    /// with the rest of the budget as tokens; the lowest loss wins (their section 5 and
    /// Table 2). `totalParams` maps (N_act, E) to total parameters and `bytes` maps (N_act, E)
    /// to the memory serving needs (every expert's weights and the cache); both must grow with
    /// N_act. Nil when no E fits at any size.
    public func memoryOptimal(compute f: Double, memoryBytes: Double, experts: [Double],
                              totalParams: (Double, Double) -> Double,
                              bytes: (Double, Double) -> Double) throws(LawError) -> ExpertsAllocation? {
        try requirePositive(f, "compute")
        try requirePositive(memoryBytes, "memory")
        var best: ExpertsAllocation?
        for e in experts {
            let law = try slice(experts: e)
            var n = try law.computeOptimal(compute: f).params
            if bytes(n, e) > memoryBytes {
                // Bisect ln N_act for the largest model that fits.
                var lo = Foundation.log(1e3), hi = Foundation.log(n)
                guard bytes(Foundation.exp(lo), e) <= memoryBytes else { continue }
                for _ in 0..<200 where hi - lo > 1e-10 {
                    let mid = (lo + hi) / 2
                    if bytes(Foundation.exp(mid), e) <= memoryBytes { lo = mid } else { hi = mid }
                }
                n = Foundation.exp(lo)
            }
            let d = f / (6 * n)
            let candidate = ExpertsAllocation(experts: e, activeParams: n, totalParams: totalParams(n, e), tokens: d,
                                              loss: law.loss(params: n, tokens: d))
            if candidate.loss < best?.loss ?? .infinity { best = candidate }
        }
        return best
    }
}

/// An allocation under the joint law: experts, active and total parameters, tokens, loss.
public struct ExpertsAllocation: Equatable, Sendable {
    public let experts: Double
    public let activeParams: Double
    public let totalParams: Double
    public let tokens: Double
    public let loss: Double
}

extension JointExpertsLaw {
    /// Ludziejewski et al.'s model shapes (Appendix A.1): blocks = heads = d / 64, SwiGLU
    /// experts of width 3 d (9 d² each), vocabulary 50257, so
    /// N_act = 2 d V + 13 blocks d² and N_total = 2 d V + (4 + 9 E) blocks d².
    public static func paperTotalParams(activeParams n: Double, experts e: Double, vocabulary v: Double = 50_257) -> Double {
        let d = paperWidth(activeParams: n, vocabulary: v)
        return 2 * d * v + (4 + 9 * e) * (d / 64) * d * d
    }

    /// The width d at which 2 d V + 13 d³ / 64 = N_act (Newton's method on the cubic).
    public static func paperWidth(activeParams n: Double, vocabulary v: Double = 50_257) -> Double {
        var d = Foundation.pow(n * 64 / 13, 1.0 / 3)
        for _ in 0..<50 {
            let f = 2 * d * v + 13 * d * d * d / 64 - n
            let df = 2 * v + 39 * d * d / 64
            let step = f / df
            d -= step
            if abs(step) < 1e-12 * d { break }
        }
        return d
    }
}
