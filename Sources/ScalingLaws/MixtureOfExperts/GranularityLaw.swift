import Foundation
import Numerics

/// Krajewski et al. 2024's law for fine-grained mixtures of experts (Scaling Laws for
/// Fine-Grained Mixture of Experts, arXiv:2402.07871, eq. 9):
///
///     L(N, D, G) = c + (g / G^γ + a) / N^α + b / D^β
///
/// N is the total non-embedding parameter count (every expert), D the training tokens and G
/// the granularity: experts G times narrower than the dense MLP, G times as many of them and
/// G of them per token, at a fixed expansion rate E = N_MoE / N_ff (64 in their fit). At a
/// fixed G the law is Chinchilla's with A = g / G^γ + a (`slice(granularity:)`).
///
/// Compute follows their eq. 10: per token and block, `12 d² c_f + d E G c_r` FLOPs with
/// c_f = 6 (forward and backward of the active parameters, 12 d² per block) and c_r = 14 (the
/// router, which grows with G), embeddings excluded; their models take d = 64 blocks and
/// N = (8 E + 4) d² per block (`MoETrainingShape`).
public struct GranularityLaw: Equatable, Sendable {
    public let a: Double, alpha: Double, b: Double, beta: Double, g: Double, gamma: Double, c: Double
    /// The expansion rate E the law was fitted at (total over dense MLP parameters).
    public let expansion: Double

    /// - Throws: `LawError.invalidParameter` unless every constant is positive and finite.
    public init(a: Double, alpha: Double, b: Double, beta: Double, g: Double, gamma: Double, c: Double,
                expansion: Double = 64) throws(LawError) {
        for (name, v) in [("a", a), ("alpha", alpha), ("b", b), ("beta", beta), ("g", g), ("gamma", gamma), ("c", c), ("expansion", expansion)] {
            try requireParameter(v, name)
        }
        self.a = a; self.alpha = alpha; self.b = b; self.beta = beta; self.g = g; self.gamma = gamma; self.c = c
        self.expansion = expansion
    }

    /// Krajewski et al. 2024, Table 1 (MoE, E = 64): a 18.1, α 0.115, b 30.8, β 0.147, g 2.1,
    /// γ 0.58, c 0.47; C4, GPT-2 tokenizer, expert-choice routing, 129M-3.7B parameters.
    public static let krajewski2024 = try! GranularityLaw(a: 18.1, alpha: 0.115, b: 30.8, beta: 0.147, g: 2.1, gamma: 0.58, c: 0.47)

    /// The dense law fitted beside it (Table 1: a 16.3, α 0.126, b 26.7, β 0.127, c 0.47), with
    /// N the non-embedding parameters and C = 6 N D.
    public static let krajewski2024Dense = try! ChinchillaLaw(E: 0.47, A: 16.3, B: 26.7, alpha: 0.126, beta: 0.127)

    /// Predicted loss at N total non-embedding parameters, D tokens and granularity G (> 0).
    public func loss(params n: Double, tokens d: Double, granularity G: Double) -> Double {
        c + (g / Foundation.pow(G, gamma) + a) / Foundation.pow(n, alpha) + b / Foundation.pow(d, beta)
    }

    /// The Chinchilla law in (N, D) at a fixed granularity: E = c, A = g / G^γ + a, B = b.
    public func slice(granularity G: Double) throws(LawError) -> ChinchillaLaw {
        try requirePositive(G, "granularity")
        return try ChinchillaLaw(E: c, A: g / Foundation.pow(G, gamma) + a, B: b, alpha: alpha, beta: beta)
    }

    /// Training FLOPs of `tokens` tokens through the model of N total non-embedding parameters
    /// at granularity G (eq. 10, `MoETrainingShape.krajewski`).
    public func trainingFLOPs(params n: Double, tokens d: Double, granularity G: Double) -> Double {
        MoETrainingShape.krajewski(totalParams: n, expansion: expansion).flopsPerToken(granularity: G) * d
    }

    /// The compute-optimal model at a budget of `compute` FLOPs: for each granularity in
    /// `granularities` the N minimising the loss with D = F / FLOPs-per-token(N, G) (a scan of
    /// ln N refined by golden-section search, Brent's method in the paper), and the best of
    /// them. The paper's Table 2 takes G over powers of two.
    public func computeOptimal(compute f: Double, granularities: [Double] = [1, 2, 4, 8, 16, 32, 64, 128])
        throws(LawError) -> GranularityAllocation {
        try requirePositive(f, "compute")
        guard !granularities.isEmpty else { throw .noOptimum("no granularity to choose from") }
        var best: GranularityAllocation?
        for G in granularities {
            try requirePositive(G, "granularity")
            let loss = { (x: Double) -> Double in
                let n = Foundation.exp(x)
                let d = f / MoETrainingShape.krajewski(totalParams: n, expansion: self.expansion).flopsPerToken(granularity: G)
                return self.loss(params: n, tokens: d, granularity: G)
            }
            guard let x = ScalarSearch.minimize(in: Foundation.log(1e6)...Foundation.log(1e16), scanSteps: 400, tolerance: 1e-7, loss)
            else { continue }
            let n = Foundation.exp(x)
            let shape = MoETrainingShape.krajewski(totalParams: n, expansion: expansion)
            let d = f / shape.flopsPerToken(granularity: G)
            let candidate = GranularityAllocation(totalParams: n, activeParams: shape.activeParams, tokens: d, granularity: G,
                                                  loss: self.loss(params: n, tokens: d, granularity: G), compute: f)
            if candidate.loss < best?.loss ?? .infinity { best = candidate }
        }
        guard let best else { throw .noOptimum("the loss is not finite at any model size") }
        return best
    }
}

/// A compute-optimal allocation under the granularity law.
public struct GranularityAllocation: Equatable, Sendable {
    /// Total non-embedding parameters N (every expert).
    public let totalParams: Double
    /// Non-embedding parameters one token runs (12 d² per block).
    public let activeParams: Double
    /// Training tokens D.
    public let tokens: Double
    /// Granularity G.
    public let granularity: Double
    /// Predicted loss, nats per token.
    public let loss: Double
    /// Training FLOPs.
    public let compute: Double
}

/// The model shapes the MoE scaling-law papers train, from which their parameter and FLOP
/// counts follow.
public struct MoETrainingShape: Equatable, Sendable {
    /// Blocks (layers).
    public let blocks: Double
    /// Model width d.
    public let width: Double
    /// Expansion rate E (routed-expert parameters over one dense MLP's).
    public let expansion: Double

    /// Krajewski et al.'s models: d = 64 × blocks and N = (8 E + 4) d² per block (8 E d² of
    /// experts and 4 d² of attention), so blocks = (N / (4096 (8 E + 4)))^(1/3).
    public static func krajewski(totalParams n: Double, expansion: Double) -> MoETrainingShape {
        let blocks = Foundation.pow(n / (4096 * (8 * expansion + 4)), 1.0 / 3)
        return MoETrainingShape(blocks: blocks, width: 64 * blocks, expansion: expansion)
    }

    /// Parameters a token runs, 12 d² per block (attention and one dense MLP's worth of experts).
    public var activeParams: Double { 12 * width * width * blocks }

    /// Training FLOPs per token, `(12 d² × 6 + d E G × 14) × blocks` (Krajewski et al. eq. 10).
    public func flopsPerToken(granularity G: Double) -> Double {
        (12 * width * width * 6 + width * expansion * G * 14) * blocks
    }
}
