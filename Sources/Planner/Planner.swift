import Foundation
import Hardware
import ScalingLaws

/// Solves planning problems: one objective under bounds (`minimize`), Pareto frontiers
/// (`Frontier`), and explanations of infeasibility.
public struct Planner: Sendable {
    public let problem: PlanningProblem
    /// Fleets sized so far, by model size.
    let fleets = FleetCache()

    public init(problem: PlanningProblem) { self.problem = problem }

    /// The result of minimising one objective.
    public enum Solution: Sendable {
        case optimal(PlanMetrics)
        case infeasible
    }

    /// Minimises `objective` subject to `constraints` (the problem's own by default).
    ///
    /// The continuous core is the convex program of `ConvexProgram` over (ln N, ln D),
    /// solved by GLPK outer approximation and polished, exact without serving. With serving,
    /// the roofline serving terms are linearised at the current model size (up to three
    /// rounds) and the answer seeds `searchSizes`, which minimises over N with D solved exactly
    /// for each size and the fleet sized by the fleet MILP; every plan is evaluated
    /// independently. With `problem.modelChoices` the size is chosen among them instead
    /// (`minimizeOverChoices`).
    ///
    /// The plan returned meets every constraint when re-evaluated (`PlanEvaluator.violations`).
    /// Should the evaluated plan overshoot a bound the model met, that bound is tightened by the
    /// overshoot and the problem solved again (at most 8 rounds), and a plan that still breaks a
    /// constraint is reported as infeasible rather than returned.
    public func minimize(_ objective: Objective, constraints: PlanConstraints? = nil) throws(PlanError) -> Solution {
        let target = constraints ?? problem.constraints
        var checked = problem
        checked.constraints = target
        var bounds = target
        for _ in 0..<8 {
            guard case .optimal(let m) = try minimizeOnce(objective, bounds) else { return .infeasible }
            if PlanEvaluator.violations(checked, m).isEmpty { return .optimal(m) }
            var tightened = false
            for o in Objective.allCases {
                guard let b = target.bound(on: o), let current = bounds.bound(on: o), m.value(o) > b * (1 + 1e-6) else { continue }
                bounds = bounds.setting(o, to: current * b / m.value(o) * (1 - 1e-6))
                tightened = true
            }
            if !tightened { return .infeasible }
        }
        return .infeasible
    }

    private func minimizeOnce(_ objective: Objective, _ constraints: PlanConstraints) throws(PlanError) -> Solution {
        var bounds = constraints
        if let choices = problem.modelChoices { return try minimizeOverChoices(objective, bounds, choices) }
        var linearisation: PlanMetrics? = nil
        if problem.inference != nil {
            guard let servable = try largestServableParams(bounds) else { return .infeasible }
            bounds.paramsMax = min(bounds.paramsMax, servable)
            let start = (bounds.paramsMin * bounds.paramsMax).squareRoot()
            linearisation = try metrics(params: min(max(start, 1e8), bounds.paramsMax), tokens: 1)
        }
        var point: (x: Double, y: Double)?
        // Without serving the convex program is exact: one solve. With serving its linearised
        // answer only seeds the search over N (`searchSizes`), so three rounds suffice.
        for _ in 0..<(problem.inference == nil ? 1 : 3) {
            let model = ObjectiveModel(problem: problem, linearisedAt: linearisation)
            guard let next = try solveContinuous(objective, bounds, model) else { break }
            let moved = point.map { abs($0.x - next.x) } ?? .infinity
            point = next
            if problem.inference == nil { break }
            linearisation = try metrics(params: Foundation.exp(next.x), tokens: Foundation.exp(next.y))
            if moved < 1e-6 { break }
        }
        if problem.inference != nil {
            // Re-solve D exactly at the seed's size, then search N on the exact metrics (the
            // linearised GLPK answer may sit beside a jump of the serving cost, or be infeasible
            // where another size is not).
            var seed: PlanMetrics?
            if point != nil, let l = linearisation { seed = try minimizeTokens(objective, bounds, params: l.params) }
            return try searchSizes(objective, bounds, start: seed).map { .optimal($0) } ?? .infeasible
        }
        guard let point else { return .infeasible }
        return .optimal(try metrics(params: Foundation.exp(point.x), tokens: Foundation.exp(point.y)))
    }

    /// The largest model size in the search range that some serving option can run within
    /// memory, the SLO and the availability caps (all worsen as N grows), by bisection in
    /// ln N to 1e-9; nil when not even the smallest can be served.
    public func largestServableParams(_ c: PlanConstraints) throws(PlanError) -> Double? {
        try fleets.largestServable(c.paramsMin...c.paramsMax) { () throws(PlanError) in try findLargestServable(c) }
    }

