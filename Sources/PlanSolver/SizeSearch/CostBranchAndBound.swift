import Demand
import Foundation
import GLPK
import HeapModule
import Numerics
import PlanModel
import ScalingLaws

/// The least total cost over model size by branch and bound on cells of ln N, proved to
/// `gap` (relative) and `width` (in ln N).
///
/// Total cost is g(x) + s(x) where a plan exists, with x = ln N:
/// - g, the training cost on the fewest tokens that meet the loss bound, is convex when the
///   loss is a posynomial (the fewest tokens are a partial minimum of a convex problem in
///   (ln N, ln D), and 6ND is the exponential of a linear function), and finite on an
///   interval [x_min, ...) because the loss on the most tokens per parameter falls with N;
/// - s, the serving cost of the cheapest fleet, is a step function of N that does not fall
///   between two sizes where every option keeps its devices per replica and loses throughput
///   (`FleetSizer.dominates`: the fleet MILP at the larger size is then a restriction of the
///   one at the smaller), and neither does its LP bound.
///
/// On such a cell [a, b], cost >= (g's supporting-line bound, `ConvexBound`) + (a lower bound
/// on s(a)). Cells are taken least bound first and dropped once their bound is within `gap` of
/// the best cost found; a best-first search never takes a cell whose bound exceeds the
/// optimum, so no starting plan is needed. A cell is bounded first with the LP bound on s(a)
/// (no fleet), then with the fleet sized at a. Where that fleet still serves b (every month
/// covered, `serves`), s is constant on the cell: a tooth, whose least cost is the least
/// training cost (golden-section search on g alone) plus s(a), and whose plan is evaluated
/// only if taken. Otherwise the cell is split at its middle: the left half keeps the fleet;
/// the right half keeps it too if it serves the middle, else is bounded month by month by
/// the larger of that fleet's cost and the LP bound at the middle. When such a half is taken,
/// the months where the fleet falls short of the peak get their MILP's cost one at a time
/// (`Planner.monthCost`, cached for the sizing), the half going back to the heap with its
/// raised bound each time, and it is sized only once every month is known and it is still
/// the least: past a throughput step the first month usually rules it out. A month's least
/// cost does not depend on which fleet attains it, so every bound stays a lower bound, and the
/// month MILPs asked are the sizing's own (one cache key), so a fleet sized later is the same.
/// Cells narrower than `width` are not split: the cost on the left end is taken. A scan cell
/// where some option changes its devices per replica is first cut, by bisection on the
/// replica specs to `width`, into cells where none does.
final class CostBranchAndBound {
    let planner: Planner
    let constraints: PlanConstraints
    let inference: InferenceSetup
    /// Peak requests per second by month.
    let peaks: [Double]
    let gap: Double
    let width: Double
    /// The exact cost at ln N (infinite where no plan meets the bounds); records the plan.
    let value: (Double) throws(PlanError) -> Double

    /// The best (ln N, cost) found, (nan, infinity) until a plan is.
    private(set) var best = (x: Double.nan, v: Double.infinity)
    private var trainingCosts: [Double: Double] = [:]
    /// The open cells, least bound first (swift-collections' binary heap).
    private var open = Heap<OpenCell>()

    /// What a cell knows of s: only a lower bound on s(a) (no fleet sized yet); a fleet that
    /// serves a at cost s(a); or a fleet that serves the whole cell (a tooth, whose least
    /// training cost is at `least`).
    private enum Serving { case unsized, from(SizedFleet, cost: Double), tooth(least: Double) }
    private struct Cell { var a: Double, b: Double, serving: Serving, bound: Double, months: MonthBounds? = nil }

