import Diagnostics
import Foundation
import LinearAlgebra

/// One evaluated run for fitting the post-training quantisation law: a model of N parameters
/// trained on D tokens, evaluated at `bits` bits (16 or more: as trained, unquantised).
public struct PrecisionRun: Equatable, Sendable {
    public var params: Double
    public var tokens: Double
    public var bits: Double
    public var loss: Double

    public init(params: Double, tokens: Double, bits: Double, loss: Double) {
        self.params = params
        self.tokens = tokens
        self.bits = bits
        self.loss = loss
    }
}

/// Why a quantisation law could not be fitted.
public enum QuantizationFitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Too few (quantised, unquantised) pairs with a positive degradation, or too little variety.
    case tooFewPairs(found: Int, detail: String)
    /// The fitted constants are not all positive (the runs do not follow the law's trends).
    case implausible(String)

    public var description: String {
        switch self {
        case .tooFewPairs(let found, let detail): "\(found) usable pairs of quantised and unquantised runs: \(detail)"
        case .implausible(let why): why
        }
    }
}

/// Fits Kumar et al. 2024's post-training degradation law to evaluated runs.
///
/// Each quantised run (fewer than 16 bits) is paired with the unquantised run of the same N and D
/// (16 bits or more); its degradation delta = L_quantised - L_bf16 must be positive. Taking logs
/// of eq. 2, ln delta = ln C_T + gamma_D ln D - gamma_N ln N - P / gamma_post, is linear in
/// (ln C_T, gamma_D, gamma_N, 1 / gamma_post): ordinary least squares (LAPACK) on the pairs.
public struct QuantizationFit: Sendable {
    public let law: PostTrainingQuantizationLaw
    /// The pairs used: (N, D, bits, degradation).
    public let pairs: [(params: Double, tokens: Double, bits: Double, degradation: Double)]
    /// Pairs left out because the quantised loss was not above the unquantised one.
    public let nonPositive: Int
    /// RMS of the log-degradation residuals.
    public let rmseLog: Double

    public static func fit(_ runs: [PrecisionRun]) throws(QuantizationFitError) -> QuantizationFit {
        var base: [String: Double] = [:]
        func key(_ r: PrecisionRun) -> String { "\(r.params)|\(r.tokens)" }
        for r in runs where r.bits >= 16 { base[key(r)] = r.loss }
        var pairs: [(params: Double, tokens: Double, bits: Double, degradation: Double)] = []
        var nonPositive = 0
        for r in runs where r.bits < 16 {
            guard let b = base[key(r)] else { continue }
            if r.loss > b { pairs.append((r.params, r.tokens, r.bits, r.loss - b)) } else { nonPositive += 1 }
        }
        let distinct = (Set(pairs.map(\.params)).count, Set(pairs.map(\.tokens)).count, Set(pairs.map(\.bits)).count)
        guard pairs.count >= 4, distinct.0 >= 2, distinct.1 >= 2, distinct.2 >= 2 else {
            throw .tooFewPairs(found: pairs.count, detail: "the fit needs at least 4 pairs (a quantised run and the unquantised run of the same N and D, the quantised loss above it) spanning two or more sizes, token counts and bit widths; found \(distinct.0) sizes, \(distinct.1) token counts, \(distinct.2) bit widths")
        }
        let design = pairs.map { [1, Foundation.log($0.tokens), -Foundation.log($0.params), -$0.bits] }
        let target = pairs.map { Foundation.log($0.degradation) }
        guard let x = try? Matrix(rowMajor: design).leastSquares(target) else {
            throw .tooFewPairs(found: pairs.count, detail: "the pairs do not determine the four constants (the design is singular)")
        }
        guard x[1] > 0, x[2] > 0, x[3] > 0 else {
            throw .implausible("the runs do not follow the law's trends: gamma_D = \(x[1]), gamma_N = \(x[2]), 1/gamma_post = \(x[3]) (each must be positive: degradation rising with D, falling with N and with more bits)")
        }
        guard let law = try? PostTrainingQuantizationLaw(cT: Foundation.exp(x[0]), gammaD: x[1], gammaN: x[2], gammaPost: 1 / x[3]) else {
            throw .implausible("the fitted constants are not finite")
        }
        let residuals = zip(design, target).map { row, y in zip(row, x).reduce(0) { $0 + $1.0 * $1.1 } - y }
        let rmse = (residuals.reduce(0) { $0 + $1 * $1 } / Double(residuals.count)).squareRoot()
        return QuantizationFit(law: law, pairs: pairs, nonPositive: nonPositive, rmseLog: rmse)
    }
}

extension QuantizationFit {
    /// A log-space RMS residual above this (a factor of e^0.5 = 1.65) says the runs do not
    /// follow Kumar et al.'s form.
    public static let poorRMSE = 0.5

    /// Where the fit is weak: quantised evaluations no worse than the unquantised model (left
    /// out), or residuals far from the law's form.
    public var warnings: [Warning] {
        var out: [Warning] = []
        if nonPositive > 0 {
            out.append(Warning(.weakFit, "\(nonPositive) quantised evaluation\(nonPositive == 1 ? " was" : "s were") no worse than the unquantised model and left out (a log degradation needs a positive one); evaluation noise may be as large as the effect there.", subject: "fit"))
        }
        if rmseLog > Self.poorRMSE {
            out.append(Warning(.weakFit, "The law misses the degradations by \(NumberText.short(rmseLog, digits: 2)) in log (a factor of \(NumberText.short(Foundation.exp(rmseLog), digits: 2))): the runs do not follow Kumar et al.'s form closely.", subject: "fit"))
        }
        return out
    }
}
