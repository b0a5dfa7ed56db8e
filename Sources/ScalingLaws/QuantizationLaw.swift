import Foundation

/// The post-training quantisation law of Kumar et al. 2024 ("Scaling Laws for Precision",
/// arXiv:2411.04330, eq. 2): the loss a model of N parameters trained (in bf16) on D tokens
/// gains when its weights are rounded to P bits after training,
///
///     delta(N, D, P) = C_T (D^gamma_D / N^gamma_N) exp(-P / gamma_post)   nats per token.
///
/// It rises with D at fixed N, so over-training and low-bit serving interact: for a law
/// L = E + A / N^alpha + B / D^beta the served loss L + delta stops falling at the D where
/// beta B D^-beta = gamma_D delta, and past it more pretraining makes the quantised model worse
/// (`tokensWhereMoreDataHurts`). The law was fitted on Kumar et al.'s own runs (Dolma loss,
/// GPTQ integer weight rounding); carried to another loss law it is an approximation, stated in
/// docs/SCENARIOS.md ("Quantisation: the served loss").
public struct PostTrainingQuantizationLaw: Equatable, Sendable {
    /// C_T, nats per token.
    public let cT: Double
    public let gammaD: Double
    public let gammaN: Double
    /// gamma_post, bits.
    public let gammaPost: Double

    /// - Throws: `LawError.invalidParameter` unless every constant is positive and finite.
    public init(cT: Double, gammaD: Double, gammaN: Double, gammaPost: Double) throws(LawError) {
        try requireParameter(cT, "C_T")
        try requireParameter(gammaD, "gamma_D")
        try requireParameter(gammaN, "gamma_N")
        try requireParameter(gammaPost, "gamma_post")
        self.cT = cT; self.gammaD = gammaD; self.gammaN = gammaN; self.gammaPost = gammaPost
    }

    /// The constants' names as scenarios and fit output spell them, in this order.
    public static let parameterNames = ["C_T", "gamma_D", "gamma_N", "gamma_post"]

    /// Builds the law from named constants (`parameterNames`).
    public init(parameters p: [String: Double]) throws(LawError) {
        func value(_ name: String) throws(LawError) -> Double {
            guard let v = p[name] else { throw .invalidParameter(name: name, value: .nan, expected: "a value (it is missing)") }
            return v
        }
        try self.init(cT: value("C_T"), gammaD: value("gamma_D"), gammaN: value("gamma_N"), gammaPost: value("gamma_post"))
    }

    /// The constants by name, in `parameterNames` order.
    public var parameters: [(name: String, value: Double)] {
        [("C_T", cT), ("gamma_D", gammaD), ("gamma_N", gammaN), ("gamma_post", gammaPost)]
    }

    /// The monomial's coefficient at `bits`: C_T exp(-P / gamma_post), so that
    /// delta = coefficient N^-gamma_N D^gamma_D.
    public func coefficient(bits: Double) -> Double {
        cT * Foundation.exp(-bits / gammaPost)
    }

    /// The loss added by rounding the weights to `bits` bits after training, nats per token.
    public func degradation(params N: Double, tokens D: Double, bits: Double) -> Double {
        coefficient(bits: bits) * Foundation.exp(gammaD * Foundation.log(D) - gammaN * Foundation.log(N))
    }

    /// (d delta / dN, d delta / dD) at `bits`.
    public func gradient(params N: Double, tokens D: Double, bits: Double) -> (dParams: Double, dTokens: Double) {
        let d = degradation(params: N, tokens: D, bits: bits)
        return (-gammaN * d / N, gammaD * d / D)
    }

    /// The training tokens past which more pretraining raises the served loss of a model of N
    /// parameters quantised to `bits` bits under `law`: where d(L + delta)/dD = 0, that is
    /// beta B D^-beta = gamma_D C N^-gamma_N D^gamma_D, so
    /// D* = (beta B N^gamma_N / (gamma_D C))^(1 / (beta + gamma_D)).
    public func tokensWhereMoreDataHurts(params N: Double, bits: Double, law: ChinchillaLaw) -> Double {
        Foundation.pow(law.beta * law.B * Foundation.pow(N, gammaN) / (gammaD * coefficient(bits: bits)), 1 / (law.beta + gammaD))
    }

    /// Kumar et al. 2024's fitted constants (arXiv:2411.04330, Appendix K, Table 2: C_T 0.0598,
    /// gamma_D 0.5068, gamma_N 0.3439, and gamma 0.5907, the table's exponent scale for the
    /// post-training precision). The paper fits small bias terms inside its exponentials that
    /// the clean form of eq. 2 leaves out, and warns that the constants are specific to its
    /// setup; tests check the trends and the critical data size they imply, not figure values.
    public static let kumar2024 = try! PostTrainingQuantizationLaw(cT: 0.0598, gammaD: 0.5068, gammaN: 0.3439, gammaPost: 0.5907)

    /// Where `kumar2024`'s numbers come from.
    public static let kumar2024Citation = "Kumar et al. 2024, Scaling Laws for Precision, arXiv:2411.04330, eq. 2 and Appendix K Table 2 (C_T 0.0598, gamma_D 0.5068, gamma_N 0.3439, gamma_post 0.5907)"

    /// The Chinchilla-form law Kumar et al. fitted beside it (Appendix K, Table 2: A 4.299e3,
    /// B 1.806e4, E 2.7648, alpha = beta = 0.4965), for checks in the paper's own units.
    public static let kumar2024Base = try! ChinchillaLaw(E: 2.7648, A: 4.299e3, B: 1.806e4, alpha: 0.4965, beta: 0.4965)

    /// The runs `kumar2024` was fitted on: 30M-220M parameters, 1.5B-26B tokens (section 2).
    public static let kumar2024Range = FittedRange(params: 30e6...220e6, tokens: 1.5e9...26e9,
                                                   source: "Kumar et al. 2024, section 2: models of 30M to 220M parameters on 1.5B to 26B tokens")
}

/// Quantisation-aware training in Kumar et al. 2024's model (arXiv:2411.04330, section 4, eq. 4):
/// training with weights held at P bits shrinks the effective parameter count to
/// N_eff = N (1 - exp(-P / gamma_w)), and a model served at the precision it was trained at
/// loses nothing more when served. gamma_w = 2.6745 bits (Appendix K, Table 2).
///
/// Kumar et al. train with fake quantisation (bf16 arithmetic with rounded weights), so a
/// quantisation-aware run costs the FLOPs, time and energy of the same run in bf16: its cost
/// is the quality it gives up (N_eff < N) on every token, against post-training rounding's
/// degradation that grows with D/N.
public struct QuantizationAwareTraining: Equatable, Sendable {
    /// gamma_w, bits.
    public let gammaW: Double

    public init(gammaW: Double) throws(LawError) {
        try requireParameter(gammaW, "gamma_w")
        self.gammaW = gammaW
    }

    /// N_eff / N for weights trained at `bits` bits.
    public func effectiveParamsFraction(bits: Double) -> Double {
        1 - Foundation.exp(-bits / gammaW)
    }

    /// Kumar et al. 2024's gamma_w.
    public static let kumar2024 = try! QuantizationAwareTraining(gammaW: 2.6745)
}