    /// An unsized cell's serving bound month by month (the right half of a split): each month's
    /// hourly cost at a, exact where the parent fleet still covers the peak there, and only a
    /// lower bound (that fleet's cost, or the LP bound) in the months in `open`, which the
    /// search replaces by the month MILP's cost one at a time before it sizes the whole fleet.
    private struct MonthBounds {
        /// The training-cost bound of the cell.
        var training: Double
        /// Hourly cost (USD/h) by month: exact, or a lower bound in the months in `open`.
        var hourly: [Double]
        /// Months whose cost is only bounded, in the order they are solved.
        var open: [Int]

        /// The cell's bound: training plus the serving cost over the months.
        var bound: Double {
            var lower = 0.0
            for h in hourly { lower += h * FleetSizer.hoursPerMonth }
            return training + lower
        }
    }

    /// An open cell ordered by (bound, a) for the heap of open cells: cells partition the
    /// range, so no two share a left end and the order is total (the search is deterministic).
    private struct OpenCell: Comparable {
        var cell: Cell
        static func < (l: OpenCell, r: OpenCell) -> Bool { (l.cell.bound, l.cell.a) < (r.cell.bound, r.cell.a) }
        static func == (l: OpenCell, r: OpenCell) -> Bool { (l.cell.bound, l.cell.a) == (r.cell.bound, r.cell.a) }
    }

    /// nil unless the search applies: serving sized for a forecast, a posynomial loss, and no
    /// bound on compute, energy, training time or latency (which could rule out cells the
    /// bound cannot see, leaving them to be split without end; a bound on cost itself prunes).
    init?(_ planner: Planner, _ c: PlanConstraints, gap: Double, width: Double, value: @escaping (Double) throws(PlanError) -> Double) {
        guard planner.problem.lossIsPosynomial, let inf = planner.problem.inference, case .forecast(let forecast) = inf.demand,
              [Objective.compute, .energy, .trainTime, .latency].allSatisfy({ c.bound(on: $0) == nil })
        else { return nil }
        self.planner = planner
        constraints = c
        inference = inf
        peaks = forecast.series().map(\.peakRequestsPerSecond)
        self.gap = gap
        self.width = width
        self.value = value
    }

    /// The most cells one search takes (a few hundred is usual). A bound on cost barely below
    /// every plan's cost could otherwise keep the search splitting cells whose bounds stay
    /// under it; past the limit the best plan found so far is kept, unproved.
    static let cellLimit = 20_000

    /// Searches the cells between consecutive points of `xs` (ascending ln N).
    func run(cells xs: [Double]) throws(PlanError) {
        let training = prefetch(xs)
        for i in xs.indices.dropFirst() { try enqueue(xs[i - 1], xs[i], trainingBound: training[i]) }
        var taken = 0
        while taken < Self.cellLimit, let cell = open.popMin()?.cell {
            taken += 1
            if prunable(cell.bound) { break }
            switch cell.serving {
            case .unsized:
                if var months = cell.months, !months.open.isEmpty {
                    // One month's exact cost first: past a throughput step it usually shows the
                    // rise in serving cost that rules the cell out, without the other MILPs.
                    let m = months.open.removeFirst()
                    if let cost = try monthCost(cell.a, month: m) {
                        months.hourly[m] = max(months.hourly[m], cost)
                        var next = cell
                        next.months = months
                        next.bound = months.bound
                        taken -= 1
                        if !prunable(next.bound) { open.insert(OpenCell(cell: next)) }
                        continue
                    }
                }
                guard let fleet = try sizedFleet(cell.a) else { continue }
                push(cell.a, cell.b, fleet, cost: PlanEvaluator.servingCost(inference, fleet.fleet).usd)
            case .tooth(let least):
                try minimizeTooth(cell.a, cell.b, at: least)
            case .from(let fleet, let cost):
                if cell.b - cell.a <= width {
                    try improve(cell.a)
                } else {
                    split(cell, fleet, cost: cost)
                }
            }
        }
    }

