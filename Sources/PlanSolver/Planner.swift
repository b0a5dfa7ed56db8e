import Foundation
import GLPK
import Hardware
import Numerics
import PlanModel
import ScalingLaws

/// Solves planning problems: one objective under bounds (`minimize`), Pareto frontiers
/// (`Frontier`), and explanations of infeasibility.
public struct Planner: Sendable {
    public let problem: PlanningProblem
    /// Fleets sized so far, by model size.
    let fleets: FleetCache
    /// One planner per architecture when the problem compares several
    /// (`PlanningProblem.architectureOptions`), else one per quantisation choice when the
    /// serving options span precisions with different served losses
    /// (`PlanningProblem.quantizationChoices`), best precision first; empty when one problem
    /// covers every option.
    let choices: [Planner]

    public init(problem: PlanningProblem) {
        if !problem.architectureOptions.isEmpty {
            // One planner per architecture, each with its own quantisation choices.
            self.init(problem: problem, fleets: FleetCache(),
                      choices: problem.architectureOptions.map { Planner(problem: problem.restricted(to: $0)) })
            return
        }
        // The choices serve subsets of the same options with the same setup: one spec store.
        let specs = ReplicaSpecStore()
        self.init(problem: problem, fleets: FleetCache(specs: specs),
                  choices: problem.quantizationChoices.map { Planner(problem: problem.restricted(to: $0), fleets: FleetCache(specs: specs), choices: []) })
    }

    private init(problem: PlanningProblem, fleets: FleetCache, choices: [Planner]) {
        self.problem = problem
        self.fleets = fleets
        self.choices = choices
    }

    /// A planner for the same problem starting from a copy of this one's fleets: solves on
    /// the copy see the same sizes cached as solves here would have, whatever runs beside
    /// them, so answers do not depend on thread timing.
    func forked() -> Planner { Planner(problem: problem, fleets: fleets.copy(), choices: choices.map { $0.forked() }) }

    /// The result of minimising one objective.
    public enum Solution: Sendable {
        case optimal(PlanMetrics)
        case infeasible
    }

    /// Minimises `objective` subject to `constraints` (the problem's own by default).
    ///
    /// The continuous core is the convex program of `ConvexProgram` over (ln N, ln D),
    /// solved by GLPK outer approximation and polished, exact without serving. With serving,
    /// `searchSizes` minimises over N with D solved exactly for each size and the fleet sized
    /// by the fleet MILP (the serving terms jump with N, so the convex program linearised at one
    /// size is only the fallback for a feasible window narrower than the scan's spacing); every
    /// plan is evaluated independently. With `problem.modelChoices` the size is chosen among them instead
    /// (`minimizeOverChoices`).
    ///
    /// The plan returned meets every constraint when re-evaluated (`PlanEvaluator.violations`).
    /// Should the evaluated plan overshoot a bound the model met, that bound is tightened by the
    /// overshoot and the problem solved again (at most 8 rounds), and a plan that still breaks a
    /// constraint is reported as infeasible rather than returned.
    ///
    /// When the options span several quantisation choices each is solved on its own (its
    /// options no worse than its precision, the loss served at it) and the best plan wins; on a
    /// tie the better precision. The choices are solved worst precision first, each later one
    /// bounded by the best objective value so far.
    public func minimize(_ objective: Objective, constraints: PlanConstraints? = nil) throws(PlanError) -> Solution {
        if !choices.isEmpty {
            // Worst precision first (it has every option, and is usually the cheapest); each
            // better precision then only has to match the best plan so far, a bound that lets
            // its search prune most of the range. A tie goes to the better precision.
            var best: PlanMetrics?
            let base = constraints ?? problem.constraints
            for planner in choices.reversed() {
                let bounds = best.map { base.tightened(objective, to: $0.value(objective) * (1 + 1e-12)) } ?? base
                guard case .optimal(let m) = try planner.minimize(objective, constraints: bounds) else { continue }
                if let b = best, m.value(objective) > b.value(objective) * (1 + 1e-12) { continue }
                best = m
            }
            return best.map { .optimal($0) } ?? .infeasible
        }
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
        guard problem.inference?.modelsServing == true else {
            // Without serving (or with inference counted in FLOPs only) the convex program is
            // exact: one solve.
            let point = try solveContinuous(objective, bounds, ObjectiveModel(problem: problem, linearisedAt: nil))
            guard let point else { return .infeasible }
            return .optimal(try metrics(params: Foundation.exp(point.x), tokens: Foundation.exp(point.y)))
        }
        // With serving the objective jumps with the derived shape, batch, tensor-parallel degree
        // and replica counts: search N on the exact metrics, D solved exactly per size.
        guard let servable = try largestServableParams(bounds) else { return .infeasible }
        bounds.paramsMax = min(bounds.paramsMax, servable)
        if let best = try searchSizes(objective, bounds) { return .optimal(best) }
        // No scanned size has a feasible plan: the feasible sizes, if any, lie between scan
        // points. The convex program with the serving terms linearised at the middle of the
        // range finds one where the linearisation is good; D is then solved exactly there.
        let middle = min(max((bounds.paramsMin * bounds.paramsMax).squareRoot(), 1e8), bounds.paramsMax)
        let model = ObjectiveModel(problem: problem, linearisedAt: try metrics(params: middle, tokens: 1))
        guard let point = try solveContinuous(objective, bounds, model),
              let seed = try minimizeTokens(objective, bounds, params: Foundation.exp(point.x)) else { return .infeasible }
        return .optimal(seed)
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
        let edge = try Bisection.boundary(holds: Foundation.log(c.paramsMin), fails: Foundation.log(c.paramsMax), tolerance: 1e-9,
                                          maxSteps: .max) { x throws(PlanError) in try servable(Foundation.exp(x)) }
        return Foundation.exp(edge.holds)
    }

