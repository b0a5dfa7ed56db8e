import Foundation

/// Training runs in the log form the fitting objective uses, with a weight per run
/// (bootstrap resamples are integer weights rather than copied rows).
struct FitData: Sendable {
    /// ln N per run.
    let logParams: [Double]
    /// ln D per run.
    let logTokens: [Double]
    /// ln L per run.
    let logLoss: [Double]
    /// N, D and U per run, for the data-constrained family.
    let params: [Double]
    let tokens: [Double]
    let uniqueTokens: [Double?]
    /// Multiplicity of each run in the objective.
    var weights: [Double]

    init(_ runs: [TrainingRun]) {
        logParams = runs.map { Foundation.log($0.params) }
        logTokens = runs.map { Foundation.log($0.tokens) }
        logLoss = runs.map { Foundation.log($0.loss) }
        params = runs.map(\.params)
        tokens = runs.map(\.tokens)
        uniqueTokens = runs.map(\.uniqueTokens)
        weights = Array(repeating: 1, count: runs.count)
    }

    var count: Int { logLoss.count }

    /// A copy with the given weights.
    func reweighted(_ w: [Double]) -> FitData {
        var copy = self
        copy.weights = w
        return copy
    }
}