    /// Computes on every core what enqueueing the scan cells reads and no search has cached
    /// yet: the replica specs at the ends of the cells where some tokens meet the loss bound,
    /// then the first cut of each such cell where the degrees change. Both depend on N alone
    /// and are cached whoever computes them first, so the search that follows, and every
    /// answer, are the same as without this; a frontier's later searches find them cached.
    /// Returns the training-cost bound of the cell ending at each point (the first unused), for
    /// `enqueue`.
    private func prefetch(_ xs: [Double]) -> [Double] {
        let training = xs.indices.map { $0 > 0 && xs[$0] > xs[$0 - 1] ? trainingBound(xs[$0 - 1], xs[$0]) : .infinity }
        let live = xs.indices.dropFirst().filter { training[$0] < .infinity }
        let ends = Set(live.flatMap { [$0 - 1, $0] }).sorted().filter { planner.fleets.cachedSlots(params: Foundation.exp(xs[$0])) == nil }
        if ends.count > 1 { _ = parallelMap(ends.count) { slots(xs[ends[$0]]) } }
        let cut = live.filter { i in
            xs[i] - xs[i - 1] > width && !planner.fleets.hasDominanceCut(xs[i - 1], xs[i])
                && !FleetSizer.dominates(slots(xs[i - 1]), slots(xs[i]))
        }
        if cut.count > 1 {
            _ = parallelMap(cut.count) { k in
                let (a, b) = (xs[cut[k] - 1], xs[cut[k]])
                return planner.fleets.dominanceCut(a, b) { dominanceCut(a, b) }.holds
            }
        }
        return training
    }

    /// Whether a cell with this lower bound can hold no plan cheaper than the best by more than
    /// `gap`, or none within the bound on cost.
    private func prunable(_ bound: Double) -> Bool {
        bound >= best.v * (1 - gap) || constraints.costMax.map { bound > $0 * (1 + 1e-9) } ?? false
    }

    private func improve(_ x: Double) throws(PlanError) {
        let v = try value(x)
        if v < best.v { best = (x, v) }
    }

    /// g: the training cost on the fewest tokens that meet the loss bound (infinite when none do).
    private func training(_ x: Double) -> Double {
        if let known = trainingCosts[x] { return known }
        let n = Foundation.exp(x)
        let g = planner.leastLogTokens(constraints, params: n)
            .map { PlanEvaluator.trainCost(planner.problem, params: n, tokens: Foundation.exp($0)) } ?? .infinity
        trainingCosts[x] = g
        return g
    }

    private func trainingBound(_ a: Double, _ b: Double) -> Double {
        var g: [Double: Double] = [:]
        for x in [a - (b - a), a, b, b + (b - a)] { g[x] = training(x) }
        return ConvexBound.over(a, b) { g[$0] ?? .infinity }
    }

    private func slots(_ x: Double) -> [ReplicaSpec?] { planner.replicaSlots(inference, params: Foundation.exp(x)) }

    /// The fleet for ln N = x, nil where none can serve the model.
    private func sizedFleet(_ x: Double) throws(PlanError) -> SizedFleet? {
        do {
            return try planner.sizedFleet(params: Foundation.exp(x))
        } catch {
            switch error {
            case .noServingOption, .capacityShort: return nil
            default: throw error
            }
        }
    }

    /// The least hourly cost of month `m` at ln N = x (`Planner.monthCost`); nil where the
    /// month has no fleet (the whole fleet's sizing then says so, as without this).
    private func monthCost(_ x: Double, month m: Int) throws(PlanError) -> Double? {
        do {
            return try planner.monthCost(params: Foundation.exp(x), month: m, peak: peaks[m])
        } catch {
            switch error {
            case .noServingOption, .capacityShort: return nil
            default: throw error
            }
        }
    }

