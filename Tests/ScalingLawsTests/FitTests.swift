import FileIO
import Foundation
import ScalingLaws
import Scenario
import Testing
import TestSupport

@Suite("Fitting")
struct FitTests {
    /// Runs on a 6 x 6 log grid generated exactly by `law` (N from 1e7 to 3e9, D from 1e9 to 3e11).
    static func synthetic(_ law: ScalingLaw, unique: Double? = nil) -> [TrainingRun] {
        var runs: [TrainingRun] = []
        for i in 0..<6 {
            for j in 0..<6 {
                let n = 1e7 * pow(300, Double(i) / 5), d = 1e9 * pow(300, Double(j) / 5)
                runs.append(TrainingRun(params: n, tokens: d, uniqueTokens: unique, loss: law.unsafeLoss(params: n, tokens: d, uniqueTokens: unique)))
            }
        }
        return runs
    }

    @Test func recoversAChinchillaLawFromExactData() throws {
        let truth = LawPreset.epoch2024.law
        let fit = try LawFitter.fit(Self.synthetic(truth))
        for (p, q) in zip(fit.law.parameters, truth.parameters) {
            #expect(relativeDifference(p.value, q.value) < 1e-3, "\(p.name): \(p.value) vs \(q.value)")
        }
        #expect(fit.objective < 1e-12)
        #expect(fit.rmse < 1e-6)
    }

    @Test func recoversAnOvertrainLawFromExactData() throws {
        let truth = LawPreset.gadre2024.law
        let fit = try LawFitter.fit(Self.synthetic(truth), options: FitOptions(form: .overtrain))
        for (p, q) in zip(fit.law.parameters, truth.parameters) {
            #expect(relativeDifference(p.value, q.value) < 1e-3, "\(p.name)")
        }
    }

    @Test func recoversAKaplanLawFromExactData() throws {
        let truth = LawPreset.kaplan2020.law
        let fit = try LawFitter.fit(Self.synthetic(truth), options: FitOptions(form: .kaplan))
        #expect(fit.rmse < 1e-4)
        guard case .kaplan(let k) = fit.law, case .kaplan(let t) = truth else {
            Issue.record("a kaplan fit returned \(fit.law.form), or the kaplan2020 preset is not a kaplan law")
            return
        }
        #expect(relativeDifference(k.alphaN, t.alphaN) < 0.01)
        #expect(relativeDifference(k.alphaD, t.alphaD) < 0.01)
    }

    /// The two-stage data-constrained fit recovers R*_D and R*_N from runs that repeat data.
    @Test func recoversDataConstrainedHalfLives() throws {
        let truth = LawPreset.muennighoff2023C4.law
        var runs: [TrainingRun] = []
        for n in [1e8, 3e8, 1e9, 3e9] {
            for u in [1e9, 4e9, 1.6e10] {
                for epochs in [0.5, 1, 2, 4, 8, 16, 40] {
                    let d = epochs * u
                    runs.append(TrainingRun(params: n, tokens: d, uniqueTokens: u, loss: truth.unsafeLoss(params: n, tokens: d, uniqueTokens: u)))
                }
            }
        }
        let fit = try LawFitter.fit(runs, options: FitOptions(form: .dataConstrained))
        guard case .dataConstrained(let got) = fit.law, case .dataConstrained(let want) = truth else { Issue.record("family"); return }
        #expect(relativeDifference(got.rStarD, want.rStarD) < 0.02)
        #expect(relativeDifference(got.rStarN, want.rStarN) < 0.05)
        #expect(fit.rmse < 1e-4)
    }

    /// Fits Muennighoff et al.'s own 296 runs: the 41 single-epoch runs fix the base law, and
    /// the fitted half-lives land in the range the paper reports (R*_D of order 10).
    @Test func fitsTheDatablationsRuns() throws {
        let runs = try RunTable.load(
            path: Fixtures.path("Tests/Fixtures/reference/muennighoff2023-runs.csv"),
            columns: RunColumns(params: "params_N", tokens: "tokens_D", loss: "val_loss", uniqueTokens: "unique_tokens_U"))
        #expect(runs.count == 296)
        let fit = try LawFitter.fit(runs, options: FitOptions(form: .dataConstrained))
        guard case .dataConstrained(let law) = fit.law else { Issue.record("family"); return }
        #expect(fit.baseRunsUsed == 41)
        // The file keeps the outliers the paper drops (it fits 182 of the 296), so judge the
        // typical residual rather than the RMSE.
        let typical = percentile(fit.residuals.map(abs).sorted(), 0.5)
        #expect(typical < 0.05)
        #expect(law.rStarD > 1 && law.rStarD < 100)
    }

    @Test func bootstrapIsDeterministicForASeed() throws {
        let fit = try LawFitter.fit(Self.synthetic(LawPreset.hoffmann2022.law))
        let a = try Bootstrap.run(fit, options: BootstrapOptions(samples: 20, seed: 42, compute: 1e22))
        let b = try Bootstrap.run(fit, options: BootstrapOptions(samples: 20, seed: 42, compute: 1e22))
        #expect(a.laws == b.laws)
        #expect(a.parameters == b.parameters)
        #expect(a.derived.map(\.name) == ["params_opt", "tokens_opt", "loss_opt"])
    }

    @Test func holdoutPredictsTheLargestRuns() throws {
        let runs = Self.synthetic(LawPreset.hoffmann2022.law)
        let check = try HoldoutCheck.leaveLargestOut(runs, fraction: 0.1, options: FitOptions())
        #expect(check.predictions.count == 4)
        #expect(check.trainedOn == 32)
        let maxCompute = runs.map(\.compute).max()!
        #expect(check.predictions.contains { $0.run.compute == maxCompute })
        #expect(check.maxAbsoluteRelativeError < 1e-4)
    }

    @Test func rejectsBadRuns() {
        let good = Self.synthetic(LawPreset.hoffmann2022.law)
        #expect(throws: FitError.tooFewRuns(needed: 5, found: 3)) { try LawFitter.fit(Array(good.prefix(3))) }
        var bad = good
        bad[4].loss = -1
        #expect(throws: FitError.invalidRun(index: 4, quantity: "loss", value: -1)) { try LawFitter.fit(bad) }
        #expect(throws: FitError.missingUniqueTokens(index: 0)) { try LawFitter.fit(good, options: FitOptions(form: .dataConstrained)) }
        #expect(throws: FitError.self) { try LawFitter.fit(good, options: FitOptions(huberDelta: 0)) }
    }

    @Test func percentileInterpolatesLikeNumpy() {
        #expect(percentile([1, 2, 3, 4], 0.5) == 2.5)
        #expect(percentile([1, 2, 3, 4, 5], 0.025) == 1.1)
        #expect(percentile([], 0.5).isNaN)
    }
}
