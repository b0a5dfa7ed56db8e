import Foundation

/// The mixture-of-experts part of a shape: which layers route each token to a few of many
/// expert MLPs, and how wide those experts are.
///
/// A MoE layer holds `experts` routed experts and `sharedExperts` always-on ones, each a gated
/// MLP (three matrices) of inner width `expertIntermediate` (`sharedIntermediate` for the
/// shared ones), plus a router of `d × experts` weights; a token runs its `activeExperts`
/// highest-scoring routed experts and every shared one (Shazeer et al. 2017; Fedus et al.
/// 2022). The model's other `layers − moeLayers` layers are dense, with the shape's
/// `intermediate` width (DeepSeek-V3's first three layers, Llama 4 Maverick's alternate
/// layers).
///
/// Granularity G = `intermediate` / `expertIntermediate` when the dense width is the
/// reference (Krajewski et al. 2024, arXiv:2402.07871, section 3: an expert G times narrower
/// than the dense MLP, with G times as many experts and active experts at the same cost).
public struct ExpertLayout: Equatable, Sendable {
    /// Routed experts per MoE layer E.
    public var experts: Int
    /// Routed experts each token runs k (top-k routing).
    public var activeExperts: Int
    /// Always-on (shared) experts per MoE layer (DeepSeek-V3 and Llama 4: 1; Mixtral, Qwen3: 0).
    public var sharedExperts: Int
    /// Inner width of one routed expert's gated MLP.
    public var expertIntermediate: Int
    /// Inner width of one shared expert (default `expertIntermediate`).
    public var sharedIntermediate: Int
    /// How many of the model's layers are MoE layers; the rest are dense.
    public var moeLayers: Int

    public init(experts: Int, activeExperts: Int, sharedExperts: Int = 0, expertIntermediate: Int,
                sharedIntermediate: Int? = nil, moeLayers: Int) {
        self.experts = experts
        self.activeExperts = activeExperts
        self.sharedExperts = sharedExperts
        self.expertIntermediate = expertIntermediate
        self.sharedIntermediate = sharedIntermediate ?? expertIntermediate
        self.moeLayers = moeLayers
    }

    /// Weights of one routed expert, `3 d f_e`.
    public func parametersPerExpert(hidden d: Int) -> Double { 3 * Double(d) * Double(expertIntermediate) }

    /// Routed-expert weights over all MoE layers, `moeLayers × E × 3 d f_e`: what memory must
    /// hold and what a pass reads only where its tokens were routed.
    public func routedParameters(hidden d: Int) -> Double {
        Double(moeLayers) * Double(experts) * parametersPerExpert(hidden: d)
    }

    /// Weights every token runs in the MoE layers besides its routed experts: the shared
    /// experts and the router, `moeLayers × (s × 3 d f_s + d E)`.
    public func alwaysOnParameters(hidden d: Int) -> Double {
        Double(moeLayers) * (Double(sharedExperts) * 3 * Double(d) * Double(sharedIntermediate) + Double(d) * Double(experts))
    }

    /// Fraction of the routed experts one token runs, k / E.
    public var activeFraction: Double { Double(activeExperts) / Double(experts) }

    /// Expected number of distinct routed experts a MoE layer runs for `tokens` tokens when
    /// every token picks k of the E experts uniformly at random without repeats:
    /// `E (1 − (1 − k/E)^T)`. Each expert is missed by one token with probability 1 − k/E,
    /// independently across tokens; T may be fractional (a mean over steps). This sets the
    /// expert bytes a decode step reads: at T = 1 exactly k experts, approaching all E as the
    /// batch grows (for Qwen3-30B-A3B's k = 8 of E = 128: 8 at T = 1, 118 at T = 40).
    public func expectedExpertsTouched(tokens: Double) -> Double {
        guard tokens > 0 else { return 0 }
        return Double(experts) * touchedFraction(tokens: tokens)
    }

    /// `expectedExpertsTouched(tokens:) / E`, the expected fraction of the routed weights a
    /// pass over `tokens` tokens reads.
    @inline(__always)
    public func touchedFraction(tokens: Double) -> Double {
        guard tokens > 0 else { return 0 }
        // 1 − (1 − p)^T through log1p and expm1: exact for small p and large T alike.
        return -expm1(tokens * log1p(-activeFraction))
    }

