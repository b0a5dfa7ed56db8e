import Demand
import Foundation
import GLPK
import Numerics
import PlanModel
import ScalingLaws

extension Planner {
    /// Minimises `objective` when the model size is restricted to `problem.modelChoices`.
    ///
    /// The choice is enumerated: for each allowed N inside the search range the fleet is sized
    /// (the fleet MILP depends on N only) and the rest is a problem in D alone, where every
    /// objective is monotone (loss falls with D; training compute, cost, energy and days rise;
    /// serving terms and latency do not depend on D). Its feasible set is an interval
    /// [D_lo, D_hi], found by bisection in ln D to 1e-12 on the exact metrics (D_lo from the
    /// loss bound and the least tokens per parameter, D_hi from the bounds on the rising
    /// objectives and the most tokens per parameter); loss is minimised at D_hi, everything
    /// else at D_lo. The best allowed size wins (the smaller on a tie). Enumeration is exact
    /// where a MILP over serving terms linearised at one N would not be, and families have a
    /// handful of members.
    func minimizeOverChoices(_ objective: Objective, _ c: PlanConstraints, _ choices: [ModelChoice]) throws(PlanError) -> Solution {
        var best: PlanMetrics?
        for choice in choices where choice.params >= c.paramsMin * (1 - 1e-12) && choice.params <= c.paramsMax * (1 + 1e-12) {
            guard let m = try minimizeTokens(objective, c, params: choice.params) else { continue }
            if let b = best, b.value(objective) <= m.value(objective) { continue }
            best = m
        }
        return best.map { .optimal($0) } ?? .infeasible
    }

    /// The optimum over D for a fixed N, or nil when no D meets every bound (or N cannot be
    /// served).
    func minimizeTokens(_ objective: Objective, _ c: PlanConstraints, params n: Double) throws(PlanError) -> PlanMetrics? {
        // The loss bound sets the least D; checked first, as it needs no fleet.
        guard let lo = leastLogTokens(c, params: n) else { return nil }
        let fleet: Fleet
        do {
            fleet = try self.fleet(params: n)
        } catch {
            switch error {
            case .noServingOption, .capacityShort: return nil
            default: throw error
            }
        }
        func at(_ y: Double) -> PlanMetrics { PlanEvaluator.evaluate(problem, params: n, tokens: Foundation.exp(y), fleet: fleet) }
        func meets(_ o: Objective, _ m: PlanMetrics) -> Bool { c.bound(on: o).map { m.value(o) <= $0 } ?? true }

        // Past where the served loss stops falling, more tokens only cost more.
        var hi = mostUsefulLogTokens(params: n, lo: lo, hi: Foundation.log(n * c.tokensPerParamMax))
        let rising: [Objective] = [.cost, .compute, .energy, .trainTime]
        let least = at(lo)
        // Bounds that D cannot change.
        guard meets(.latency, least) else { return nil }
        // The rising objectives set the most D.
        guard rising.allSatisfy({ meets($0, least) }) else { return nil }
        if !rising.allSatisfy({ meets($0, at(hi)) }) {
            hi = boundary(hi, lo) { y in let m = at(y); return rising.allSatisfy { meets($0, m) } }
        }
        return objective == .loss ? at(hi) : least
    }

    /// ln D of the fewest tokens within the tokens-per-parameter range that meet the loss bound
    /// for a model of `n` parameters (bisection on the loss alone, to 1e-12, on the range where
    /// the served loss falls), or nil when even the best token count does not.
    func leastLogTokens(_ c: PlanConstraints, params n: Double) -> Double? {
        let lo = Foundation.log(n * c.tokensPerParamMin)
        guard let lossMax = c.lossMax else { return lo }
        let hi = mostUsefulLogTokens(params: n, lo: lo, hi: Foundation.log(n * c.tokensPerParamMax))
        func loss(_ y: Double) -> Double { problem.boundedLoss(params: n, tokens: Foundation.exp(y)) }
        if loss(lo) <= lossMax { return lo }
        guard loss(hi) <= lossMax else { return nil }
        // The loss falls on [lo, hi]: the level-set bisection gives the plain bisection's answer.
        return Bisection.levelBoundary(holds: hi, fails: lo, tolerance: 1e-12, maxSteps: .max) { loss($0) - lossMax }.holds
    }

    /// `PlanningProblem.mostUsefulLogTokens`, cached by (N, lo, hi) for every solve of this
    /// planner and its forks: the least tokens of every loss bound of a frontier start from
    /// the same range at each size, and the search for the end of the loss's descent (a
    /// golden-section search to 1e-12 under post-training rounding) depends on the size and
    /// the range alone.
    func mostUsefulLogTokens(params n: Double, lo: Double, hi: Double) -> Double {
        guard problem.lossMayRiseWithTokens, hi > lo else { return hi }
        return fleets.mostUsefulLogTokens(params: n, lo: lo, hi: hi) { problem.mostUsefulLogTokens(params: n, lo: lo, hi: hi) }
    }

