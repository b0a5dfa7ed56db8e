import Foundation
import Numerics

/// A distribution of output lengths over requests: length O_i tokens with probability w_i
/// (a histogram, each bin at its representative length). The continuous-batching steady state
/// (`SteadyStateServing`) reads it where a single O would be wrong:
///
/// - Running sequences are length-biased: a request of O tokens decodes for O − 1 steps at
///   contexts P + 1 … P + O − 1, so the time-average context of a running sequence is
///   P + E[O (O − 1)] / (2 E[O − 1]) (`decodeContextBeyondPrompt`), above P + E[O] / 2 when the
///   lengths spread: long requests hold their slots longer (the inspection paradox; Kleinrock,
///   Queueing Systems I, 1975, §5.2). KV occupancy, KV reads and attention FLOPs use it.
/// - Little's law runs on the mean: a step admits n / E[O − 1] prompts on average.
/// - A slot's service time varies with O, so the slot queue is M/G/s (Allen–Cunneen with the
///   service's squared coefficient of variation, `Queueing.generalServiceWait`).
/// - A request's TPOT averages O_i − 1 steps, so its spread over requests is a mixture
///   (`tpotQuantile`).
/// - The longest length must fit in memory beside the weights.
public struct OutputLengths: Equatable, Hashable, Sendable {
    /// How far shares given as fractions may sum from 1 before they are refused as mistyped
    /// (scenario histograms, `estimate --output-lengths`): 0.01.
    public static let shareSumTolerance = 0.01

    /// Output lengths, tokens, each at least 2 (ascending, distinct).
    public let tokens: [Int]
    /// Probabilities of the lengths, summing to 1.
    public let weights: [Double]

    /// - Parameters:
    ///   - tokens: the lengths, each at least 2 (a request of one token has no decode steps).
    ///   - weights: non-negative, finite, summing to a positive total; normalised here.
    /// - Throws: `HardwareError.invalidWorkload` for empty or mismatched lists, a length below
    ///   2, a repeated length, or weights that are negative, not finite, or all zero.
    public init(tokens: [Int], weights: [Double]) throws(HardwareError) {
        guard !tokens.isEmpty, tokens.count == weights.count else {
            throw .invalidWorkload("an output-length distribution needs as many weights as lengths, and at least one, found \(tokens.count) lengths and \(weights.count) weights")
        }
        if let short = tokens.first(where: { $0 < 2 }) {
            throw .invalidWorkload("every output length of a distribution must be at least 2 tokens (one token has no decode steps), found \(short)")
        }
        if let bad = weights.first(where: { !($0 >= 0 && $0.isFinite) }) {
            throw .invalidWorkload("output-length weights must be finite and at least 0, found \(bad)")
        }
        let total = weights.reduce(0, +)
        guard total > 0, total.isFinite else { throw .invalidWorkload("output-length weights must not all be 0") }
        let order = tokens.indices.sorted { tokens[$0] < tokens[$1] }
        let sorted = order.map { tokens[$0] }
        if let k = sorted.indices.dropFirst().first(where: { sorted[$0] == sorted[$0 - 1] }) {
            throw .invalidWorkload("the output length \(sorted[k]) is listed twice")
        }
        self.tokens = sorted
        self.weights = order.map { weights[$0] / total }
    }

    /// E[O], tokens.
    public var mean: Double { zip(tokens, weights).reduce(0) { $0 + Double($1.0) * $1.1 } }

    /// E[O − 1]: decode steps of a request on average.
    public var meanDecodeSteps: Double { mean - 1 }

    /// The longest length, tokens.
    public var longest: Int { tokens[tokens.count - 1] }

    /// Var(O), tokens².
    public var variance: Double {
        let m = mean
        return zip(tokens, weights).reduce(0) { $0 + (Double($1.0) - m) * (Double($1.0) - m) * $1.1 }
    }

    /// E[O (O − 1)] / (2 E[O − 1]): how far past the prompt a running sequence's context is on
    /// average over time; O / 2 for a single length.
    public var decodeContextBeyondPrompt: Double {
        let second = zip(tokens, weights).reduce(0) { $0 + Double($1.0) * Double($1.0 - 1) * $1.1 }
        return second / (2 * meanDecodeSteps)
    }

    /// The q-quantile over requests of the per-request TPOT, s: request i's TPOT is the mean of
    /// its O_i − 1 steps, about normal with mean `meanStep` and deviation `stepDeviation` /
    /// √(O_i − 1) (central limit), so over requests it is the mixture of those normals with
    /// weights w_i, whose q-quantile is found by bisection (`Bisection.boundary`).
    public func tpotQuantile(meanStep: Double, stepDeviation: Double, quantile q: Double) -> Double {
        guard stepDeviation > 0, meanStep.isFinite, stepDeviation.isFinite else { return meanStep }
        func cdf(_ x: Double) -> Double {
            zip(tokens, weights).reduce(0) { sum, bin in
                sum + bin.1 * NormalDistribution.cdf((x - meanStep) / (stepDeviation / Double(bin.0 - 1).squareRoot()))
            }
        }
        // Every component's q-quantile lies within the widest one's ±8 deviations.
        let widest = stepDeviation / Double(tokens[0] - 1).squareRoot()
        let bracket = Bisection.boundary(holds: meanStep - 8 * widest, fails: meanStep + 8 * widest,
                                         tolerance: 1e-12 * max(1, abs(meanStep)), maxSteps: 200) { cdf($0) < q }
        return (bracket.holds + bracket.fails) / 2
    }
}