    /// Metrics of a plan with the fleet sized for it.
    public func metrics(params: Double, tokens: Double) throws(PlanError) -> PlanMetrics {
        PlanEvaluator.evaluate(problem, params: params, tokens: tokens, fleet: try fleet(params: params))
    }

    /// The serving fleet for a model of `params` parameters: the fleet MILP for a forecast,
    /// the cheapest option per request for a lifetime token total, none without serving.
    public func fleet(params: Double) throws(PlanError) -> Fleet {
        guard problem.inference?.modelsServing == true else { return Fleet(assignments: []) }
        return try sizedFleet(params: params).fleet
    }

    /// The fleet for a model of `params` parameters with its replica specs and counts by
    /// month (cached; needs serving).
    func sizedFleet(params: Double) throws(PlanError) -> SizedFleet {
        try fleets.fleet(params: params) { n, smaller, larger throws(PlanError) in
            try sizeFleet(params: n, smaller: smaller, larger: larger)
        }
    }

    private func sizeFleet(params: Double, smaller: SizedFleet?, larger: SizedFleet?) throws(PlanError) -> SizedFleet {
        guard let inf = problem.inference else { return SizedFleet(slots: [], counts: [], fleet: Fleet(assignments: [])) }
        let slots = replicaSlots(inf, params: params)
        let replicas = slots.compactMap { $0 }
        guard !replicas.isEmpty else { throw .noServingOption(params: params) }
        switch inf.demand {
        case .totalTokens:
            let best = replicas.min { $0.deviceSecondsPerRequest * $0.option.usdPerDeviceHour < $1.deviceSecondsPerRequest * $1.option.usdPerDeviceHour }!
            let fleet = Fleet(assignments: [FleetAssignment(replica: best, replicasByMonth: [])],
                              busyDeviceHours: inf.lifetimeRequests * best.deviceSecondsPerRequest / 3600)
            return SizedFleet(slots: slots, counts: [], fleet: fleet)
        case .forecast(let forecast):
            do {
                // A month's MILP depends on the size and the peak alone: the lanes of a frontier
                // that size the same model share its answers.
                return try FleetSizer.size(slots: slots, demand: forecast, smaller: smaller, larger: larger, purchasing: inf.purchasing) {
                    replicas, peak, month throws(FleetSizer.Failure) in
                    try monthAnswer(params: params, replicas: replicas, month: month, peak: peak)
                }
            } catch {
                throw Self.planError(error, params: params)
            }
        }
    }

    /// The least hourly cost (USD/h) of a fleet that serves `peak` requests per second in
    /// `month` for a model of `params` parameters (the forecast's serving options, months not
    /// linked): the month MILP's answer, priced. It is the very MILP, with the same options and
    /// cached under the same key, that `sizedFleet` solves for that month when no neighbouring
    /// fleet certifies it, so asking it first changes no fleet; every optimal fleet of the month
    /// costs this much. 0 for a problem without serving.
    ///
    /// - Throws: `PlanError.noServingOption` when no option can run the model,
    ///   `.capacityShort` when the caps cannot cover the peak, `.solver` from GLPK.
    public func monthCost(params: Double, month: Int, peak: Double) throws(PlanError) -> Double {
        guard let inf = problem.inference else { return 0 }
        let slots = replicaSlots(inf, params: params)
        let active = FleetSizer.undominated(slots)
        guard !active.isEmpty else { throw .noServingOption(params: params) }
        let replicas = active.map { slots[$0]! }
        do {
            return FleetSizer.hourlyCost(try monthAnswer(params: params, replicas: replicas, month: month, peak: peak), replicas)
        } catch {
            throw Self.planError(error, params: params)
        }
    }

