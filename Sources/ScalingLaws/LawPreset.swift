import Foundation
import Numerics

/// A published loss law with its citation.
public struct LawPreset: Sendable {
    /// The name used on the command line and in scenarios (`law: {preset: NAME}`).
    public let name: String
    public let law: ScalingLaw
    /// Where the numbers come from.
    public let citation: String
    /// What the numbers mean and how they were obtained.
    public let note: String

    /// Every preset, in a stable order.
    public static let all: [LawPreset] = [hoffmann2022, epoch2024, sardana2024, kaplan2020, muennighoff2023C4, gadre2024]

    /// The preset with this name, or nil.
    public static func named(_ name: String) -> LawPreset? { all.first { $0.name == name } }

    /// Hoffmann et al. 2022, Approach 3, with the unrounded values from the paper's TeX source.
    public static let hoffmann2022 = LawPreset(
        name: "hoffmann2022",
        law: .chinchilla(try! ChinchillaLaw(E: 1.6934, A: 406.40, B: 410.72, alpha: 0.33917084, beta: 0.2849083)),
        citation: "Hoffmann et al. 2022, Training Compute-Optimal Large Language Models, arXiv:2203.15556, eq. 10 (Approach 3, unrounded TeX values)",
        note: "MassiveText loss in nats per token; N counts all parameters")

    /// Besiroglu et al. 2024 (Epoch AI), refit of Approach 3 on points digitised from Hoffmann Fig. 4.
    public static let epoch2024 = LawPreset(
        name: "epoch2024",
        law: .chinchilla(try! ChinchillaLaw(E: 1.8169, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3659)),
        citation: "Besiroglu, Erdil, Barnett, You 2024, Chinchilla Scaling: A replication attempt, arXiv:2404.10102, eq. 4",
        note: "bootstrap 95% intervals: A 285-744, B 1042-5810, E 1.769-1.871, alpha 0.317-0.373, beta 0.331-0.415")

    /// The rounded Chinchilla law that Sardana et al. 2024 optimise with inference demand.
    public static let sardana2024 = LawPreset(
        name: "sardana2024",
        law: .chinchilla(try! ChinchillaLaw(E: 1.69, A: 406.4, B: 410.7, alpha: 0.336, beta: 0.283)),
        citation: "Sardana, Portes, Doubov, Frankle 2024, Beyond Chinchilla-Optimal: Accounting for Inference in Language Model Scaling Laws, arXiv:2401.00448, section 2",
        note: "Hoffmann et al.'s Approach 3 values as rounded by Sardana et al.")

    /// Kaplan et al. 2020, eq. 1.5 with Table 2's fitted constants.
    public static let kaplan2020 = LawPreset(
        name: "kaplan2020",
        law: .kaplan(try! KaplanLaw(Nc: 8.8e13, Dc: 5.4e13, alphaN: 0.076, alphaD: 0.095)),
        citation: "Kaplan et al. 2020, Scaling Laws for Neural Language Models, arXiv:2001.08361, eq. 1.5 and Table 2",
        note: "WebText2 loss in nats per token; N counts non-embedding parameters")

    /// Muennighoff et al. 2023, the C4 fit of the data-constrained law.
    public static let muennighoff2023C4 = LawPreset(
        name: "muennighoff2023-c4",
        law: .dataConstrained(try! DataConstrainedLaw(
            base: ChinchillaLaw(
                E: Foundation.exp(0.6254804), A: Foundation.exp(6.255414), B: Foundation.exp(7.3049974),
                alpha: 0.3526596, beta: 0.3526596),
            rStarD: 15.387756, rStarN: 5.309743)),
        citation: "Muennighoff et al. 2023, Scaling Data-Constrained Language Models, arXiv:2305.16264, eqs. 5-7 and Appendix A (C4 fit: a = 6.255414, b = 7.3049974, e = 0.6254804, alpha = beta = 0.3526596)",
        note: "A = e^a, B = e^b, E = e^e; C4 loss in nats per token")

    /// Gadre et al. 2024's over-training form with the downstream error law.
    public static let gadre2024 = LawPreset(
        name: "gadre2024",
        law: .overtrain(try! OvertrainLaw(
            E: 1.83665, a: 166.21, b: -0.27285, c: 366.69,
            downstream: DownstreamErrorLaw(epsilon: 0.85699, k: 2.2065, gamma: 0.71459))),
        citation: "Gadre et al. 2024, Language models scale reliably with over-training and on downstream tasks, arXiv:2403.08540, eqs. 4 and 5; values from a refit on their RedPajama/C4 grid (mlfoundations/scaling)",
        note: "C4 validation loss in nats per token; downstream error is the 17-task average top-1 error")
}
