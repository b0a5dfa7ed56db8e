import Foundation
import ModelSelection
import Scenario
import Testing
import TestSupport

/// `select` on real multi-candidate run sets (Tests/Fixtures/SOURCES.md).
///
/// Gadre et al. 2024 trained the same architectures on three pretraining sets (C4, RedPajama,
/// RefinedWeb) from 11M to 411M parameters at 5 to 640 tokens per parameter, plus 1.4B and 6.9B
/// models. Which data set is best at 6.9B and 20 tokens per parameter (1.38e11 tokens)? The
/// 6.9B runs answer it: C4 for C4 validation loss (2.382 against 2.425 and 2.455), RefinedWeb
/// for the 17-task and the 46-task average error (0.450 and 0.596; RedPajama 0.472 and 0.598,
/// C4 0.480 and 0.618).
@Suite("Selection on reference runs")
struct SelectionReferenceTests {
    static func gadre(metric: String, through: String? = nil, smallOnly: Bool) throws -> [SelectionRun] {
        let columns = SelectionColumns(candidate: "dataset", metric: metric, loss: through)
        let all = try SelectionRunTable.load(path: Fixtures.path("Tests/Fixtures/reference/gadre2024-runs.csv"), columns: columns).runs
        return smallOnly ? all.filter { $0.params < 1e9 } : all
    }

    static let target = SelectionTarget.point(params: 6_889_410_560, tokens: 137_788_211_200)