    private func findLargestServable(_ c: PlanConstraints) throws(PlanError) -> Double? {
        func servable(_ n: Double) throws(PlanError) -> Bool {
            guard let inf = problem.inference else { return true }
            let replicas = self.replicas(inf, params: n)
            guard !replicas.isEmpty else { return false }
            guard case .forecast(let f) = inf.demand else { return true }
            return f.totals.peakRequestsPerSecond <= FleetSizer.capacityCeiling(replicas)
        }
        if try servable(c.paramsMax) { return c.paramsMax }
        guard try servable(c.paramsMin) else { return nil }
        var lo = Foundation.log(c.paramsMin), hi = Foundation.log(c.paramsMax)
        while hi - lo > 1e-9 {
            let mid = (lo + hi) / 2
            if try servable(Foundation.exp(mid)) { lo = mid } else { hi = mid }
        }
        return Foundation.exp(lo)
    }

    /// Metrics of a plan with the fleet sized for it.
    public func metrics(params: Double, tokens: Double) throws(PlanError) -> PlanMetrics {
        PlanEvaluator.evaluate(problem, params: params, tokens: tokens, fleet: try fleet(params: params))
    }

    /// The serving fleet for a model of `params` parameters: the fleet MILP for a forecast,
    /// the cheapest option per request for a lifetime token total, none without serving.
    public func fleet(params: Double) throws(PlanError) -> Fleet {
        guard problem.inference != nil else { return Fleet(assignments: []) }
        return try fleets.fleet(params: params) { n throws(PlanError) in try sizeFleet(params: n) }
    }

    private func sizeFleet(params: Double) throws(PlanError) -> Fleet {
        guard let inf = problem.inference else { return Fleet(assignments: []) }
        let replicas = self.replicas(inf, params: params)
        guard !replicas.isEmpty else { throw .noServingOption(params: params) }
        switch inf.demand {
        case .totalTokens:
            let best = replicas.min { $0.deviceSecondsPerRequest * $0.option.usdPerDeviceHour < $1.deviceSecondsPerRequest * $1.option.usdPerDeviceHour }!
            return Fleet(assignments: [FleetAssignment(replica: best, replicasByMonth: [])],
                         busyDeviceHours: inf.lifetimeRequests * best.deviceSecondsPerRequest / 3600)
        case .forecast(let forecast):
            do {
                return try FleetSizer.size(replicas: replicas, demand: forecast)
            } catch {
                switch error {
                case .noServingOption: throw .noServingOption(params: params)
                case .capacityShort(let m): throw .capacityShort(params: params, month: m)
                case .solver(let s): throw .solver(s)
                }
            }
        }
    }

    /// Replica specs of every serving option that can run a model of `params` parameters.
    func replicas(_ inf: InferenceSetup, params: Double) -> [ReplicaSpec] {
        let request = inf.requestShape
        let shape = problem.modelChoice(params: params)?.shape
        return inf.options.compactMap {
            ServingModel.replica(option: $0, params: params, shape: shape, prompt: request.prompt, output: request.output, slo: inf.slo,
                                 fixedUtilisation: inf.fixedUtilisation, pue: inf.pue)
        }
    }

    private func solveContinuous(_ objective: Objective, _ c: PlanConstraints, _ model: ObjectiveModel) throws(PlanError) -> (x: Double, y: Double)? {
        if !problem.lossIsPosynomial {
            // Not a posynomial: search over N with D profiled out (see ProfileSearch); the loss
            // falls with D for the data-constrained law and for an order statistic of samples.
            return try ProfileSearch(objective: objective, model: model, bounds: c) { x, y in
                problem.boundedLoss(params: Foundation.exp(x), tokens: Foundation.exp(y))
            }.solve()
        }
        var constraints: [ConvexProgram.Constraint] = []
        for o in Objective.allCases {
            guard let b = c.bound(on: o) else { continue }
            let f = try model.function(o)
            constraints.append(.init(name: "\(o.rawValue)_max", function: f.posynomial, bound: f.bound(b)))
        }
        let program = ConvexProgram(
            objective: try model.function(objective).posynomial, constraints: constraints,
            xRange: Foundation.log(c.paramsMin)...Foundation.log(c.paramsMax),
            ratioRange: Foundation.log(c.tokensPerParamMin)...Foundation.log(c.tokensPerParamMax))
        do {
            switch try program.solve() {
            case .infeasible: return nil
            case .optimal(let x, let y, _): return program.polish(x: x, y: y)
            }
        } catch {
            throw .solver("\(error)")
        }
    }
}