    /// Whether each month's capacity of `fleet` covers its peak with a model of ln N = x; nil
    /// where an option the fleet uses no longer runs with the same devices per replica.
    ///
    /// Only the specs of the options the fleet uses are read, each computed alone when x's
    /// specs are not cached (`Planner.replicaSpec`): a fleet usually uses one or two of the
    /// options, and most cells end at sizes no other search has asked for.
    private func coverage(_ fleet: SizedFleet, _ x: Double) -> [Bool]? {
        let n = Foundation.exp(x)
        let cached = planner.fleets.cachedSlots(params: n)
        // Requests per second of each option the fleet uses, at x; nil where the option no
        // longer runs the model with the same devices per replica. Only two fields are read
        // (a spec's copy retains its profile's storage).
        var throughput = [Double?](repeating: nil, count: fleet.slots.count)
        for i in fleet.slots.indices where fleet.counts.contains(where: { $0[i] > 0 }) {
            if let cached {
                if let devices = cached[i]?.devices, devices == fleet.slots[i]?.devices { throughput[i] = cached[i]!.requestsPerSecond }
            } else if let spec = planner.replicaSpec(inference, option: i, params: n), spec.devices == fleet.slots[i]?.devices {
                throughput[i] = spec.requestsPerSecond
            }
            if throughput[i] == nil { return nil }
        }
        return fleet.counts.indices.map { m in
            var capacity = 0.0
            for (i, count) in fleet.counts[m].enumerated() where count > 0 { capacity += Double(count) * throughput[i]! }
            return capacity >= peaks[m]
        }
    }

    /// Whether `fleet` still serves a model of ln N = x: every option it uses runs with the
    /// same devices per replica, and every month's capacity covers the peak (its cost is then
    /// the same, and the least possible there, as s cannot fall).
    ///
    /// Only the specs of the options the fleet uses are read, each computed alone when x's
    /// specs are not cached (`Planner.replicaSpec`): a fleet usually uses one or two of the
    /// options, and most cells end at sizes no other search has asked for.
    private func serves(_ fleet: SizedFleet, _ x: Double) -> Bool {
        coverage(fleet, x)?.allSatisfy { $0 } ?? false
    }

    /// A scan cell, bounded with the LP bound on s(a); cut first where an option changes its
    /// devices per replica.
    /// `trainingBound`, when given, is `trainingBound(a, b)` already computed.
    private func enqueue(_ a: Double, _ b: Double, trainingBound known: Double? = nil) throws(PlanError) {
        guard b > a else { return }
        let g = known ?? trainingBound(a, b)
        guard g < .infinity else { return }
        guard b - a <= width || FleetSizer.dominates(slots(a), slots(b)) else {
            // Cut where the tensor-parallel degrees change (a's options no longer dominate).
            let cut = planner.fleets.dominanceCut(a, b) { dominanceCut(a, b) }
            try enqueue(a, cut.holds)
            try enqueue(cut.fails, b)
            return
        }
        guard let lp = planner.servingCostLowerBound(params: Foundation.exp(a)), lp < .infinity, !prunable(g + lp) else { return }
        open.insert(OpenCell(cell: Cell(a: a, b: b, serving: .unsized, bound: g + lp)))
    }

    /// The bracket, `width` wide, where a's options stop dominating on [a, b]
    /// (`FleetSizer.dominates`), found by bisection in ln N: the same bracket as bisecting on
    /// dominance over every option, but with one option's spec per probe. Dominance is the
    /// conjunction of the options' own; where each holds up to its own boundary and fails past
    /// it, the conjunction fails first at the nearest of them, and bisecting on the option
    /// with the nearest boundary takes the very same steps as bisecting on the conjunction
    /// (every other option's bracket ends no nearer). Should an option's dominance come back
    /// past its boundary, the bracket found still fails at its far end, and `enqueue` checks
    /// every option on both halves again (cutting the near half once more if it must).
    private func dominanceCut(_ a: Double, _ b: Double) -> (holds: Double, fails: Double) {
        let from = slots(a), to = slots(b)
        var nearest: (holds: Double, fails: Double)?
        for i in from.indices where !FleetSizer.dominates(from[i], to[i]) {
            let start = from[i]
            let cut = Bisection.boundary(holds: a, fails: b, tolerance: width, maxSteps: .max) { x in
                FleetSizer.dominates(start, planner.replicaSpec(inference, option: i, params: Foundation.exp(x)))
            }
            if nearest.map({ (cut.holds, cut.fails) < ($0.holds, $0.fails) }) ?? true { nearest = cut }
        }
        return nearest ?? (a, b)
    }

