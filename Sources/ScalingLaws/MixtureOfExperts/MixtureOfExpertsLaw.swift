import Foundation
import Numerics

/// The mixture-of-experts law families, by the name files and the command line use.
public enum MoELawForm: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Ludziejewski et al. 2025: active parameters, tokens and the number of experts.
    case joint
    /// Krajewski et al. 2024: total non-embedding parameters, tokens and the granularity.
    case granularity

    public var description: String { rawValue }

    /// Parameter names in canonical order.
    public var parameterNames: [String] {
        switch self {
        case .joint: ["a", "alpha", "delta", "gamma", "b", "beta", "omega", "zeta", "c"]
        case .granularity: ["a", "alpha", "b", "beta", "g", "gamma", "c"]
        }
    }

    /// What the size column means for this family.
    public var sizeMeaning: String {
        switch self {
        case .joint: "active parameters N_act, embeddings included"
        case .granularity: "total non-embedding parameters N, every expert included"
        }
    }
}

/// A mixture-of-experts loss law of either family.
public enum MoELaw: Equatable, Sendable {
    case joint(JointExpertsLaw)
    case granularity(GranularityLaw)

    public var form: MoELawForm {
        switch self {
        case .joint: .joint
        case .granularity: .granularity
        }
    }

    /// Predicted loss of a run: (N_act, D, E) for the joint law, (N, D, G) for the granularity law.
    public func loss(_ run: MoERun) -> Double {
        switch self {
        case .joint(let l): l.loss(activeParams: run.params, tokens: run.tokens, experts: run.experts)
        case .granularity(let l): l.loss(params: run.params, tokens: run.tokens, granularity: run.granularity)
        }
    }

    /// Named constants in canonical order (`MoELawForm.parameterNames`).
    public var parameters: [(name: String, value: Double)] {
        switch self {
        case .joint(let l):
            [("a", l.a), ("alpha", l.alpha), ("delta", l.delta), ("gamma", l.gamma), ("b", l.b), ("beta", l.beta),
             ("omega", l.omega), ("zeta", l.zeta), ("c", l.c)]
        case .granularity(let l):
            [("a", l.a), ("alpha", l.alpha), ("b", l.b), ("beta", l.beta), ("g", l.g), ("gamma", l.gamma), ("c", l.c)]
        }
    }
}

/// One training run of a mixture-of-experts (or dense) model.
public struct MoERun: Equatable, Sendable {
    /// Model size: active parameters for the joint law, total non-embedding for the granularity law.
    public var params: Double
    /// Training tokens D.
    public var tokens: Double
    /// Experts E (1 for a dense model); the joint law's variable.
    public var experts: Double
    /// Granularity G (1 when experts are as wide as the dense MLP); the granularity law's variable.
    public var granularity: Double
    /// Final loss, nats per token.
    public var loss: Double

    public init(params: Double, tokens: Double, experts: Double = 1, granularity: Double = 1, loss: Double) {
        self.params = params
        self.tokens = tokens
        self.experts = experts
        self.granularity = granularity
        self.loss = loss
    }
}

/// A fitted mixture-of-experts law.
public struct MoELawFit: Sendable {
    public let law: MoELaw
    /// Huber objective at the optimum.
    public let objective: Double
    /// Root-mean-square error of ln L over the runs.
    public let rmse: Double
    /// Runs fitted.
    public let runs: Int
}

/// Fits a mixture-of-experts law to runs by minimising the Huber loss of ln L (δ = 1e-3, as
/// Hoffmann et al. 2022 fit Chinchilla) with multi-start L-BFGS (`FitEngine`). The joint
/// law keeps Clark et al.'s transform constants at Ludziejewski et al.'s E_start and E_max
/// (fitting them needs many more expert counts than the 6 their runs span).
public enum MoELawFitter {
    /// - Throws: `LawError` when a run is not positive and finite, there are fewer runs than
    ///   constants, the runs do not vary the law's third variable (the joint law then has no
    ///   information on δ, γ, ω, ζ), or no start converges.
    public static func fit(_ runs: [MoERun], form: MoELawForm, delta: Double = 1e-3) throws(LawError) -> MoELawFit {
        for r in runs {
            for (q, v) in [("params", r.params), ("tokens", r.tokens), ("loss", r.loss)] { try requirePositive(v, q) }
            guard r.experts.isFinite, r.experts >= 1 else { throw .invalidInput(quantity: "experts", value: r.experts) }
            try requirePositive(r.granularity, "granularity")
        }
        let k = form.parameterNames.count
        guard runs.count > k else {
            throw .noOptimum("\(runs.count) runs cannot fit the \(k) constants of the \(form) law; give at least \(k + 1)")
        }
        let third = runs.map { form == .joint ? $0.experts : $0.granularity }
        guard Set(third).count >= 3 else {
            throw .noOptimum("the runs take \(Set(third).count) value(s) of \(form == .joint ? "experts" : "granularity"); the \(form) law needs at least 3")
        }
        let data = FitData(runs.map { TrainingRun(params: $0.params, tokens: $0.tokens, loss: $0.loss) })
        switch form {
        case .joint:
            let reference = JointExpertsLaw.ludziejewski2025
            let model = JointLogModel(logEffectiveExperts: runs.map { Foundation.log(reference.effectiveExperts($0.experts)) })
            let best = try solve(FitEngine(model: model, delta: delta), data, JointLogModel.grid)
            let t = best.theta
            let law = try JointExpertsLaw(a: Foundation.exp(t[0]), alpha: t[1], delta: t[2], gamma: t[3], b: Foundation.exp(t[4]),
                                          beta: t[5], omega: t[6], zeta: t[7], c: Foundation.exp(t[8]),
                                          expertsStart: reference.expertsStart, expertsMax: reference.expertsMax)
            return MoELawFit(law: .joint(law), objective: best.value, rmse: rmse(.joint(law), runs), runs: runs.count)
        case .granularity:
            let model = GranularityLogModel(logGranularity: runs.map { Foundation.log($0.granularity) })
            let best = try solve(FitEngine(model: model, delta: delta), data, GranularityLogModel.grid)
            let t = best.theta
            let law = try GranularityLaw(a: Foundation.exp(t[0]), alpha: t[3], b: Foundation.exp(t[4]), beta: t[5],
                                         g: Foundation.exp(t[1]), gamma: t[2], c: Foundation.exp(t[6]))
            return MoELawFit(law: .granularity(law), objective: best.value, rmse: rmse(.granularity(law), runs), runs: runs.count)
        }
    }

