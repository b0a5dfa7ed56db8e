import Demand
import Foundation
import Hardware
import Numerics
import ScalingLaws

/// The independent evaluator: computes a plan's metrics from N, D and its fleet with the
/// direct formulas (law, 6ND, hardware model, demand series), never from the LP. Every
/// reported point goes through it, and its numbers are the ones printed.
public enum PlanEvaluator {
    public static func evaluate(_ problem: PlanningProblem, params n: Double, tokens d: Double, fleet: Fleet) -> PlanMetrics {
        let law = problem.law
        let u = problem.training.uniqueTokens
        let trained = law.unsafeLoss(params: n, tokens: d, uniqueTokens: u)
        let quantization = problem.quantizationChoice(fleet: fleet)
        let loss = trained + problem.quantization.loss(quantization, law: law, params: n, tokens: d, uniqueTokens: u)
        let t = problem.training
        let peak = t.hardware.peakFLOPS(for: .bf16) ?? .nan
        let trainFLOPs = 6 * n * d
        let deviceSeconds = trainFLOPs / (peak * t.mfu)
        let devices = t.devicesUsed(deviceSeconds: deviceSeconds, daysMax: problem.constraints.trainDaysMax)
        let watts = PowerModel.trainingWatts(profile: t.hardware, mfu: t.mfu)

        var inferenceFLOPs = 0.0, inferenceCost = 0.0, inferenceJoules = 0.0
        var ttft: Double?, tpot: Double?
        if let inf = problem.inference, !inf.modelsServing {
            // A pure-FLOP question: inference is 2N FLOPs per token, and nothing else is known.
            let (p, o) = inf.lifetimeTokens
            inferenceFLOPs = 2 * n * (p + o)
            inferenceCost = .nan
            inferenceJoules = .nan
        } else if let inf = problem.inference {
            let (p, o) = inf.lifetimeTokens
            // Prompt tokens found in the prefix cache are not computed.
            inferenceFLOPs = 2 * n * (p * (1 - inf.prefixCacheHitRate) + o)
            let cost = servingCost(inf, fleet)
            inferenceCost = cost.usd
            inferenceJoules = cost.joules
            ttft = fleet.assignments.map { $0.replica.ttftSeconds * 1000 }.max()
            tpot = fleet.assignments.map { $0.replica.tpotSeconds * 1000 }.max()
        }
        let samples = problem.lossUncertainty.map { $0.losses(params: n, tokens: d, uniqueTokens: u, quantization: quantization, model: problem.quantization) }
        return PlanMetrics(
            params: n, model: problem.modelChoice(params: n)?.name, architecture: problem.architecture?.label,
            totalParams: problem.architecture?.moe?.totalParameters(activeParameters: n), tokens: d, loss: loss, trainedLoss: trained,
            quantization: quantization, downstreamError: law.downstream?.error(atLoss: loss),
            lossLow: samples.map { LossUncertainty.quantile($0, LossUncertainty.band.low) },
            lossHigh: samples.map { LossUncertainty.quantile($0, LossUncertainty.band.high) },
            lossAtConfidence: problem.lossUncertainty?.confidence.flatMap { c in samples.map { LossUncertainty.quantile($0, c) } },
            trainFLOPs: trainFLOPs, trainDevices: devices, trainDays: deviceSeconds / Double(devices) / 86_400,
            trainDeviceHours: deviceSeconds / 3600, trainCost: trainCost(problem, deviceSeconds: deviceSeconds),
            trainEnergyKWh: deviceSeconds * watts * t.pue / 3.6e6,
            inferenceFLOPs: inferenceFLOPs, inferenceCost: inferenceCost, inferenceEnergyKWh: inferenceJoules / 3.6e6,
            fleet: fleet, ttftMs: ttft, tpotMs: tpot, carbonIntensity: problem.inference?.carbonIntensity)
    }

    /// Training cost (USD) of a model of `n` parameters on `d` tokens: 6 N D FLOPs at the
    /// training hardware's bf16 peak times its MFU, paid by the device-hour.
    public static func trainCost(_ problem: PlanningProblem, params n: Double, tokens d: Double) -> Double {
        let t = problem.training
        let peak = t.hardware.peakFLOPS(for: .bf16) ?? .nan
        return trainCost(problem, deviceSeconds: 6 * n * d / (peak * t.mfu))
    }

    private static func trainCost(_ problem: PlanningProblem, deviceSeconds: Double) -> Double {
        deviceSeconds / 3600 * problem.training.usdPerDeviceHour
    }

