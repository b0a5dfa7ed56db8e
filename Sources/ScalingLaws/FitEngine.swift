import Numerics

/// A fitted parameter vector and its objective value.
public struct Candidate: Sendable {
    public var theta: [Double]
    public var value: Double
}

/// Multi-start minimisation of the Huber objective for one family.
///
/// Every start on the grid is evaluated once (cheap: one pass over the runs). Then
/// successive halving spends L-BFGS iterations where they pay: all finite starts get 2
/// iterations, the best quarter 4 more, the best quarter of those 8 more, and so on
/// until `finalists` remain, which run to convergence. (On the Epoch data every schedule
/// from 1 to 10 first-round iterations reaches the same optimum; 2 leaves a margin, and
/// costs about a tenth of scipy's one-L-BFGS-per-start evaluations; see BENCHMARKS.md.) Starts are independent and run on
/// all cores; ties are broken by grid index, so the answer is deterministic.
public struct FitEngine<Model: LogLossPredictor> {
    public let model: Model
    public let delta: Double
    public var finalists = 16
    public var maxIterations = 3000
    public var progress: ProgressHandler?

    public init(model: Model, delta: Double) {
        self.model = model
        self.delta = delta
    }

    public func objective(_ data: FitData) -> HuberObjective<Model> {
        HuberObjective(model: model, data: data, delta: delta)
    }

    private func newState(_ start: [Double], _ f: HuberObjective<Model>) -> LBFGSState {
        LBFGSState(start: start, objective: f, lower: model.lower, upper: model.upper)
    }

    /// Distinct local optima found from the grid, best first.
    public func multiStart(_ data: FitData, grid: StartGrid) -> [Candidate] {
        let f = objective(data)
        var states = parallelMap(grid.count) { newState(grid.point($0), f) }
        var alive = states.indices.filter { states[$0].value.isFinite }
        alive.sort { (states[$0].value, $0) < (states[$1].value, $1) }
        var rounds = 0, survivors = alive.count
        while survivors > finalists { survivors = max(finalists, survivors / 4); rounds += 1 }
        var stage = 1
        progress?(stage, rounds + 2)
        var budget = 2
        while alive.count > finalists {
            let advanced = parallelMap(alive.count) { k -> LBFGSState in
                var s = states[alive[k]]
                s.run(iterations: budget, objective: f)
                return s
            }
            for (k, s) in advanced.enumerated() { states[alive[k]] = s }
            alive.sort { (states[$0].value, $0) < (states[$1].value, $1) }
            alive = Array(alive.prefix(max(finalists, alive.count / 4)))
            budget *= 2
            stage += 1
            progress?(stage, rounds + 2)
        }
        let finished = parallelMap(alive.count) { k -> LBFGSState in
            var s = states[alive[k]]
            s.run(iterations: maxIterations, objective: f)
            return s
        }
        progress?(rounds + 2, rounds + 2)
        return Self.distinct(finished.map { Candidate(theta: $0.x, value: $0.value) })
    }

    /// The best optimum reached from a few warm starts (run one after another on this thread).
    public func refine(_ data: FitData, from starts: [[Double]]) -> Candidate? {
        let f = objective(data)
        var best: Candidate?
        for start in starts {
            var s = newState(start, f)
            s.run(iterations: maxIterations, objective: f)
            if s.value.isFinite, s.value < best?.value ?? .infinity { best = Candidate(theta: s.x, value: s.value) }
        }
        return best
    }

    /// Sorts by value and drops near-duplicates (all parameters within 1e-4 relative).
    public static func distinct(_ candidates: [Candidate]) -> [Candidate] {
        let sorted = candidates.enumerated()
            .filter { $0.element.value.isFinite }
            .sorted { ($0.element.value, $0.offset) < ($1.element.value, $1.offset) }
            .map(\.element)
        var kept: [Candidate] = []
        for c in sorted where !kept.contains(where: { same($0.theta, c.theta) }) { kept.append(c) }
        return kept
    }

    private static func same(_ a: [Double], _ b: [Double]) -> Bool {
        zip(a, b).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($0), abs($1)) }
    }
}
