import Foundation
import LinearAlgebra
import Numerics
import ScalingLaws

/// How each simulated pilot is fitted.
public enum PilotSimulationFit: String, CaseIterable, Sendable {
    /// `LawFitter` with its full start grid (as `scaleplan fit` does), by least squares.
    case multiStart = "multi-start"
    /// L-BFGS from the true parameters only, by least squares: finds the same optimum when
    /// the fit is well posed, in a small fraction of the time.
    case warmStart = "warm-start"
}

/// Settings of a coverage simulation.
public struct PilotSimulationOptions: Sendable {
    /// Simulated pilots (each draws every run's loss afresh and refits).
    public var repetitions: Int
    /// Repetition i draws from stream i of this seed, so results do not depend on the cores.
    public var seed: UInt64
    public var fit: PilotSimulationFit

    public init(repetitions: Int = 200, seed: UInt64 = 0, fit: PilotSimulationFit = .multiStart) {
        self.repetitions = repetitions
        self.seed = seed
        self.fit = fit
    }

    /// Largest number of repetitions accepted.
    public static let maximumRepetitions = 100_000
}

/// What the simulated pilots found.
public struct PilotSimulationResult: Equatable, Sendable {
    public let repetitions: Int
    /// Repetitions whose fit failed or gave a singular information matrix (excluded below).
    public let failures: Int
    /// Repetitions whose nominal 95% loss interval contained the true loss at the target.
    public let lossCovered: Int
    /// Repetitions whose nominal 95% interval for N* contained the true N*.
    public let optimumCovered: Int
    /// Mean over repetitions of the interval's standard deviation of ln L at the target.
    public let meanSigmaLogLoss: Double
    /// Root mean square of (fitted - true) ln L at the target.
    public let rmsErrorLogLoss: Double

    /// Fraction of fitted repetitions whose loss interval covered the truth.
    public var lossCoverage: Double { Double(lossCovered) / Double(max(1, repetitions - failures)) }
    /// Fraction of fitted repetitions whose N* interval covered the truth.
    public var optimumCoverage: Double { Double(optimumCovered) / Double(max(1, repetitions - failures)) }
}

/// Checks a design by simulation: draw each run's loss as L_true(N, D) exp(sigma z) with z
/// standard normal (the noise model the design assumes), fit the law family by least squares
/// (Huber delta 1, which no residual reaches near the optimum, so the objective is
/// exactly half the sum of squares), and ask whether the nominal 95% intervals, computed from
/// the Fisher information at the *fitted* parameters, contain the true values at the target.
public enum PilotSimulation {
    /// The Huber threshold that makes the fit least squares.
    public static let leastSquaresDelta = 1.0

    public static func run(truth: ScalingLaw, runs: [PilotRun], sigma: Double, target: PilotRun,
                           options: PilotSimulationOptions) throws(PilotError) -> PilotSimulationResult {
        guard (1...PilotSimulationOptions.maximumRepetitions).contains(options.repetitions) else {
            throw .invalidOption(name: "simulation repetitions", value: Double(options.repetitions),
                                 expected: "1 to \(PilotSimulationOptions.maximumRepetitions)")
        }
        guard sigma.isFinite, sigma > 0 else { throw .invalidOption(name: "noise sigma", value: sigma, expected: "a positive finite number") }
        let model = try PilotModel(truth)
        let trueLogLoss = Foundation.log(truth.unsafeLoss(params: target.params, tokens: target.tokens))
        let trueLogOptimum: Double
        do { trueLogOptimum = Foundation.log(try truth.computeOptimal(compute: target.flops).params) } catch { throw .law(error) }
        let means = runs.map { truth.unsafeLoss(params: $0.params, tokens: $0.tokens) }
        let z = PilotPrecision.z95

        let outcomes: [(loss: Bool, optimum: Bool, sigma: Double, error: Double)?] = parallelMap(options.repetitions) { i in
            var rng = SeededRandom(seed: options.seed, stream: i)
            let noisy = zip(runs, means).map { r, l in
                TrainingRun(params: r.params, tokens: r.tokens, loss: l * Foundation.exp(sigma * rng.nextGaussian()))
            }
            guard let theta = fit(noisy, model: model, how: options.fit),
                  let p = try? PilotPrecision(model: model, theta: theta, runs: runs, sigma: sigma, target: target)
            else { return nil }
            let loss = Foundation.log(p.loss) - trueLogLoss
            let optimum = Foundation.log(p.optimalParams) - trueLogOptimum
            return (abs(loss) <= z * p.sigmaLogLoss, abs(optimum) <= z * p.sigmaLogOptimum, p.sigmaLogLoss, loss)
        }
        let ok = outcomes.compactMap { $0 }
        let n = Double(max(1, ok.count))
        return PilotSimulationResult(
            repetitions: options.repetitions, failures: outcomes.count - ok.count,
            lossCovered: ok.filter(\.loss).count, optimumCovered: ok.filter(\.optimum).count,
            meanSigmaLogLoss: ok.reduce(0) { $0 + $1.sigma } / n,
            rmsErrorLogLoss: (ok.reduce(0) { $0 + $1.error * $1.error } / n).squareRoot())
    }

    /// The least-squares fit's parameters in the model's parameterisation, or nil.
    static func fit(_ runs: [TrainingRun], model: PilotModel, how: PilotSimulationFit) -> [Double]? {
        switch how {
        case .multiStart:
            guard let f = try? LawFitter.fit(runs, options: FitOptions(form: model.form, huberDelta: leastSquaresDelta)),
                  let m = try? PilotModel(f.law) else { return nil }
            return m.theta
        case .warmStart:
            return refine(model.model, FitData(runs), from: model.theta)
        }
    }

    private static func refine<M: LogLossModel>(_ m: M, _ data: FitData, from start: [Double]) -> [Double]? {
        FitEngine(model: m, delta: leastSquaresDelta).refine(data, from: [start])?.theta
    }
}