    /// From the runs up to 411M alone (17x below the target), C4 leads on C4 loss, and the
    /// prediction is within 5% of the measured 6.9B loss for RedPajama and RefinedWeb and 7%
    /// for C4 (measured: 2.333, 2.387 and 2.230 against 2.425, 2.455 and 2.382). The measured
    /// losses of RedPajama and RefinedWeb lie inside their 95% intervals; C4's sits at the top
    /// edge of its own (2.38 with 1,000 resamples), so the law is optimistic for C4.
    @Test func smallRunsChooseC4ForC4Loss() throws {
        let r = try ModelSelector.select(try Self.gadre(metric: "loss_c4_val", smallOnly: true),
                                         options: SelectionOptions(target: Self.target, bootstrap: 300, seed: 1, nextRuns: 3))
        #expect(r.leader == "c4_original")
        #expect(r.form == .chinchilla && r.formChosen)
        let measured = ["c4_original": 2.382, "rpj": 2.425, "rw_original": 2.455]
        for c in r.candidates {
            #expect(c.verdict == .law, "\(c.name): \(String(describing: c.trend))")
            #expect(abs(c.predicted / measured[c.name]! - 1) < (c.name == "c4_original" ? 0.07 : 0.05), "\(c.name) predicted \(c.predicted)")
            if c.name != "c4_original" { #expect(c.low <= measured[c.name]! && measured[c.name]! <= c.high, "\(c.name): \(c.low) to \(c.high)") }
        }
        #expect((r.pWrong ?? 1) < 0.3)
        #expect(!r.nextRuns.isEmpty)
        // The 79M model at 5 tokens per parameter sits far above the law in every data set.
        #expect(r.flagged.filter { $0.run.tokens! / $0.run.params < 6 && $0.run.params < 1e8 }.count == 3)
    }

    /// Leave-largest-size-out (the 6.9B run predicted from everything smaller, 1.4B included):
    /// the choice is right for the loss and, through the loss with Gadre et al.'s error link,
    /// for both downstream averages, with absolute relative errors at most 5.5%, 7.5% and 3%
    /// (measured for C4, RedPajama, RefinedWeb: 5.2, 1.5, 2.1% for loss; 7.0, 5.7, 2.9% for the
    /// 17-task error; 2.7, 1.8, 1.6% for the 46-task error). Fitted directly to the error, the law chooses wrong (RedPajama
    /// for the 17-task average), which is why the link exists.
    @Test func largestSizeOutChoosesRightThroughTheLoss() throws {
        let o = SelectionOptions(target: Self.target, bootstrap: 20, nextRuns: 0)
        let loss = try ModelSelector.validateLargest(try Self.gadre(metric: "loss_c4_val", smallOnly: false), options: o)
        #expect(loss.chosen == "c4_original" && loss.chosenIsBest == true)
        #expect(loss.rows.allSatisfy { $0.meanARE < 0.055 }, "\(loss.rows.map(\.meanARE))")
        var through = o
        through.throughLoss = true
        for (metric, bound, best) in [("err_avg_17subset", 0.075, "rw_original"), ("err_avg_46", 0.03, "rw_original")] {
            let v = try ModelSelector.validateLargest(try Self.gadre(metric: metric, through: "loss_c4_val", smallOnly: false), options: through)
            #expect(v.trueBest == best && v.chosenIsBest == true, "\(metric): chose \(String(describing: v.chosen))")
            #expect(v.rows.allSatisfy { $0.meanARE < bound }, "\(metric): \(v.rows.map(\.meanARE))")
        }
        let direct = try ModelSelector.validateLargest(try Self.gadre(metric: "err_avg_17subset", smallOnly: false), options: o)
        #expect(direct.chosenIsBest == false, "fitted to the error directly, the choice is \(String(describing: direct.chosen))")
    }

    /// Sardana et al. 2024's MPT runs (one candidate, 150M to 6B, up to 10,000 tokens per
    /// parameter): the 6B run predicted from the smaller ones to 1.5% (measured 1.07%).
    @Test func sardanaLargestRunIsPredicted() throws {
        let columns = SelectionColumns(params: "Parameters", tokens: "Tokens", metric: "Smoothed Loss")
        let runs = try SelectionRunTable.load(path: Fixtures.path("Tests/Fixtures/reference/sardana2024-runs.csv"), columns: columns).runs
        #expect(Set(runs.map(\.candidate)) == ["sardana2024-runs"])
        let v = try ModelSelector.validateLargest(runs, options: SelectionOptions(target: .point(params: 6.05e9, tokens: 1.21e11), bootstrap: 20))
        #expect(v.rows.count == 1 && v.rows[0].predictions.count == 1)
        #expect(v.rows[0].meanARE < 0.015, "ARE \(v.rows[0].meanARE)")
        #expect(v.chosen == nil, "one candidate: nothing to choose")
    }

    /// GPT-3 (Brown et al. 2020; eight sizes, all at 300B tokens; the loss curves Choshen et
    /// al. 2024 extracted from the paper's figures): 175B predicted from 125M-13B with the size
    /// law, 13x beyond the largest run it sees, to within 2.5% (measured 1.6%).
    @Test func gpt3LargestModelIsPredicted() throws {
        let runs = try SelectionRunTable.load(path: Fixtures.path("Tests/Fixtures/reference/gpt3-final-losses.csv"),
                                              columns: SelectionColumns(metric: "loss")).runs
        #expect(runs.count == 8)
        let v = try ModelSelector.validateLargest(runs, options: SelectionOptions(law: .size, target: .point(params: 175e9, tokens: nil), bootstrap: 20))
        #expect(v.rows.count == 1 && v.rows[0].heldOutSize == 175e9)
        #expect(v.rows[0].meanARE < 0.025, "ARE \(v.rows[0].meanARE)")
    }

    /// A run in training compared with the law from the small runs: the 1.4B RedPajama run at
    /// 20 tokens per parameter (a finished run, so on track), and the same checkpoint with its
    /// loss 12% higher (behind, with a small probability and a warning).
    @Test func partialRunsAreChecked() throws {
        var runs = try Self.gadre(metric: "loss_c4_val", smallOnly: true).filter { $0.candidate == "rpj" }
        let all = try Self.gadre(metric: "loss_c4_val", smallOnly: false)
        var checkpoint = try #require(all.first { $0.candidate == "rpj" && $0.params > 1e9 && $0.params < 2e9 && $0.tokens! / $0.params < 25 })
        checkpoint.partial = true
        var slow = checkpoint
        slow.value *= 1.12
        slow.row = 1000
        runs += [checkpoint, slow]
        let r = try ModelSelector.select(runs, options: SelectionOptions(law: .chinchilla, target: Self.target, bootstrap: 200, nextRuns: 0))
        #expect(r.partial.count == 2)
        let onTrack = try #require(r.partial.first { $0.run.row == checkpoint.row })
        let behind = try #require(r.partial.first { $0.run.row == 1000 })
        #expect(onTrack.status == .onTrack, "z \(onTrack.z)")
        #expect(behind.status == .behind && behind.probability < 0.025 && behind.behindBy > 0.05, "z \(behind.z)")
        #expect(r.warnings.contains { $0.code == .partialRunBehind })
        #expect(r.candidates[0].runs.count == runs.count - 2 - r.flagged.count, "partial runs are not fitted")
    }
}
