import Diagnostics
import Foundation

extension LawFit {
    /// The fewest distinct model sizes, and token counts, that identify a law with separate
    /// N and D terms: two points fix a power law's exponent and scale with nothing to spare,
    /// so three are needed before the fit's error says anything about the exponent.
    public static let minimumDistinctValues = 3

    /// The exponents published fits span: Kaplan et al.'s 0.076-0.095 up to Besiroglu et al.'s
    /// 0.37 and Kumar et al.'s 0.50 (alpha, beta; the over-training form's shared exponent).
    /// Outside [0.05, 1.5] an exponent is what few runs let the optimiser run away to.
    public static let plausibleExponents = 0.05...1.5

    /// Compute-optimal tokens per parameter outside this range at the runs' largest compute
    /// (Hoffmann et al. find about 20; published fits range over roughly 1-100) say the two
    /// terms are not told apart.
    public static let plausibleTokensPerParam = 1.0...1000.0

    /// A log-space RMS residual above this (3%) is more than training noise (about 1% between
    /// seeds at these scales): the law does not describe the runs.
    public static let poorRMSE = 0.03

    /// Where the fit is weak: too few sizes or token counts, parameters the optimiser ran to
    /// a degenerate value (an exponent outside the published range, E near 0), an implausible
    /// compute-optimal split, or residuals above training noise. Each message says what data
    /// would make the fit trustworthy.
    public var warnings: [Warning] {
        let sizes = Set(runs.map(\.params)).count, tokenCounts = Set(runs.map(\.tokens)).count
        var out: [Warning] = []
        func weak(_ message: String) { out.append(Warning(.weakFit, message, subject: "fit")) }
        if sizes < Self.minimumDistinctValues {
            weak("The runs have only \(sizes) distinct model size\(sizes == 1 ? "" : "s"); the size exponent is barely identified: add runs at more sizes.")
        }
        if tokenCounts < Self.minimumDistinctValues {
            weak("The runs have only \(tokenCounts) distinct token count\(tokenCounts == 1 ? "" : "s"); the data exponent is barely identified: add runs with more token counts.")
        }
        let exponents: [(String, Double)] = switch law {
        case .chinchilla(let l): [("alpha", l.alpha), ("beta", l.beta)]
        case .dataConstrained(let l): [("alpha", l.base.alpha), ("beta", l.base.beta)]
        case .overtrain(let l): [("the shared exponent -b", -l.b)]
        case .kaplan: []
        }
        for (name, value) in exponents where !Self.plausibleExponents.contains(value) {
            weak("The fitted \(name) = \(NumberText.short(value, digits: 3)) is outside the range published fits span (\(Self.plausibleExponents.lowerBound)-\(Self.plausibleExponents.upperBound)): the runs do not pin it down; add runs over a wider range of sizes (alpha) or token counts (beta).")
        }
        let minLoss = runs.map(\.loss).min() ?? 0
        if law.irreducibleLoss > 0, law.irreducibleLoss < 0.05 * minLoss {
            weak("The fitted irreducible loss E = \(NumberText.short(law.irreducibleLoss, digits: 3)) is degenerate (near 0, against runs at \(NumberText.short(minLoss, digits: 3)) and above): the runs cannot tell the floor from the power laws; add larger or longer runs whose loss flattens.")
        }
        // At the runs' largest compute and 100 times it (where the law is typically used).
        if let largest = runs.map({ 6 * $0.params * $0.tokens }).max(),
           let (c, a) = [largest, 100 * largest].lazy.compactMap({ c in (try? law.computeOptimal(compute: c)).map { (c, $0) } })
               .first(where: { !Self.plausibleTokensPerParam.contains($0.1.tokensPerParam) }) {
            weak("At \(DisplayUnit.flop.format(c)) the fit puts the compute-optimal model at \(NumberText.short(a.tokensPerParam, digits: 3)) tokens per parameter, outside the 1-1000 published fits span: the size and data terms are not told apart; add runs that vary N and D independently at a fixed compute.")
        }
        if rmse > Self.poorRMSE {
            weak("The law misses the runs by \(NumberText.short(100 * rmse, digits: 2))% RMS in log loss, more than training noise (about 1%): check for runs that did not converge (learning rate, warmup), or a law form that does not fit these runs.")
        }
        return out
    }
}

extension HoldoutCheck {
    /// A leave-largest-out error above this (5% relative) says the law does not extrapolate to
    /// the largest runs it was not fitted on.
    public static let poorExtrapolation = 0.05

    /// The warning when the law fitted without the largest runs misses them.
    public var warnings: [Warning] {
        guard maxAbsoluteRelativeError > Self.poorExtrapolation else { return [] }
        return [Warning(.weakFit, "Fitted without its \(predictions.count) largest run\(predictions.count == 1 ? "" : "s"), the law misses them by up to \(NumberText.short(100 * maxAbsoluteRelativeError, digits: 2))%: its extrapolations beyond the runs are not to be trusted.", subject: "fit")]
    }
}

extension BootstrapResult {
    /// A bootstrap interval wider than this ratio (high / low) on A or B says the resamples do
    /// not agree on the scale: a ridge in the objective where the two terms trade off.
    public static let ridgeRatio = 1000.0

    /// The warning when the bootstrap refits spread a scale parameter over a ridge.
    public var warnings: [Warning] {
        let wide = parameters.filter { ["A", "B", "a", "c", "Nc", "Dc"].contains($0.name) && $0.low > 0 && $0.high / $0.low > Self.ridgeRatio }
        guard !wide.isEmpty else { return [] }
        let names = wide.map { "\($0.name) \(NumberText.short($0.low, digits: 3))-\(NumberText.short($0.high, digits: 3))" }.joined(separator: ", ")
        return [Warning(.weakFit, "The bootstrap refits spread \(names) over more than a factor of \(Int(Self.ridgeRatio)): the objective has a ridge where the size and data terms trade off, so the parameters are not identified separately; add runs that vary N and D independently.", subject: "fit")]
    }
}
