import Foundation
import LinearAlgebra
import Numerics
import ScalingLaws

/// Estimates of the noise sigma (standard deviation of ln L residuals) a design assumes.
public enum PilotNoise {
    /// sigma = sqrt(sum r_i^2 / (n - p)), the residual standard deviation with the degrees of
    /// freedom the fit used up (unbiased for sigma^2 under the linearised model; Seber and
    /// Wild 1989, Nonlinear Regression, ch. 2). Residuals of a Huber fit are not least-squares residuals, so
    /// this slightly overstates sigma for them, which errs on the safe side.
    ///
    /// - Throws: `.invalidOption` unless there are more residuals than parameters and all are finite.
    public static func fromResiduals(_ residuals: [Double], parameters p: Int) throws(PilotError) -> Double {
        guard residuals.count > p else {
            throw .invalidOption(name: "runs for the noise estimate", value: Double(residuals.count), expected: "more than \(p), the number of law parameters")
        }
        guard residuals.allSatisfy(\.isFinite) else {
            throw .invalidOption(name: "residual", value: residuals.first { !$0.isFinite } ?? .nan, expected: "a finite number")
        }
        let s = (residuals.reduce(0) { $0 + $1 * $1 } / Double(residuals.count - p)).squareRoot()
        guard s > 0 else { throw .invalidOption(name: "noise estimate", value: s, expected: "a positive number (the law fits the runs exactly)") }
        return s
    }

    /// The same estimate from a root-mean-square residual over `runs` runs (what `scaleplan fit`
    /// records as `fit_quality.rmse_log` and `rows_used`): sigma = rmse sqrt(n / (n - p)).
    public static func fromRMSE(_ rmse: Double, runs n: Int, parameters p: Int) throws(PilotError) -> Double {
        guard n > p else { throw .invalidOption(name: "runs for the noise estimate", value: Double(n), expected: "more than \(p), the number of law parameters") }
        guard rmse.isFinite, rmse > 0 else { throw .invalidOption(name: "rmse", value: rmse, expected: "a positive finite number") }
        return rmse * (Double(n) / Double(n - p)).squareRoot()
    }

    /// The estimate from a fit's residuals.
    public static func fromFit(_ fit: LawFit) throws(PilotError) -> Double {
        try fromResiduals(fit.residuals, parameters: fit.law.form.parameterNames.count)
    }
}
