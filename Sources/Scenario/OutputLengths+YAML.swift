import Demand
import Diagnostics
import FileIO
import Hardware

extension OutputLengths {
    /// Reads `output_tokens: {histogram: [{tokens: 100, share: 0.5}, {tokens: 600, share: 0.5}]}`:
    /// output lengths of at least 2 tokens (at most `DemandForecast.maximumTokensPerRequest`),
    /// each listed once, with shares at least 0 that sum to 1 (within 0.01; they are then
    /// normalised), so that a mistyped share is an error rather than a quiet reweighting.
    ///
    /// - Throws: `InputError` at the offending node.
    static func parse(_ value: YAMLValue) throws(InputError) -> OutputLengths {
        let bins = try value.mapping(allowed: ["histogram"]).required("histogram").list()
        var tokens: [Int] = [], shares: [Double] = []
        for bin in bins {
            let m = try bin.mapping(allowed: ["tokens", "share"])
            let node = try m.required("tokens")
            let length = try node.integer(in: 2...Int(DemandForecast.maximumTokensPerRequest))
            if tokens.contains(length) { throw node.error("the output length \(length) is listed twice in the histogram") }
            tokens.append(length)
            shares.append(try m.required("share").number(in: 0...1))
        }
        let total = shares.reduce(0, +)
        guard abs(total - 1) <= OutputLengths.shareSumTolerance else {
            throw value.error("the histogram's shares must sum to 1, found \(NumberText.human(total))")
        }
        do {
            return try OutputLengths(tokens: tokens, weights: shares)
        } catch {
            throw value.error("\(error)")
        }
    }
}
