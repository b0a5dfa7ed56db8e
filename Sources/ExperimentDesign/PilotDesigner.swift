import Foundation
import LinearAlgebra
import Numerics
import ScalingLaws

/// One distinct run of a design and how many times to train it (replicates differ only in
/// their random seed; under the noise model each is an independent draw).
public struct PilotDesignPoint: Equatable, Sendable {
    public let run: PilotRun
    public let replicates: Int
}

/// A pilot design: the runs to train and what they buy at the target.
public struct PilotDesign: Sendable {
    public let problem: PilotProblem
    /// The run the law must predict: the nominal compute-optimal run, or the given one.
    public let target: PilotRun
    /// The chosen runs, ordered by model size, then tokens.
    public let points: [PilotDesignPoint]
    /// Precision of the predictions at the target, from the Fisher information at the nominal law.
    public let precision: PilotPrecision
    /// A lower bound on the design's efficiency exp(Psi* - Psi(design)) in (0, 1], where Psi*
    /// is the best any design, even with fractional run counts, reaches within the same FLOP
    /// budget and run count. For the c criterion with small kappa this is close to the ratio
    /// of the best attainable variance to this design's; for D it is the D-efficiency.
    public let efficiencyLowerBound: Double
    /// Candidate runs considered (the log grid within the budget).
    public let candidatesConsidered: Int
    /// The naive comparison: an IsoFLOP grid of the same budget.
    public let baseline: PilotBaseline

    /// Every run, replicates expanded, in `points` order.
    public var runs: [PilotRun] { points.flatMap { Array(repeating: $0.run, count: $0.replicates) } }
    /// Total training compute of the runs, FLOP.
    public var totalFLOPs: Double { points.reduce(0) { $0 + Double($1.replicates) * $1.run.flops } }
    /// Number of runs, replicates included.
    public var runCount: Int { points.reduce(0) { $0 + $1.replicates } }
}

/// Designs pilot runs: a locally optimal design for the nominal law (see `PilotProblem` for
/// the model, `PilotCriterion` for the criterion, `PilotApproximateDesign` for the
/// continuous optimum under the FLOP budget and run cap, `PilotRounding` for whole runs).
public enum PilotDesigner {
    /// - Throws: `PilotError` for invalid settings, a data-constrained law, a budget too small
    ///   for enough candidate runs, or a design that cannot identify the law.
    public static func design(_ problem: PilotProblem) throws(PilotError) -> PilotDesign {
        try problem.validate()
        let model = try PilotModel(problem.law)
        let p = model.dimension
        guard problem.maxRuns >= p else {
            throw .invalidOption(name: "max runs", value: Double(problem.maxRuns), expected: "at least \(p), the number of \(problem.law.form.rawValue) law parameters")
        }
        let target = try targetRun(problem)
        let candidates = try PilotCandidates(model: model, ranges: problem.candidates, largestParams: target.params, budget: problem.budget)
        let c: [Double]
        switch problem.criterion {
        case .c, .d: c = model.logLoss(model.theta, params: target.params, tokens: target.tokens).gradient
        case .optimum:
            do { c = try model.logOptimalParams(model.theta, compute: target.flops).gradient } catch { throw .law(error) }
        }
        let criterion = PilotCriterion(problem.criterion, identifiabilityWeight: problem.identifiabilityWeight, target: c)

        let continuous = PilotApproximateDesign(candidates: candidates, budget: problem.budget, maxRuns: problem.maxRuns, criterion: criterion)
        let rounding = PilotRounding(candidates: candidates, budget: problem.budget, maxRuns: problem.maxRuns,
                                     maxReplicates: problem.maxReplicates, criterion: criterion)
        let counts = rounding.round(continuous.counts, resourceWeight: continuous.t)
        let points = counts.indices.filter { counts[$0] > 0 }
            .map { PilotDesignPoint(run: candidates.runs[$0], replicates: counts[$0]) }
            .sorted { ($0.run.params, $0.run.tokens) < ($1.run.params, $1.run.tokens) }
        let runs = points.flatMap { Array(repeating: $0.run, count: $0.replicates) }
        let precision = try PilotPrecision(model: model, theta: nil, runs: runs, sigma: problem.sigma, target: target)
        let psi = rounding.psi(counts)
        let baselineRuns = PilotBaseline.isoFLOPGrid(law: problem.law, budget: problem.budget)
        let baselinePrecision = try? PilotPrecision(model: model, theta: nil, runs: baselineRuns, sigma: problem.sigma, target: target)
        return PilotDesign(
            problem: problem, target: target, points: points, precision: precision,
            efficiencyLowerBound: min(1, Foundation.exp(continuous.lowerBound - psi)),
            candidatesConsidered: candidates.runs.count,
            baseline: PilotBaseline(runs: baselineRuns, precision: baselinePrecision))
    }

    /// The candidate runs a design for `problem` chooses from: the log grid of its ranges,
    /// rounded to three significant digits, within the budget.
    public static func candidateRuns(_ problem: PilotProblem) throws(PilotError) -> [PilotRun] {
        try problem.validate()
        let model = try PilotModel(problem.law)
        let target = try targetRun(problem)
        return try PilotCandidates(model: model, ranges: problem.candidates, largestParams: target.params, budget: problem.budget).runs
    }

    /// The target run: the nominal law's compute-optimal allocation at C, or the given (N, D).
    public static func targetRun(_ problem: PilotProblem) throws(PilotError) -> PilotRun {
        switch problem.target {
        case .run(let n, let d):
            return PilotRun(params: n, tokens: d)
        case .compute(let c):
            do {
                let a = try problem.law.computeOptimal(compute: c)
                return PilotRun(params: a.params, tokens: a.tokens)
            } catch { throw .law(error) }
        }
    }
}
