import Foundation
import Numerics

/// Training runs in the log form the fitting objective uses, with a weight per run
/// (bootstrap resamples are integer weights rather than copied rows).
public struct FitData: Sendable {
    /// ln N per run.
    public let logParams: [Double]
    /// ln D per run.
    public let logTokens: [Double]
    /// ln L per run.
    public let logLoss: [Double]
    /// N, D and U per run, for the data-constrained family.
    public let params: [Double]
    public let tokens: [Double]
    public let uniqueTokens: [Double?]
    /// Multiplicity of each run in the objective.
    public var weights: [Double]

    public init(_ runs: [TrainingRun]) {
        logParams = runs.map { Foundation.log($0.params) }
        logTokens = runs.map { Foundation.log($0.tokens) }
        logLoss = runs.map { Foundation.log($0.loss) }
        params = runs.map(\.params)
        tokens = runs.map(\.tokens)
        uniqueTokens = runs.map(\.uniqueTokens)
        weights = Array(repeating: 1, count: runs.count)
    }

    public var count: Int { logLoss.count }

    /// A copy with the given weights.
    public func reweighted(_ w: [Double]) -> FitData {
        var copy = self
        copy.weights = w
        return copy
    }
}