    /// [a, b] with `fleet` serving a at `cost`: a tooth when the fleet serves b too.
    private func push(_ a: Double, _ b: Double, _ fleet: SizedFleet, cost: Double) {
        guard cost < .infinity, b > a else { return }
        if serves(fleet, b) {
            let least = leastTraining(a, b)
            if !prunable(least.g + cost) { open.insert(OpenCell(cell: Cell(a: a, b: b, serving: .tooth(least: least.x), bound: least.g + cost))) }
        } else {
            let bound = trainingBound(a, b) + cost
            if !prunable(bound) { open.insert(OpenCell(cell: Cell(a: a, b: b, serving: .from(fleet, cost: cost), bound: bound))) }
        }
    }

    private func split(_ cell: Cell, _ fleet: SizedFleet, cost: Double) {
        let mid = (cell.a + cell.b) / 2
        push(cell.a, mid, fleet, cost: cost)
        let covered = coverage(fleet, mid)
        if covered?.allSatisfy({ $0 }) ?? false { return push(mid, cell.b, fleet, cost: cost) }
        let here = HourlyCostBound(slots(mid))
        if inference.purchasing.couplesMonths {
            // Months are linked: the whole horizon's cost at a bounds it here (the MILP here is
            // a restriction of a's), and so does the scaled LP bound month by month.
            let fraction = inference.purchasing.cheapestPriceFraction
            let lower = max(cost, peaks.reduce(0.0) { $0 + here.at(peak: $1) * FleetSizer.hoursPerMonth * fraction })
            let bound = trainingBound(mid, cell.b) + lower
            if !prunable(bound) { open.insert(OpenCell(cell: Cell(a: mid, b: cell.b, serving: .unsized, bound: bound))) }
            return
        }
        // Each month costs at least what it cost at a (the MILP at mid is a restriction of a's)
        // and its LP bound at mid; exactly a's cost where a's fleet still covers the peak.
        let hourly = fleet.counts.indices.map { m in max(FleetSizer.hourlyCost(fleet.counts[m], fleet.slots), here.at(peak: peaks[m])) }
        let open = covered.map { c in c.indices.filter { !c[$0] } } ?? Array(peaks.indices)
        let months = MonthBounds(training: trainingBound(mid, cell.b), hourly: hourly, open: open)
        if !prunable(months.bound) { self.open.insert(OpenCell(cell: Cell(a: mid, b: cell.b, serving: .unsized, bound: months.bound, months: months))) }
    }

    /// The least training cost on [a, b]: golden-section search on g from the first size with
    /// tokens that meet the loss bound.
    private func leastTraining(_ a: Double, _ b: Double) -> (x: Double, g: Double) {
        var start = a
        if training(start) == .infinity {
            start = Bisection.boundary(holds: b, fails: start, tolerance: width, maxSteps: .max) { training($0) < .infinity }.holds
        }
        let x = b - start > width ? ScalarSearch.minimize(in: start...b, scanSteps: 0, tolerance: width, training) ?? start : start
        return (x, training(x))
    }

    /// A tooth's least cost: at its least training cost when a plan exists there; else (another
    /// bound rules that size out) the cost itself is searched.
    private func minimizeTooth(_ a: Double, _ b: Double, at x: Double) throws(PlanError) {
        if try value(x) < .infinity { return try improve(x) }
        try improve(a)
        try improve(b)
        if let y = try ScalarSearch.minimize(in: a...b, scanSteps: 16, tolerance: width, value) { try improve(y) }
    }
}