    private static func solve<M: LogLossPredictor>(_ engine: FitEngine<M>, _ data: FitData, _ grid: StartGrid) throws(LawError) -> Candidate {
        guard let best = engine.multiStart(data, grid: grid).first else { throw .noOptimum("no start converged") }
        return best
    }

    static func rmse(_ law: MoELaw, _ runs: [MoERun]) -> Double {
        let s = runs.reduce(0.0) { acc, r in
            let e = Foundation.log(law.loss(r)) - Foundation.log(r.loss)
            return acc + e * e
        }
        return (s / Double(runs.count)).squareRoot()
    }
}

/// ln L of the joint law, θ = (ln a, α, δ, γ, ln b, β, ω, ζ, ln c), with h = ln Ê per run:
/// LSE(ln a + δ h + (α + γ h) ln N, ln b + ω h + (β + ζ h) ln D, ln c).
struct JointLogModel: LogLossPredictor {
    let logEffectiveExperts: [Double]
    var dimension: Int { 9 }

    func logLoss(_ t: [Double], row i: Int, data: FitData, gradient g: inout [Double]) -> Double {
        let x = data.logParams[i], y = data.logTokens[i], h = logEffectiveExperts[i]
        let l = logSumExp3(t[0] + t[2] * h + (t[1] + t[3] * h) * x, t[4] + t[6] * h + (t[5] + t[7] * h) * y, t[8])
        g[0] = l.p0; g[1] = x * l.p0; g[2] = h * l.p0; g[3] = h * x * l.p0
        g[4] = l.p1; g[5] = y * l.p1; g[6] = h * l.p1; g[7] = h * y * l.p1
        g[8] = l.p2
        return l.value
    }

    /// Starts around the published fit: 3 × 3 × 2 × 2 × 3 × 3 × 2 × 2 × 3 = 3,888.
    static let grid = StartGrid(axes: [
        [2, 3.5, 5], [-0.35, -0.2, -0.08], [-0.3, 0.1], [-0.01, 0.02], [2, 3.5, 5], [-0.35, -0.2, -0.08], [-0.2, 0.5], [-0.04, 0.01],
        [-0.5, 0.3, 0.8],
    ])
}

/// ln L of the granularity law, θ = (ln a, ln g, γ, α, ln b, β, ln c):
/// LSE(ln g − γ ln G − α ln N, ln a − α ln N, ln b − β ln D, ln c).
struct GranularityLogModel: LogLossPredictor {
    let logGranularity: [Double]
    var dimension: Int { 7 }
    var lower: [Double]? { [-50, -50, 1e-3, 1e-3, -50, 1e-3, -30] }
    var upper: [Double]? { [100, 100, 5, 5, 100, 5, 5] }

    func logLoss(_ t: [Double], row i: Int, data: FitData, gradient g: inout [Double]) -> Double {
        let x = data.logParams[i], y = data.logTokens[i], lg = logGranularity[i]
        let z = [t[1] - t[2] * lg - t[3] * x, t[0] - t[3] * x, t[4] - t[5] * y, t[6]]
        let m = z.max()!
        let e = z.map { Foundation.exp($0 - m) }
        let s = e.reduce(0, +)
        let p = e.map { $0 / s }
        g[0] = p[1]; g[1] = p[0]; g[2] = -lg * p[0]; g[3] = -x * (p[0] + p[1])
        g[4] = p[2]; g[5] = -y * p[2]; g[6] = p[3]
        return m + Foundation.log(s)
    }

    /// Starts around the published fit: 3 × 3 × 2 × 3 × 3 × 3 × 3 = 1,458.
    static let grid = StartGrid(axes: [
        [0, 2.5, 5], [-1, 1, 3], [0.3, 0.9], [0.05, 0.12, 0.3], [1, 3.5, 6], [0.05, 0.15, 0.3], [-1, -0.5, 0.3],
    ])
}
