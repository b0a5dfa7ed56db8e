import Foundation
import GLPK
import Hardware
import Numerics
import PlanModel
import ScalingLaws

/// An objective as a posynomial in (x, y) = (ln N, ln D), with the map from a bound on the
/// objective to a bound on the posynomial (identity, except Kaplan's loss, whose 1/alphaD-th
/// power is a posynomial).
struct ObjectiveFunction {
    var posynomial: Posynomial
    var bound: (Double) -> Double
}

/// Builds the posynomial form of each objective. Training terms and the fixed-utilisation
/// serving terms are exact (cost, energy and FLOPs proportional to N D and N). Roofline
/// serving is linearised at a model size N0: its cost, energy and latency enter as
/// k(N0) N with k(N0) = value(N0) / N0, and the planner iterates N0 to a fixed point.
struct ObjectiveModel {
    let problem: PlanningProblem
    /// Serving metrics of the fleet at the linearisation size, per parameter.
    let servingCostPerParam: Double
    let servingEnergyPerParam: Double
    let latencyPerParam: Double

    init(problem: PlanningProblem, linearisedAt metrics: PlanMetrics?) {
        self.problem = problem
        let n = metrics?.params ?? 1
        servingCostPerParam = (metrics?.inferenceCost ?? 0) / n
        servingEnergyPerParam = (metrics?.inferenceEnergyKWh ?? 0) / n
        latencyPerParam = (metrics?.tpotMs ?? 0) / n
    }

    func function(_ o: Objective) throws(PlanError) -> ObjectiveFunction {
        let t = problem.training
        let peak = t.hardware.peakFLOPS(for: .bf16) ?? .nan
        let trainSecondsPerND = 6 / (peak * t.mfu)
        func f(_ terms: [Posynomial.Term]) -> ObjectiveFunction { ObjectiveFunction(posynomial: Posynomial(terms: terms), bound: { $0 }) }
        switch o {
        case .loss: return try lossFunction()
        case .compute:
            let (p, q) = problem.inference?.lifetimeTokens ?? (0, 0)
            return f([.init(6, a: 1, b: 1), .init(2 * (p + q), a: 1, b: 0)])
        case .trainTime:
            return f([.init(trainSecondsPerND / Double(t.devices) / 86_400, a: 1, b: 1)])
        case .cost:
            return f([.init(trainSecondsPerND / 3600 * t.usdPerDeviceHour, a: 1, b: 1), .init(servingCostPerParam, a: 1, b: 0)])
        case .energy:
            let w = PowerModel.trainingWatts(profile: t.hardware, mfu: t.mfu)
            return f([.init(trainSecondsPerND * w * t.pue / 3.6e6, a: 1, b: 1), .init(servingEnergyPerParam, a: 1, b: 0)])
        case .latency:
            return f([.init(latencyPerParam, a: 1, b: 0)])
        }
    }

    private func lossFunction() throws(PlanError) -> ObjectiveFunction {
        // The served loss: quantisation-aware training scales N by N_eff / N; post-training
        // rounding adds a constant or Kumar et al.'s monomial C N^-gamma_N D^gamma_D.
        let choice = problem.solverQuantization.flatMap { QuantizationModel.isQuantized($0.precision) ? $0 : nil }
        let nScale = choice?.method == .quantizationAware
            ? problem.quantization.quantizationAware.effectiveParamsFraction(bits: choice!.precision.bits) : 1
        var added: (constant: Double, terms: [Posynomial.Term]) = (0, [])
        if let choice, choice.method == .postTraining {
            switch problem.quantization.postTraining {
            case nil: break
            case .fixed(let table): added.constant = table[choice.precision] ?? 0
            case .law(let l): added.terms = [.init(l.coefficient(bits: choice.precision.bits), a: -l.gammaN, b: l.gammaD)]
            }
        }
        func chinchilla(_ l: ChinchillaLaw) -> ObjectiveFunction {
            ObjectiveFunction(
                posynomial: Posynomial(constant: l.E + added.constant,
                                       terms: [.init(l.A * Foundation.pow(nScale, -l.alpha), a: -l.alpha, b: 0), .init(l.B, a: 0, b: -l.beta)] + added.terms),
                bound: { $0 })
        }
        switch problem.law {
        case .chinchilla(let l): return chinchilla(l)
        case .overtrain(let l): return chinchilla(l.chinchilla)
        case .kaplan(let k):
            // Only without an added degradation (`lossIsPosynomial`).
            let r = k.alphaN / k.alphaD
            return ObjectiveFunction(
                posynomial: Posynomial(terms: [.init(Foundation.pow(k.Nc / nScale, r), a: -r, b: 0), .init(k.Dc, a: 0, b: -1)]),
                bound: { Foundation.pow($0, 1 / k.alphaD) })
        case .dataConstrained(let l):
            // With a unique-token limit the planner uses ProfileSearch instead of this form.
            return chinchilla(l.base)
        }
    }
}
