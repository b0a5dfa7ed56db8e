import Demand
import Foundation
import Hardware
import PlanModel
import ScalingLaws

/// A plan's metrics re-derived from first principles: the law's formula, the hardware
/// profile's figures and the demand forecast's parameters, with loops and formulas written
/// here, apart from `PlanEvaluator` (which the solver and the report use). Nothing here calls
/// PlanEvaluator, ServingModel or the demand series, so a wrong evaluator disagrees with it.
///
/// Only the replica's own performance (time to first token, time per token, throughput and
/// energy at its batch) comes from the hardware module's roofline (`ServingEstimate`), called
/// directly at the replica's batch and tensor-parallel degree; or, with fixed utilisations,
/// from Sardana et al.'s formulas written out here.
struct IndependentMetrics {
    var loss: Double
    var lossLow: Double?
    var lossHigh: Double?
    var lossAtConfidence: Double?
    var trainFLOPs: Double
    var trainDeviceHours: Double
    var trainDays: Double
    var trainCost: Double
    var trainEnergyKWh: Double
    var inferenceFLOPs: Double
    var inferenceCost: Double
    var inferenceEnergyKWh: Double
    var ttftMs: Double?
    var tpotMs: Double?

    /// Seconds in the average month (365.25 / 12 days).
    static let secondsPerMonth = 365.25 / 12 * 86_400

    /// `quantization` is the precision and method the plan says its fleet is held to; the
    /// served loss adds its quantisation loss, written out here from Kumar et al. 2024.
    init(_ problem: PlanningProblem, params n: Double, tokens d: Double, devices: Int, fleet: Fleet, quantization: QuantizationChoice?) {
        let u = problem.training.uniqueTokens
        func served(_ law: ScalingLaw) -> Double {
            Self.loss(law, n, d, u) + Self.quantizationLoss(problem.quantization, quantization, law, n, d, u)
        }
        loss = served(problem.law)
        if let option = problem.architecture {
            // The joint law of Ludziejewski et al. 2025 (eq. 6) written out, at the
            // architecture's expansion, rather than the Chinchilla slice the planner uses.
            let l = option.jointLaw
            let e = option.moe.map { Double($0.experts) / Double($0.activeExperts) } ?? 1
            let offset = 1 / (1 / l.expertsStart - 1 / l.expertsMax)
            let h = Foundation.log(1 / (1 / (e - 1 + offset) + 1 / l.expertsMax))
            let trained = l.a * Foundation.exp(l.delta * h) * pow(n, l.alpha + l.gamma * h)
                + l.b * Foundation.exp(l.omega * h) * pow(d, l.beta + l.zeta * h) + l.c
            loss = trained + Self.quantizationLoss(problem.quantization, quantization, problem.law, n, d, u)
        }
        if let samples = problem.lossUncertainty?.samples {
            let sorted = samples.map(served).sorted()
            lossLow = Self.nearestRank(sorted, 0.05)
            lossHigh = Self.nearestRank(sorted, 0.95)
            lossAtConfidence = problem.lossUncertainty?.confidence.map { Self.nearestRank(sorted, $0) }
        }

        let t = problem.training
        let peak = (t.hardware.peakTFLOPS[.bf16]?.value ?? .nan) * 1e12
        trainFLOPs = 6 * n * d
        let deviceSeconds = trainFLOPs / (peak * t.mfu)
        trainDeviceHours = deviceSeconds / 3600
        trainDays = deviceSeconds / Double(devices) / 86_400
        trainCost = trainDeviceHours * t.usdPerDeviceHour
        let idle = t.hardware.idleW.value, tdp = t.hardware.tdpW.value
        let watts = idle + (tdp - idle) * min(1, max(0, t.hardware.efficiency.trainingPowerFactor.value * t.mfu))
        trainEnergyKWh = deviceSeconds * watts * t.pue / 3.6e6

        inferenceFLOPs = 0
        inferenceCost = 0
        inferenceEnergyKWh = 0
        guard let inf = problem.inference else { return }
        ttftMs = fleet.assignments.map { $0.replica.ttftSeconds * 1000 }.max()
        tpotMs = fleet.assignments.map { $0.replica.tpotSeconds * 1000 }.max()
        switch inf.demand {
        case .totalTokens(let tokens, let p, let o):
            let requests = tokens / Double(p + o)
            // Prompt tokens found in the prefix cache are not computed.
            let cached = requests * Double(p) * inf.prefixCacheHitRate
            inferenceFLOPs = 2 * n * (tokens - cached)
            if let a = fleet.assignments.first {
                inferenceCost = requests * Double(a.replica.devices) / a.replica.requestsPerSecond / 3600 * a.replica.option.usdPerDeviceHour
                inferenceEnergyKWh = requests * a.replica.busyJoulesPerRequest / 3.6e6
            } else {
                inferenceCost = .nan
                inferenceEnergyKWh = .nan
            }
        case .forecast(let f):
            for m in 0..<f.horizonMonths {
                let requests = Self.requests(f, month: m)
                inferenceFLOPs += 2 * n * requests * (f.promptTokens - f.promptTokens * inf.prefixCacheHitRate + f.outputTokens)
                let capacity = fleet.assignments.reduce(0.0) { $0 + Double($1.replicasByMonth[m]) * $1.replica.requestsPerSecond }
                let reserved = Dictionary(uniqueKeysWithValues: fleet.reservations.map { ($0.hardware, $0) })
                var inUse: [String: Int] = [:]
                for a in fleet.assignments {
                    let replicas = Double(a.replicasByMonth[m])
                    let provisioned = replicas * Double(a.replica.devices) * Self.secondsPerMonth
                    if reserved[a.replica.option.hardwareName] == nil {
                        inferenceCost += provisioned / 3600 * a.replica.option.usdPerDeviceHour
                    } else {
                        inUse[a.replica.option.hardwareName, default: 0] += a.replicasByMonth[m] * a.replica.devices
                    }
                    if m > 0 {
                        inferenceCost += Double(abs(a.replicasByMonth[m] - a.replicasByMonth[m - 1])) * fleet.changeCostReplicaHours
                            * Double(a.replica.devices) * a.replica.option.usdPerDeviceHour
                    }
                    let served = capacity > 0 ? requests * replicas * a.replica.requestsPerSecond / capacity : 0
                    let busy = min(provisioned, served * Double(a.replica.devices) / a.replica.requestsPerSecond)
                    inferenceEnergyKWh += (served * a.replica.busyJoulesPerRequest
                        + (provisioned - busy) * a.replica.option.hardware.idleW.value * inf.pue) / 3.6e6
                }
                // Reserved accelerators: devices beyond the term's commitment are on demand.
                for (name, r) in reserved {
                    let beyond = max(0, (inUse[name] ?? 0) - r.devicesByTerm[m / r.termMonths])
                    inferenceCost += Double(beyond) * Self.secondsPerMonth / 3600 * r.usdPerDeviceHour
                }
            }
            // Each term's commitment, paid in full (even months past the horizon).
            for r in fleet.reservations {
                for held in r.devicesByTerm {
                    inferenceCost += Double(held) * Double(r.termMonths) * Self.secondsPerMonth / 3600 * r.usdPerDeviceHour * (1 - r.discount)
                }
            }
        }
    }

