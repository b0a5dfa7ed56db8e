import Foundation
import LinearAlgebra
import Numerics
import ScalingLaws

/// One pilot training run: a model size and a token count.
public struct PilotRun: Equatable, Sendable {
    /// Model size N, parameters.
    public let params: Double
    /// Training tokens D.
    public let tokens: Double

    public init(params: Double, tokens: Double) {
        self.params = params
        self.tokens = tokens
    }

    /// Training compute 6 N D, FLOP.
    public var flops: Double { trainingFLOPs(params: params, tokens: tokens) }
    /// Tokens per parameter D / N.
    public var tokensPerParam: Double { tokens / params }
}

/// The candidate runs of a design, with the Jacobian row g = d ln L / d theta of each at the
/// nominal parameters.
struct PilotCandidates {
    let runs: [PilotRun]
    /// K x p: row k is g_k.
    let jacobian: Matrix

    /// Most candidates accepted: the design's cost grows linearly with their number (the
    /// default grid has a few hundred; 10,000 takes tens of seconds).
    static let maximumCount = 10_000

    /// The log-spaced grid of `ranges` (model sizes from the smallest to `largestParams`
    /// unless the ranges give one, tokens per parameter), each value rounded to three
    /// significant digits so run specifications read cleanly; every number reported is
    /// computed from the rounded values. Runs over `budget` FLOP are dropped.
    init(model: PilotModel, ranges: PilotCandidateRanges, largestParams: Double, budget: Double) throws(PilotError) {
        let nRange = ranges.params ?? PilotCandidateRanges.defaultMinimumParams...max(largestParams, PilotCandidateRanges.defaultMinimumParams)
        let sizes = Self.logGrid(nRange, perDecade: ranges.pointsPerDecade)
        let ratios = Self.logGrid(ranges.tokensPerParam, perDecade: ranges.pointsPerDecade)
        var runs: [PilotRun] = []
        for n in sizes {
            for m in ratios {
                let run = PilotRun(params: n, tokens: roundedToSignificant(n * m, digits: 3))
                if run.flops <= budget { runs.append(run) }
            }
        }
        let p = model.dimension
        guard runs.count >= p else { throw .tooFewCandidates(found: runs.count, needed: p) }
        guard runs.count <= Self.maximumCount else {
            throw .invalidOption(name: "candidate runs", value: Double(runs.count),
                                 expected: "at most \(Self.maximumCount); lower the points per decade or narrow the ranges")
        }
        var g = Matrix(rows: runs.count, columns: p)
        for (k, r) in runs.enumerated() {
            let row = model.logLoss(model.theta, params: r.params, tokens: r.tokens).gradient
            for j in 0..<p { g[k, j] = row[j] }
        }
        self.runs = runs
        self.jacobian = g
    }

    /// Values from the lower to the upper bound, evenly spaced in log with about `perDecade`
    /// per factor of 10 and both ends included, rounded to three significant digits.
    static func logGrid(_ range: ClosedRange<Double>, perDecade: Int) -> [Double] {
        let decades = Foundation.log10(range.upperBound / range.lowerBound)
        let steps = max(1, Int((decades * Double(perDecade)).rounded(.up)))
        if decades <= 0 { return [roundedToSignificant(range.lowerBound, digits: 3)] }
        var values: [Double] = []
        for i in 0...steps {
            let v = roundedToSignificant(range.lowerBound * Foundation.pow(10, decades * Double(i) / Double(steps)), digits: 3)
            if values.last != v { values.append(v) }
        }
        return values
    }
}

/// `x` rounded to `digits` significant decimal digits (x > 0).
func roundedToSignificant(_ x: Double, digits: Int) -> Double {
    guard x.isFinite, x > 0 else { return x }
    let exponent = Int(Foundation.log10(x).rounded(.down)) - (digits - 1)
    let scale = Foundation.pow(10, Double(abs(exponent)))
    return exponent >= 0 ? (x / scale).rounded() * scale : (x * scale).rounded() / scale
}
