import Foundation
import LinearAlgebra
import Numerics
import ScalingLaws

/// A law family as the regression model a pilot design is built for: ln L(N, D) as a
/// function of the parameters theta in the parameterisation `LawFitter` fits (chinchilla:
/// theta = (ln A, ln B, ln E, alpha, beta); overtrain: (ln a, ln c - (alpha/2) ln 6, ln E,
/// alpha = -b); kaplan: (ln Nc, ln Dc, alphaN, alphaD)), with its Jacobian and the
/// sensitivities of the compute-optimal allocation.
///
/// The data-constrained family is not supported: its pilot runs would also have to choose
/// the unique-token budget, and its half-lives are fitted with the base law held fixed.
struct PilotModel: Sendable {
    let model: any LogLossModel
    /// Theta at the law the model was built from.
    let theta: [Double]
    /// The law family.
    let form: LawForm

    /// The model for `law`'s family, at `law`'s parameters.
    init(_ law: ScalingLaw) throws(PilotError) {
        form = law.form
        switch law {
        case .chinchilla(let l):
            model = ChinchillaLogModel()
            theta = ChinchillaLogModel.theta(l)
        case .overtrain(let l):
            model = OvertrainLogModel()
            let alpha = -l.b
            theta = [Foundation.log(l.a), Foundation.log(l.c) - alpha / 2 * Foundation.log(6), Foundation.log(l.E), alpha]
        case .kaplan(let l):
            model = KaplanLogModel()
            theta = [Foundation.log(l.Nc), Foundation.log(l.Dc), l.alphaN, l.alphaD]
        case .dataConstrained:
            throw .unsupportedForm(law.form)
        }
    }

    /// Number of parameters p.
    var dimension: Int { model.dimension }

    /// ln L at (N, D) and its gradient d ln L / d theta, at parameters `t`.
    func logLoss(_ t: [Double], params: Double, tokens: Double) -> (value: Double, gradient: [Double]) {
        let data = FitData([TrainingRun(params: params, tokens: tokens, loss: 1)])
        var g = [Double](repeating: 0, count: dimension)
        let v = model.logLoss(t, row: 0, data: data, gradient: &g)
        return (v, g)
    }

    /// The law at parameters `t`.
    func law(_ t: [Double]) throws(LawError) -> ScalingLaw { try model.law(t) }

    /// ln N* at compute C for parameters `t`, and its gradient with respect to theta by
    /// central differences (step 1e-6 (1 + |theta_k|); the closed forms of N* are smooth, so
    /// the truncation error is O(1e-12) and the rounding error O(1e-10)). ln D* = ln(C/6) - ln N*
    /// has the opposite gradient.
    func logOptimalParams(_ t: [Double], compute C: Double) throws(LawError) -> (value: Double, gradient: [Double]) {
        func value(_ x: [Double]) throws(LawError) -> Double {
            Foundation.log(try law(x).computeOptimal(compute: C).params)
        }
        let v = try value(t)
        var g = [Double](repeating: 0, count: dimension)
        for k in 0..<dimension {
            let h = 1e-6 * (1 + abs(t[k]))
            var up = t, down = t
            up[k] += h
            down[k] -= h
            g[k] = (try value(up) - value(down)) / (2 * h)
        }
        return (v, g)
    }
}
