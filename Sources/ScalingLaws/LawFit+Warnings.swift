import Diagnostics

extension LawFit {
    /// The fewest distinct model sizes, and token counts, that identify a law with separate
    /// N and D terms: two points fix a power law's exponent and scale with nothing to spare,
    /// so three are needed before the fit's error says anything about the exponent.
    public static let minimumDistinctValues = 3

    /// Where the fit is weak: runs at fewer than three model sizes or token counts.
    public var warnings: [Warning] {
        let sizes = Set(runs.map(\.params)).count, tokenCounts = Set(runs.map(\.tokens)).count
        var out: [Warning] = []
        if sizes < Self.minimumDistinctValues {
            out.append(Warning(.weakFit, "The runs have only \(sizes) distinct model size\(sizes == 1 ? "" : "s"); the size exponent is barely identified: add runs at more sizes.", subject: "fit"))
        }
        if tokenCounts < Self.minimumDistinctValues {
            out.append(Warning(.weakFit, "The runs have only \(tokenCounts) distinct token count\(tokenCounts == 1 ? "" : "s"); the data exponent is barely identified: add runs with more token counts.", subject: "fit"))
        }
        return out
    }

}
