import Foundation
import Numerics
import ScalingLaws

/// Leave-largest-size-out validation: each candidate's largest size predicted from its
/// smaller ones, the check Choshen et al. 2024 (A Hitchhiker's Guide to Scaling Law
/// Estimation, arXiv:2410.11840) report as absolute relative error (ARE).
public struct HoldoutValidation: Sendable {
    public struct Prediction: Sendable {
        public let run: SelectionRun
        /// The prediction of the law fitted without the largest size, metric units.
        public let predicted: Double
        /// |predicted − observed| / observed.
        public var absoluteRelativeError: Double { abs(predicted - run.value) / abs(run.value) }
    }

    public struct Row: Sendable {
        public let candidate: String
        /// The held-out size (the fine-tuning data for the rectified law).
        public let heldOutSize: Double
        public let trainedOn: Int
        public let predictions: [Prediction]
        /// Mean and largest ARE over the held-out runs.
        public var meanARE: Double { predictions.map(\.absoluteRelativeError).reduce(0, +) / Double(max(predictions.count, 1)) }
        public var maxARE: Double { predictions.map(\.absoluteRelativeError).max() ?? .nan }
    }

    public let rows: [Row]
    /// A held-out (N, D) every candidate has, where the choice is checked (the largest such).
    public let params: Double?
    public let tokens: Double?
    /// The candidate the smaller runs choose at that point, and the one that is best there.
    public let chosen: String?
    public let trueBest: String?

    public var chosenIsBest: Bool? { chosen.flatMap { c in trueBest.map { $0 == c } } }
}

extension ModelSelector {
    /// Fits each candidate without its largest size (flagging as `select` does) and predicts
    /// the runs at that size; where every candidate holds out a run at the same (N, D), checks
    /// whether the candidate the smaller runs rank best there is the best observed.
    ///
    /// - Throws: `SelectionError` as `select` does, and `.tooFewRuns` when a candidate's
    ///   smaller sizes cannot identify its law.
    public static func validateLargest(_ runs: [SelectionRun], options: SelectionOptions) throws(SelectionError) -> HoldoutValidation {
        try check(runs, options)
        let form = options.law ?? chooseLaw(runs)
        let higher = options.higherIsBetter
        let toFitted: (Double) -> Double = { higher ? 1 - $0 : $0 }
        var names: [String] = []
        for r in runs where !names.contains(r.candidate) { names.append(r.candidate) }
        var rows: [HoldoutValidation.Row] = []
        for name in names {
            let complete = runs.filter { $0.candidate == name && !$0.partial }
            func scale(_ r: SelectionRun) -> Double { form.scaleIsTokens ? (r.tokens ?? 0) : r.params }
            let largest = complete.map(scale).max()!
            let train = complete.filter { scale($0) < largest }
            let through = options.throughLoss
            if through, let r = complete.first(where: { $0.loss == nil }) {
                throw .invalidRun(row: r.row, "predicting through the loss needs each run's loss, and this run gives none")
            }
            let lawTrain = through ? train.map { r -> SelectionRun in var copy = r; copy.value = r.loss!; return copy } : train
            let fit: CandidateFit
            do {
                fit = try CandidateFit.make(name: name, form: form, runs: lawTrain, toFitted: through ? { $0 } : toFitted,
                                            flagSigma: options.flagSigma, delta: options.huberDelta)
            } catch {
                if case .tooFewRuns(let c, let why) = error { throw .tooFewRuns(candidate: c, "without its largest size, \(why)") }
                throw error
            }
            var link: ErrorLink?
            if through {
                let metric = Dictionary(train.map { ($0.row, toFitted($0.value)) }, uniquingKeysWith: { a, _ in a })
                link = ErrorLink.fit(losses: fit.runs.map(\.value), errors: fit.runs.map { metric[$0.row]! }, delta: fit.delta)
                guard link != nil else { throw .noConvergence(candidate: name) }
            }
            let held = complete.filter { scale($0) == largest }.map { r in
                var v = Foundation.exp(SelectionFitter.logPredict(form, fit.fit.theta, params: r.params, tokens: r.tokens).value)
                if let link { v = link.error(atLoss: v) }
                return HoldoutValidation.Prediction(run: r, predicted: higher ? 1 - v : v)
            }
            rows.append(HoldoutValidation.Row(candidate: name, heldOutSize: largest, trainedOn: fit.runs.count, predictions: held))
        }
        // The choice is checked at the largest held-out point all candidates share.
        func key(_ r: SelectionRun) -> String { "\(r.params)|\(r.tokens ?? 0)" }
        var common = Set<String>(rows.first?.predictions.map { key($0.run) } ?? [])
        for row in rows.dropFirst() { common.formIntersection(row.predictions.map { key($0.run) }) }
        let shared: [SelectionRun] = rows.first?.predictions.map(\.run).filter { common.contains(key($0)) } ?? []
        func size(_ r: SelectionRun) -> Double { r.compute ?? r.params }
        guard rows.count >= 2, let point = shared.max(by: { size($0) < size($1) }) else {
            return HoldoutValidation(rows: rows, params: nil, tokens: nil, chosen: nil, trueBest: nil)
        }
        func at(_ row: HoldoutValidation.Row) -> (predicted: Double, observed: Double) {
            let here = row.predictions.filter { key($0.run) == key(point) }
            return (here[0].predicted, here.map { $0.run.value }.reduce(0, +) / Double(here.count))
        }
        func better(_ a: Double, _ b: Double) -> Bool { higher ? a > b : a < b }
        let chosen = rows.indices.min { better(at(rows[$0]).predicted, at(rows[$1]).predicted) }.map { rows[$0].candidate }
        let best = rows.indices.min { better(at(rows[$0]).observed, at(rows[$1]).observed) }.map { rows[$0].candidate }
        return HoldoutValidation(rows: rows, params: point.params, tokens: point.tokens, chosen: chosen, trueBest: best)
    }
}