    /// The month MILP's answer for the undominated `replicas` of a model of `params`
    /// parameters, cached by (size, month, peak): the one place both `sizedFleet` and
    /// `monthCost` solve a month, so they share its answers.
    private func monthAnswer(params: Double, replicas: [ReplicaSpec], month: Int, peak: Double) throws(FleetSizer.Failure) -> [Int] {
        try fleets.monthFleet(params: params, month: month, peak: peak) { () throws(FleetSizer.Failure) in
            try FleetSizer.sizeMonth(replicas, peak: peak, month: month)
        }
    }

    /// The planner's error for a fleet sizer's failure at a model of `params` parameters.
    private static func planError(_ failure: FleetSizer.Failure, params: Double) -> PlanError {
        switch failure {
        case .noServingOption: return .noServingOption(params: params)
        case .capacityShort(let m): return .capacityShort(params: params, month: m)
        case .solver(let s): return .solver(s)
        }
    }

    /// Replica specs of every serving option that can run a model of `params` parameters.
    func replicas(_ inf: InferenceSetup, params: Double) -> [ReplicaSpec] {
        replicaSlots(inf, params: params).compactMap { $0 }
    }

    /// The replica spec of each serving option, in `inf.options` order (nil where the option
    /// cannot run a model of `params` parameters within memory and the SLO).
    func replicaSlots(_ inf: InferenceSetup, params: Double) -> [ReplicaSpec?] {
        fleets.slots(params: params) {
            let shape = problem.servingShape(params: params)
            return inf.options.indices.map { storedSpec(inf, option: $0, params: params, shape: shape) }
        }
    }

    /// The replica spec of option `index` of `inf.options` for a model of `params` parameters
    /// (nil where it cannot run the model within memory and the SLO): the same spec as
    /// `replicaSlots(inf, params:)[index]`, computed for that option alone when the other
    /// options' specs are not cached (a check on the options a fleet uses needs no others).
    func replicaSpec(_ inf: InferenceSetup, option index: Int, params: Double) -> ReplicaSpec? {
        if let known = fleets.cachedSlots(params: params) { return known[index] }
        return storedSpec(inf, option: index, params: params, shape: problem.servingShape(params: params))
    }

    /// Option `index`'s spec from the store every quantisation choice shares, computed there
    /// (with the derived `shape`, read only then) when missing.
    private func storedSpec(_ inf: InferenceSetup, option index: Int, params: Double, shape: @autoclosure () -> ModelShape?) -> ReplicaSpec? {
        let option = inf.options[index]
        return fleets.specs.spec(option: option, params: params) {
            let request = inf.requestShape
            return ServingModel.replica(option: option, params: params, shape: shape(), prompt: request.prompt, output: request.output,
                                        slo: inf.slo, fixedUtilisation: inf.fixedUtilisation, pue: inf.pue, pipeline: inf.pipelineParallel,
                                        outputLengths: inf.outputLengths, prefixCacheHitRate: inf.prefixCacheHitRate,
                                        sharedPrefixTokens: inf.sharedPrefixTokens)
        }
    }

    /// A lower bound on the serving cost (USD over the horizon) of a model of `params`
    /// parameters: each month's LP bound (`FleetSizer.costLowerBound`) for a forecast,
    /// infinite when no option can serve it; nil for a lifetime token total or no serving.
    func servingCostLowerBound(params: Double) -> Double? {
        guard let inf = problem.inference, case .forecast(let forecast) = inf.demand else { return nil }
        return fleets.servingCostBound(params: params) {
            // Reserved device-hours cost at least (1 - the largest discount) of the on-demand
            // price and changes cost nothing less than zero, so the scaled bound still holds.
            let bound = HourlyCostBound(replicaSlots(inf, params: params))
            let fraction = inf.purchasing.cheapestPriceFraction
            return forecast.series().reduce(0.0) { $0 + bound.at(peak: $1.peakRequestsPerSecond) * FleetSizer.hoursPerMonth * fraction }
        }
    }

    private func solveContinuous(_ objective: Objective, _ c: PlanConstraints, _ model: ObjectiveModel) throws(PlanError) -> (x: Double, y: Double)? {
        if !problem.lossIsPosynomial {
            // Not a posynomial: search over N with D profiled out (see ProfileSearch); the loss
            // falls with D for the data-constrained law and for an order statistic of samples.
            var search = ProfileSearch(objective: objective, model: model, bounds: c) { x, y in
                problem.boundedLoss(params: Foundation.exp(x), tokens: Foundation.exp(y))
            }
            search.usefulY = { [self] x, lo, hi in mostUsefulLogTokens(params: Foundation.exp(x), lo: lo, hi: hi) }
            return try search.solve()
        }
        var constraints: [ConvexProgram.Constraint] = []
        for o in Objective.allCases {
            guard let b = c.bound(on: o) else { continue }
            let f = try model.function(o)
            constraints.append(.init(name: o.constraintKey, function: f.posynomial, bound: f.bound(b)))
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
