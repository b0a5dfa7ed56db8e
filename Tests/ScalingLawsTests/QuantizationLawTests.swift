import Foundation
import ScalingLaws
import Testing

/// Kumar et al. 2024 (Scaling Laws for Precision, arXiv:2411.04330): the post-training
/// quantisation law's trends and the critical data size its constants imply.
@Suite("Precision-aware loss (Kumar et al. 2024)")
struct QuantizationLawTests {
    let law = PostTrainingQuantizationLaw.kumar2024
    let base = PostTrainingQuantizationLaw.kumar2024Base

    /// Appendix K, Table 2, as printed in the paper.
    @Test func constantsAreThePapers() {
        #expect(law.cT == 0.0598 && law.gammaD == 0.5068 && law.gammaN == 0.3439 && law.gammaPost == 0.5907)
        #expect(base.A == 4.299e3 && base.B == 1.806e4 && base.E == 2.7648 && base.alpha == 0.4965 && base.beta == 0.4965)
        #expect(QuantizationAwareTraining.kumar2024.gammaW == 2.6745)
        // Eq. 2 written out: C_T D^gamma_D / N^gamma_N e^(-P / gamma_post).
        let direct = 0.0598 * pow(13e9, 0.5068) / pow(110e6, 0.3439) * exp(-4 / 0.5907)
        #expect(abs(law.degradation(params: 110e6, tokens: 13e9, bits: 4) - direct) < 1e-15)
    }

    /// Finding 1: degradation grows with the data seen at fixed N, shrinks with N at fixed D and
    /// with more bits, over the paper's grid (N 30M-220M, D 1.5B-26B, 3-8 bits).
    @Test func degradationRisesWithDataAndFallsWithSizeAndBits() {
        let sizes = [30e6, 60e6, 110e6, 220e6], tokens = [1.5e9, 3e9, 6e9, 13e9, 26e9]
        for bits in [3.0, 4, 6, 8] {
            for n in sizes {
                let row = tokens.map { law.degradation(params: n, tokens: $0, bits: bits) }
                #expect(zip(row, row.dropFirst()).allSatisfy { $0 < $1 }, "rises with D at N = \(n), \(bits) bits")
            }
            for d in tokens {
                let column = sizes.map { law.degradation(params: $0, tokens: d, bits: bits) }
                #expect(zip(column, column.dropFirst()).allSatisfy { $0 > $1 }, "falls with N at D = \(d)")
            }
        }
        #expect(law.degradation(params: 30e6, tokens: 26e9, bits: 3) > law.degradation(params: 30e6, tokens: 26e9, bits: 4))
    }

    /// Appendix E.1: past D_crit more pretraining data raises the quantised model's loss. The
    /// closed form agrees with a direct scan of L + delta in ln D; at 3 bits a 30M model crosses
    /// into harm inside the paper's own token range (Figure 2), at 4 bits later, and at 8 bits
    /// D_crit "explodes" far beyond any training set.
    @Test func criticalDataSizeIsWhereMoreDataHurts() {
        func served(_ n: Double, _ d: Double, _ bits: Double) -> Double {
            base.E + base.A / pow(n, base.alpha) + base.B / pow(d, base.beta) + law.degradation(params: n, tokens: d, bits: bits)
        }
        for (n, bits) in [(30e6, 3.0), (30e6, 4.0), (220e6, 3.0), (1e9, 4.0)] {
            let closed = law.tokensWhereMoreDataHurts(params: n, bits: bits, law: base)
            // Scan ln D on a fine grid for the minimum of the served loss.
            let grid = stride(from: log(1e7), through: log(1e16), by: 1e-3).map { $0 }
            let best = grid.min { served(n, exp($0), bits) < served(n, exp($1), bits) }!
            #expect(abs(best - log(closed)) < 2e-3, "N = \(n), \(bits) bits: scan \(exp(best)) vs \(closed)")
            #expect(served(n, closed * 2, bits) > served(n, closed, bits))
        }
        let crit3 = law.tokensWhereMoreDataHurts(params: 30e6, bits: 3, law: base)
        #expect((1.5e9...26e9).contains(crit3))
        #expect(law.tokensWhereMoreDataHurts(params: 30e6, bits: 4, law: base) > 26e9)
        #expect(law.tokensWhereMoreDataHurts(params: 30e6, bits: 8, law: base) > 1e13)
    }

    /// Quantisation-aware training (eq. 4): N_eff = N (1 - e^(-P / gamma_w)) rises with bits
    /// towards N, and its loss does not grow with D as post-training rounding's does.
    @Test func quantisationAwareTrainingShrinksTheEffectiveModel() {
        let qat = QuantizationAwareTraining.kumar2024
        #expect(abs(qat.effectiveParamsFraction(bits: 4) - (1 - exp(-4 / 2.6745))) < 1e-15)
        #expect(qat.effectiveParamsFraction(bits: 4) < qat.effectiveParamsFraction(bits: 8))
        #expect(qat.effectiveParamsFraction(bits: 16) > 0.99)
    }

    /// The data stock and repetition constants carry their sources' numbers.
    @Test func dataStockIsFineWebAndRepetitionIsMuennighoffs() throws {
        #expect(DataStock.defaultTokens == 15e12 && DataStock.publicTextTokens == 300e12)
        let chinchilla = LawPreset.hoffmann2022.law
        guard case .dataConstrained(let dc) = try #require(chinchilla.dataConstrained) else { Issue.record("form"); return }
        #expect(dc.rStarD == 15.387756 && dc.rStarN == 5.309743)
        // Without repetition the data-constrained form is the law itself.
        #expect(abs(dc.loss(params: 7e9, tokens: 1e12, uniqueTokens: 2e12) - chinchilla.unsafeLoss(params: 7e9, tokens: 1e12)) < 1e-12)
        #expect(LawPreset.kaplan2020.law.dataConstrained == nil)
    }
}
