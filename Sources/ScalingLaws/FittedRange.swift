import Diagnostics
import Foundation

/// The range of model sizes and token counts a published law was fitted on, with its source.
public struct FittedRange: Equatable, Sendable {
    public var params: ClosedRange<Double>
    public var tokens: ClosedRange<Double>
    public var source: String

    public init(params: ClosedRange<Double>, tokens: ClosedRange<Double>, source: String) {
        self.params = params
        self.tokens = tokens
        self.source = source
    }

    /// The fitted range of a preset, where the paper states it. Presets share a range when
    /// they refit the same runs (Epoch's and Sardana et al.'s laws are Hoffmann et al.'s data).
    public static func known(forPreset name: String) -> FittedRange? {
        switch name {
        case "hoffmann2022", "epoch2024", "sardana2024":
            FittedRange(params: 70e6...16e9, tokens: 5e9...500e9,
                        source: "Hoffmann et al. 2022, abstract: over 400 models from 70M to over 16B parameters on 5B to 500B tokens")
        case "gadre2024":
            FittedRange(params: 10.5e6...6.9e9, tokens: 52e6...922e9,
                        source: "Gadre et al. 2024's 104 models (mlfoundations/scaling exp_data): 10.6M to 6.89B parameters on 52.8M to 921B tokens")
        case "muennighoff2023-c4":
            FittedRange(params: 10e6...9e9, tokens: 100e6...900e9,
                        source: "Muennighoff et al. 2023, abstract and section 4: models of 10M to 9B parameters on up to 900B tokens")
        case "kaplan2020":
            FittedRange(params: 768...1.5e9, tokens: 22e6...23e9,
                        source: "Kaplan et al. 2020, section 1: 768 to 1.5B non-embedding parameters, datasets of 22M to 23B tokens")
        default: nil
        }
    }

    /// The range of a set of runs (the smallest and largest N and D), for laws fitted to them.
    public static func of(runs: [TrainingRun], source: String) -> FittedRange? {
        guard let n0 = runs.map(\.params).min(), let n1 = runs.map(\.params).max(),
              let d0 = runs.map(\.tokens).min(), let d1 = runs.map(\.tokens).max() else { return nil }
        return FittedRange(params: n0...n1, tokens: d0...d1, source: source)
    }

    /// The fitted range for a scenario's law source: a preset's citation maps to the preset.
    public static func known(forLawSource source: String) -> FittedRange? {
        LawPreset.all.first { $0.citation == source }.flatMap { known(forPreset: $0.name) }
    }
}

extension FittedRange {
    /// The warning for a prediction at `params` and `tokens` outside this range (which of the
    /// two, and by what factor), or nil inside it.
    public func extrapolationWarning(params: Double, tokens: Double, subject: String? = nil) -> Warning? {
        let r = self
        func outside(_ v: Double, _ r: ClosedRange<Double>) -> String? {
            v > r.upperBound ? String(format: "%.1fx above", v / r.upperBound) : v < r.lowerBound ? String(format: "%.1fx below", r.lowerBound / v) : nil
        }
        var parts: [String] = []
        if let o = outside(params, r.params) {
            parts.append("model size \(DisplayUnit.params.format(params)) is \(o) the fitted \(DisplayUnit.params.format(r.params.lowerBound))-\(DisplayUnit.params.format(r.params.upperBound))")
        }
        if let o = outside(tokens, r.tokens) {
            parts.append("\(DisplayUnit.tokens.format(tokens)) is \(o) the fitted \(DisplayUnit.params.format(r.tokens.lowerBound))-\(DisplayUnit.params.format(r.tokens.upperBound))")
        }
        guard !parts.isEmpty else { return nil }
        return Warning(.extrapolation, "The law is extrapolated: \(parts.joined(separator: "; ")) (\(r.source)); its loss there is a forecast, not a fit.",
                       subject: subject)
    }
}

/// Requests beyond any physical scale, refused rather than answered: 10^15 parameters, 10^18
/// tokens, 10^32 FLOP. The largest training runs reported by 2026 are near 10^26-10^27 FLOP on
/// about 10^13-10^14 tokens (Epoch AI's notable-models data), and the public human text stock
/// is about 3 x 10^14 tokens (Villalobos et al. 2024), so these limits are orders of magnitude
/// past anything a law can say something about.
public enum PhysicalScale {
    public static let maxParams = 1e15
    public static let maxTokens = 1e18
    public static let maxCompute = 1e32

    /// Why `value` of `quantity` is refused, or nil when it is within the limits.
    public static func refusal(params: Double? = nil, tokens: Double? = nil, compute: Double? = nil) -> String? {
        if let n = params, n > maxParams {
            return "\(DisplayUnit.params.format(n)) parameters is beyond any physical scale (the limit is \(DisplayUnit.params.format(maxParams))): no law fitted on today's runs says anything there"
        }
        if let d = tokens, d > maxTokens {
            return "\(DisplayUnit.tokens.format(d)) is beyond any physical scale (the limit is \(DisplayUnit.tokens.format(maxTokens)); all public human text is about 300T tokens, Villalobos et al. 2024)"
        }
        if let c = compute, c > maxCompute {
            return "\(DisplayUnit.flop.format(c)) is beyond any physical scale (the limit is \(DisplayUnit.flop.format(maxCompute)), orders of magnitude past the largest training runs, near 1e26-1e27 FLOP by 2026)"
        }
        return nil
    }
}