    /// A lower bound on `objective` over the plans with a model of N parameters that meet
    /// the bounds, as a function of ln N, from what needs no fleet: infinite where no plan
    /// exists (no tokens meet the loss bound, or no fleet can serve); nil where there is no
    /// cheap bound (latency, a lifetime token total, no serving).
    ///
    /// Serving cost is at least each month's LP bound (`FleetSizer.costLowerBound`) and serving
    /// energy at least every request on the option with the least busy energy per request,
    /// idle time aside; inference FLOPs do not depend on the fleet. Training cost, energy and
    /// FLOPs are linear in D, so bounds on cost, energy and compute cap D at (bound - serving's
    /// lower bound) / (the training term per token); no plan exists when that cap is below the
    /// fewest tokens that meet the loss bound. Loss falls with D, so it is at least the loss on
    /// the most tokens allowed. Training terms rise with D, so they are at least their value on
    /// the fewest tokens.
    func objectiveLowerBound(_ objective: Objective, _ c: PlanConstraints) -> ((Double) -> Double)? {
        guard let inf = problem.inference, case .forecast(let forecast) = inf.demand, objective != .latency else { return nil }
        return { x in objectiveLowerBound(objective, c, inf, forecast, params: Foundation.exp(x)) }
    }

    private func objectiveLowerBound(_ objective: Objective, _ c: PlanConstraints, _ inf: InferenceSetup, _ forecast: DemandForecast,
                                     params n: Double) -> Double {
        let slots = replicaSlots(inf, params: n)
        guard slots.contains(where: { $0 != nil }), let lo = leastLogTokens(c, params: n),
              let servingCost = servingCostLowerBound(params: n), servingCost.isFinite else { return .infinity }
        let servingEnergy = forecast.series().reduce(0.0) { $0 + $1.requests } * slots.compactMap { $0?.busyJoulesPerRequest }.min()! / 3.6e6
        // Training cost, energy and FLOPs are linear in D; serving adds at least its bound. The
        // bounds on them therefore cap D, and no D is left when the cap is below the fewest
        // tokens that meet the loss bound.
        let perToken = PlanEvaluator.evaluate(problem, params: n, tokens: 1, fleet: Fleet(assignments: []))
        let least = Foundation.exp(lo)
        var most = n * c.tokensPerParamMax
        for (o, fixed, rate) in [(Objective.cost, servingCost, perToken.trainCost), (.energy, servingEnergy, perToken.trainEnergyKWh),
                                 (.compute, perToken.inferenceFLOPs, perToken.trainFLOPs)] {
            if let bound = c.bound(on: o), rate > 0 { most = min(most, (bound - fixed) / rate) }
        }
        guard most >= least * (1 - 1e-9) else { return .infinity }
        let training = PlanEvaluator.evaluate(problem, params: n, tokens: least, fleet: Fleet(assignments: []))
        switch objective {
        case .loss:
            let useful = mostUsefulLogTokens(params: n, lo: lo, hi: Foundation.log(max(most, least)))
            return problem.boundedLoss(params: n, tokens: Foundation.exp(useful))
        case .cost: return training.value(.cost) + servingCost
        case .energy: return training.value(.energy) + servingEnergy
        default: return training.value(objective)
        }
    }

    /// The best plan over model size when serving makes the objective non-smooth in N, or nil
    /// when none is found.
    ///
    /// Serving terms depend on N alone and jump where the derived shape, the batch, the
    /// tensor-parallel degree or a month's replica count changes, so no convex model of them is
    /// exact; D is solved exactly for each N (`minimizeTokens`) and fleets are cached across
    /// solves. Cost, the objective these jumps matter most to, is minimised by branch and bound
    /// over 240 cells of ln N (`CostBranchAndBound`, optimal to 1e-7 relative where the loss is
    /// a posynomial). Other objectives are scanned over the 241 points, sizing fleets only
    /// where `objectiveLowerBound` does not already rule the size out, and the best cell
    /// narrowed by golden-section search to 1e-6 (`ScalarSearch`). A solver failure at any
    /// evaluated size is thrown.
    func searchSizes(_ objective: Objective, _ c: PlanConstraints) throws(PlanError) -> PlanMetrics? {
        let range = Foundation.log(c.paramsMin)...Foundation.log(c.paramsMax)
        guard range.upperBound > range.lowerBound else { return nil }
        let steps = 240
        var memo: [Double: PlanMetrics] = [:]
        func value(_ x: Double) throws(PlanError) -> Double {
            if let m = memo[x] { return m.value(objective) }
            guard let m = try minimizeTokens(objective, c, params: Foundation.exp(x)) else { return .infinity }
            memo[x] = m
            return m.value(objective)
        }
        // The scan points in ln N, the same as `ScalarSearch.minimize` spaces over `range`.
        let h = (range.upperBound - range.lowerBound) / Double(steps)
        let grid = (0...steps).map { range.lowerBound + Double($0) * h }
        if objective == .cost, let search = CostBranchAndBound(self, c, gap: 1e-7, width: 1e-7, value: value) {
            try search.run(cells: grid)
            return search.best.v < .infinity ? memo[search.best.x] : nil
        }
        let lowerBound = objectiveLowerBound(objective, c)
        if lowerBound != nil, let inf = problem.inference {
            // The bound reads the replica specs at every scan point: computed first on every
            // core (they depend on N alone and are cached, so the search is the same).
            let missing = grid.map { Foundation.exp($0) }.filter { fleets.cachedSlots(params: $0) == nil }
            if missing.count > 1 { _ = parallelMap(missing.count) { replicaSlots(inf, params: missing[$0]).count } }
        }
        let found = try ScalarSearch.minimize(in: range, scanSteps: steps, tolerance: 1e-6, lowerBound: lowerBound, value)
        guard let x = found else { return nil }
        _ = try value(x)
        return memo[x]
    }

    /// Bisection between `bad` (where `ok` fails) and `good` (where it holds) to 1e-12;
    /// returns the last point where `ok` holds.
    private func boundary(_ bad: Double, _ good: Double, _ ok: (Double) -> Bool) -> Double {
        Bisection.boundary(holds: good, fails: bad, tolerance: 1e-12, maxSteps: .max, ok).holds
    }
}