    /// The loss of `law` at (N, D) with U unique tokens, from each family's published formula.
    /// The loss of serving at `choice`: nothing at 16 bits or more; after-training rounding
    /// adds the stated constant or Kumar et al. 2024's eq. 2, C_T D^gamma_D / N^gamma_N
    /// e^(-P / gamma_post); quantisation-aware training loses what N (1 - e^(-P / gamma_w))
    /// parameters lose against N (eq. 4).
    static func quantizationLoss(_ model: QuantizationModel, _ choice: QuantizationChoice?, _ law: ScalingLaw,
                                 _ n: Double, _ d: Double, _ u: Double?) -> Double {
        guard let choice else { return 0 }
        let bits: Double = switch choice.precision {
        case .fp32: 32
        case .bf16: 16
        case .fp8, .int8: 8
        case .int4, .mxfp4, .nvfp4: 4
        }
        guard bits < 16 else { return 0 }
        switch choice.method {
        case .postTraining:
            switch model.postTraining {
            case nil: return 0
            case .fixed(let table): return table[choice.precision] ?? 0
            case .law(let l): return l.cT * pow(d, l.gammaD) / pow(n, l.gammaN) * exp(-bits / l.gammaPost)
            }
        case .quantizationAware:
            let nEff = n * (1 - exp(-bits / model.quantizationAware.gammaW))
            return loss(law, nEff, d, u) - loss(law, n, d, u)
        }
    }

    static func loss(_ law: ScalingLaw, _ n: Double, _ d: Double, _ u: Double?) -> Double {
        func chinchilla(_ l: ChinchillaLaw, _ n: Double, _ d: Double) -> Double { l.E + l.A / pow(n, l.alpha) + l.B / pow(d, l.beta) }
        switch law {
        case .chinchilla(let l): return chinchilla(l, n, d)
        case .kaplan(let l): return pow(pow(l.Nc / n, l.alphaN / l.alphaD) + l.Dc / d, l.alphaD)
        case .overtrain(let l):
            // Gadre et al. 2024, eq. 4: L(N, M) = E + a N^b + c 6^(b/2) (M N)^b with M = D / N.
            return l.E + l.a * pow(n, l.b) + l.c * pow(6, l.b / 2) * pow(d, l.b)
        case .dataConstrained(let l):
            // Muennighoff et al. 2023, eqs. 5-7.
            guard let u else { return chinchilla(l.base, n, d) }
            let b = l.base
            var dEff = d
            if d > u { dEff = u + u * l.rStarD * (1 - exp(-(d / u - 1) / l.rStarD)) }
            // The compute-optimal size for U tokens: N = G (U G)^(beta / alpha), G = (alpha A / (beta B))^(1 / (alpha + beta)).
            let g = pow(b.alpha * b.A / (b.beta * b.B), 1 / (b.alpha + b.beta))
            let un = min(n, g * pow(u * g, b.beta / b.alpha))
            var nEff = n
            if n > un { nEff = un + un * l.rStarN * (1 - exp(-(n / un - 1) / l.rStarN)) }
            return chinchilla(b, nEff, dEff)
        }
    }

    /// The ⌈q S⌉-th smallest of sorted values (nearest rank), with a 1e-9 allowance so that
    /// q S an integer in exact arithmetic is not rounded up by floating point.
    static func nearestRank(_ sorted: [Double], _ q: Double) -> Double {
        let k = Int((q * Double(sorted.count) - 1e-9).rounded(.up))
        return sorted[min(sorted.count, max(1, k)) - 1]
    }

    /// Requests in month m (0-based), from the forecast's parameters.
    static func requests(_ f: DemandForecast, month m: Int) -> Double {
        let days = 365.25 / 12
        switch f.growth {
        case .constant: return f.requestsPerDay * days
        case .linear(let g): return f.requestsPerDay * (1 + g * Double(m)) * days
        case .exponential(let g): return f.requestsPerDay * pow(1 + g, Double(m)) * days
        case .monthly(let table): return table[m]
        }
    }

    /// The peak request rate of month m, requests per second.
    static func peakRate(_ f: DemandForecast, month m: Int) -> Double {
        requests(f, month: m) / secondsPerMonth * f.peakToMean
    }
}