    /// Cost (USD) and energy (J) of serving the demand with `fleet`, summed over the horizon.
    public static func servingCost(_ inf: InferenceSetup, _ fleet: Fleet) -> (usd: Double, joules: Double) {
        monthlyServing(inf, fleet).reduce((0.0, 0.0)) { ($0.0 + $1.usd, $0.1 + $1.joules) }
    }

    /// Cost (USD) and energy (J) of serving, month by month (one entry for a token total).
    ///
    /// A forecast: each month pays for its provisioned replicas for the whole month, as bought
    /// (`Fleet.cost(month:months:)`: on demand, its share of reserved terms, changes); requests
    /// are shared among assignments in proportion to their capacity; busy device time draws the
    /// replica's busy energy, and the rest of the provisioned device time idles at idle power.
    /// A token total: the fleet is busy all the time it is paid for.
    public static func monthlyServing(_ inf: InferenceSetup, _ fleet: Fleet) -> [(usd: Double, joules: Double)] {
        switch inf.demand {
        case .totalTokens:
            guard let a = fleet.assignments.first else { return [(.nan, .nan)] }
            let requests = inf.lifetimeRequests
            let deviceHours = requests * a.replica.deviceSecondsPerRequest / 3600
            return [(deviceHours * a.replica.option.usdPerDeviceHour, requests * a.replica.busyJoulesPerRequest)]
        case .forecast(let forecast):
            let series = forecast.series()
            return series.enumerated().map { m, month in
                let bought = fleet.cost(month: m, months: series.count)
                let usd = bought.onDemand + bought.reserved + bought.changes
                var joules = 0.0
                let capacity = fleet.capacity(month: m)
                for a in fleet.assignments {
                    let replicas = Double(a.replicasByMonth[m])
                    let provisionedSeconds = replicas * Double(a.replica.devices) * Fleet.hoursPerMonth * 3600
                    let share = capacity > 0 ? replicas * a.replica.requestsPerSecond / capacity : 0
                    let requests = month.requests * share
                    let busySeconds = min(provisionedSeconds, requests * a.replica.deviceSecondsPerRequest)
                    joules += requests * a.replica.busyJoulesPerRequest
                        + (provisionedSeconds - busySeconds) * a.replica.option.hardware.idleW.value * inf.pue
                }
                return (usd, joules)
            }
        }
    }

    /// A constraint the plan breaks: what, its value and its bound.
    public struct Violation: Sendable, Equatable {
        public let constraint: String
        public let value: Double
        public let bound: Double
    }

    /// Every constraint of the problem the plan breaks by more than `relative` (1e-6 default),
    /// including serving capacity below a month's peak and availability caps.
    public static func violations(_ problem: PlanningProblem, _ m: PlanMetrics, relative: Double = 1e-6) -> [Violation] {
        var out: [Violation] = []
        let c = problem.constraints
        func check(_ name: String, _ value: Double, max bound: Double?) {
            if let bound, value > bound * (1 + relative) + 1e-300 { out.append(Violation(constraint: name, value: value, bound: bound)) }
        }
        func checkMin(_ name: String, _ value: Double, min bound: Double) {
            if value < bound * (1 - relative) { out.append(Violation(constraint: name, value: value, bound: bound)) }
        }
        for o in Objective.allCases { check(o.constraintKey, m.value(o), max: c.bound(on: o)) }
        check("params_max", m.params, max: c.paramsMax)
        checkMin("params_min", m.params, min: c.paramsMin)
        check("tokens_per_param_max", m.tokensPerParam, max: c.tokensPerParamMax)
        checkMin("tokens_per_param_min", m.tokensPerParam, min: c.tokensPerParamMin)
        if let inf = problem.inference {
            if let s = inf.slo.ttftSeconds, let v = m.ttftMs { check("slo_ttft_ms", v, max: s * 1000) }
            if let s = inf.slo.tpotSeconds, let v = m.tpotMs { check("slo_tpot_ms", v, max: s * 1000) }
            if case .forecast(let f) = inf.demand {
                for (i, month) in f.series().enumerated() {
                    checkMin("capacity_month_\(i + 1)", m.fleet.capacity(month: i), min: month.peakRequestsPerSecond)
                    let byType = Dictionary(grouping: m.fleet.assignments, by: { $0.replica.option.hardwareName })
                    for (name, group) in byType {
                        guard let cap = group.compactMap({ $0.replica.option.maxDevices }).min() else { continue }
                        let used = group.reduce(0) { $0 + $1.replicasByMonth[i] * $1.replica.devices }
                        check("available_\(name)_month_\(i + 1)", Double(used), max: Double(cap))
                    }
                }
            }
        }
        return out
    }
}