    /// Checks the counts against each other and the model's `layers`.
    func validate(layers: Int) throws(HardwareError) {
        for (name, v) in [("experts", experts), ("active experts", activeExperts), ("expert intermediate", expertIntermediate),
                          ("shared expert intermediate", sharedIntermediate)] where v <= 0 {
            throw .invalidShape("\(name) must be a positive whole number, found \(v)")
        }
        guard activeExperts <= experts else {
            throw .invalidShape("active experts (\(activeExperts)) cannot exceed the \(experts) experts")
        }
        guard sharedExperts >= 0 else { throw .invalidShape("shared experts must be 0 or more, found \(sharedExperts)") }
        guard moeLayers >= 1, moeLayers <= layers else {
            throw .invalidShape("MoE layers must be between 1 and the \(layers) layers, found \(moeLayers)")
        }
    }
}

/// Multi-head latent attention (DeepSeek-AI 2024, DeepSeek-V2, arXiv:2405.04434, section
/// 2.1): keys and values are rebuilt from one compressed latent of `kvRank` values per token
/// plus a `ropeDimension`-wide shared rotary key, and only those `kvRank + ropeDimension`
/// values per layer are cached (DeepSeek-V3: 512 + 64 = 576, against 2 × 128 × 128 = 32768
/// for its 128 heads uncompressed).
///
/// Weights per layer: the query path `d r_q + r_q H (n + r)` (or `d H (n + r)` without a query
/// rank), the latent `d (r_kv + r)`, its up-projection `r_kv H (n + v)` and the output
/// `H v d`, with H heads, n the no-position and r the rotary query/key widths, v the value
/// width. Decoding runs the absorbed form (the up-projections folded into the query and
/// output), so each cached position costs `2 H (r_kv + r)` FLOPs for the scores and
/// `2 H r_kv` for the weighted sum; prefill runs the expanded form, `2 H (n + r) + 2 H v`
/// per position.
public struct LatentAttention: Equatable, Sendable {
    /// Rank of the query compression r_q (DeepSeek-V3: 1536), or nil for a direct query.
    public var queryRank: Int?
    /// Rank of the key/value latent r_kv (DeepSeek-V3: 512).
    public var kvRank: Int
    /// Width of the rotary part of each query and key r (DeepSeek-V3: 64).
    public var ropeDimension: Int
    /// Width of the position-free part of each query and key head n (DeepSeek-V3: 128).
    public var noPositionDimension: Int
    /// Width of each value head v (DeepSeek-V3: 128).
    public var valueDimension: Int

    public init(queryRank: Int?, kvRank: Int, ropeDimension: Int, noPositionDimension: Int, valueDimension: Int) {
        self.queryRank = queryRank
        self.kvRank = kvRank
        self.ropeDimension = ropeDimension
        self.noPositionDimension = noPositionDimension
        self.valueDimension = valueDimension
    }

    /// Attention weights of one layer (see the type's documentation).
    func parametersPerLayer(hidden: Int, heads: Int) -> Double {
        let d = Double(hidden), h = Double(heads)
        let qk = Double(noPositionDimension + ropeDimension)
        let query = queryRank.map { Double($0) * (d + h * qk) } ?? d * h * qk
        let latent = d * Double(kvRank + ropeDimension)
        let up = Double(kvRank) * h * Double(noPositionDimension + valueDimension)
        return query + latent + up + h * Double(valueDimension) * d
    }

    /// Values cached per token per layer, r_kv + r.
    var cachedValuesPerPosition: Double { Double(kvRank + ropeDimension) }

    /// Decode FLOPs per cached position per layer (absorbed form), `2 H (2 r_kv + r)`.
    func decodeFLOPsPerPosition(heads: Int) -> Double { 2 * Double(heads) * Double(2 * kvRank + ropeDimension) }

    /// Prefill FLOPs per attended position per layer (expanded form), `2 H (n + r + v)`.
    func prefillFLOPsPerPosition(heads: Int) -> Double {
        2 * Double(heads) * Double(noPositionDimension + ropeDimension + valueDimension)
    }

    func validate() throws(HardwareError) {
        for (name, v) in [("kv-rank", kvRank), ("rope dimension", ropeDimension), ("no-position dimension", noPositionDimension),
                          ("value dimension", valueDimension), ("query rank", queryRank ?? 1)] where v <= 0 {
            throw .invalidShape("latent attention's \(name) must be a positive whole number, found \(v)")
        }
    }
}
