import Foundation
import ModelSelection
import Numerics
import ScalingLaws
import Testing

/// The selection laws against their formulas: each predictor's gradient against central
/// differences of its own value, each log prediction against the published formula written
/// out here, and exact synthetic runs refitted to the law that made them.
@Suite("Selection laws")
struct SelectionLawTests {
    /// (form, theta) pairs in the fitting parameterisation, and the formula in plain terms.
    static let cases: [(SelectionLawForm, [Double], @Sendable (Double, Double) -> Double)] = [
        (.size, [6.0, 0.5, 0.3], { n, _ in exp(0.5) + exp(6.0) * pow(n, -0.3) }),
        (.chinchilla, [6.0, 7.0, 0.5, 0.34, 0.28], { n, d in exp(0.5) + exp(6.0) * pow(n, -0.34) + exp(7.0) * pow(d, -0.28) }),
        (.overtrain, [6.0, 7.0, 0.5, 0.3], { n, d in exp(0.5) + exp(6.0) * pow(n, -0.3) + exp(7.0) * pow(d, -0.3) }),
        (.finetune, [8.0, -0.2, 0.25, 0.1], { x, d in exp(8.0) * pow(x, -0.25) * pow(d, -0.1) + exp(-0.2) }),
        (.rectified, [5.0, 0.3, 4.0, 0.4], { _, d in exp(5.0) / (exp(4.0) + pow(d, 0.4)) + exp(0.3) }),
    ]

    @Test(arguments: 0..<5) func predictionMatchesTheFormula(_ k: Int) {
        let (form, theta, formula) = Self.cases[k]
        for (n, d) in [(1e8, 2e9), (7e9, 1.4e11), (3e7, 1e5)] {
            let v = exp(form.logPrediction(theta, params: n, tokens: d).value)
            #expect(abs(v / formula(n, d) - 1) < 1e-12, "\(form) at N \(n), D \(d): \(v) against \(formula(n, d))")
        }
    }

    @Test(arguments: 0..<5) func gradientMatchesCentralDifferences(_ k: Int) {
        let (form, theta, _) = Self.cases[k]
        let (n, d) = (2e8, 3e9)
        let g = form.logPrediction(theta, params: n, tokens: d).gradient
        for i in theta.indices {
            var up = theta, down = theta
            up[i] += 1e-6; down[i] -= 1e-6
            let fd = (form.logPrediction(up, params: n, tokens: d).value
                      - form.logPrediction(down, params: n, tokens: d).value) / 2e-6
            #expect(abs(fd - g[i]) < 1e-6 * max(1, abs(fd)), "\(form) d/dtheta[\(i)]: analytic \(g[i]), differences \(fd)")
        }
    }

    @Test func errorLinkMatchesGadreForm() {
        let link = ErrorLink(theta: [log(0.85), log(3), 1.3])
        for l in [2.0, 2.5, 3.5] {
            #expect(abs(link.error(atLoss: l) - (0.85 - 3 * exp(-1.3 * l))) < 1e-14)
        }
        let g = link.logError(atLoss: 2.7).gradient
        for i in 0..<3 {
            var up = link.theta, down = link.theta
            up[i] += 1e-6; down[i] -= 1e-6
            let fd = (ErrorLink(theta: up).logError(atLoss: 2.7).value - ErrorLink(theta: down).logError(atLoss: 2.7).value) / 2e-6
            #expect(abs(fd - g[i]) < 1e-6 * max(1, abs(fd)))
        }
    }

    /// Noise-free runs from each law: the refit predicts an unseen, larger point to 0.5%.
    @Test(arguments: 0..<5) func exactRunsAreRecovered(_ k: Int) throws {
        let (form, _, formula) = Self.cases[k]
        var runs: [SelectionRun] = []
        for (i, n) in [1e7, 3e7, 1e8, 3e8, 1e9].enumerated() {
            for (j, ratio) in [10.0, 40, 160].enumerated() {
                let d = form == .rectified ? [1e3, 1e4, 1e5, 1e6, 1e7][i] * [1, 2, 4][j] : n * ratio
                runs.append(SelectionRun(candidate: "c", params: form == .rectified ? 1e9 : n, tokens: form == .size ? n * 20 : d,
                                         value: form == .size ? formula(n, 0) : formula(form == .rectified ? 1e9 : n, d), row: runs.count))
            }
        }
        if form == .size { runs = Array(runs.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)) }
        let target: SelectionTarget = form == .rectified ? .point(params: nil, tokens: 1e8) : .point(params: 7e9, tokens: 1.4e11)
        let r = try ModelSelector.select(runs, options: SelectionOptions(law: form, target: target, bootstrap: 20, nextRuns: 0))
        let truth = form == .rectified ? formula(1e9, 1e8) : formula(7e9, form == .size ? 0 : 1.4e11)
        #expect(abs(r.candidates[0].predicted / truth - 1) < 5e-3, "\(form): predicted \(r.candidates[0].predicted), truth \(truth)")
    }
}
