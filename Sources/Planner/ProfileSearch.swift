import Foundation

/// Minimises one objective for a law whose loss is not a posynomial (the data-constrained law
/// with a unique-token limit), by searching over model size with the token count profiled out.
///
/// Every objective but loss grows with D, and loss falls with D. So for a fixed x = ln N the
/// best y = ln D is the smallest one the loss bound and the ratio range allow when minimising
/// another objective, and the largest one the other bounds allow when minimising loss; each
/// bound is solved for y by bisection (the functions are monotone in y). What is left is a
/// one-dimensional problem in x: a 481-point scan over the search range, then golden-section
/// search in the best cell to 1e-10. Exact up to that tolerance when the profiled objective is
/// unimodal in the cell, which the scan's resolution (0.004 in ln N per decade) makes likely.
struct ProfileSearch {
    let objective: Objective
    let model: ObjectiveModel
    let bounds: PlanConstraints
    /// Loss at (x, y).
    let loss: (Double, Double) -> Double

    func solve() throws(PlanError) -> (x: Double, y: Double)? {
        var others: [(ObjectiveFunction, Double)] = []
        for o in Objective.allCases where o != .loss {
            if let b = bounds.bound(on: o) { others.append((try model.function(o), b)) }
        }
        let target = objective == .loss ? nil : try model.function(objective)
        let mLo = Foundation.log(bounds.tokensPerParamMin), mHi = Foundation.log(bounds.tokensPerParamMax)

        func best(_ x: Double) -> (y: Double, value: Double)? {
            var yLo = x + mLo, yHi = x + mHi
            // Increasing bounds cap y from above.
            for (f, b) in others where f.posynomial.terms.contains(where: { $0.b > 0 }) {
                guard let y = root({ f.posynomial.value(x: x, y: $0) - f.bound(b) }, yLo, yHi) else {
                    if f.posynomial.value(x: x, y: yLo) > f.bound(b) { return nil }
                    continue
                }
                yHi = min(yHi, y)
            }
            // The loss bound sets a floor on y.
            if let l = bounds.lossMax {
                if loss(x, yHi) > l { return nil }
                if loss(x, yLo) > l, let y = root({ l - loss(x, $0) }, yLo, yHi) { yLo = max(yLo, y) }
            }
            guard yLo <= yHi else { return nil }
            let y = objective == .loss ? yHi : yLo
            for (f, b) in others where f.posynomial.value(x: x, y: y) > f.bound(b) * (1 + 1e-12) { return nil }
            let value = target.map { $0.posynomial.value(x: x, y: y) } ?? loss(x, y)
            return (y, value)
        }

        let lo = Foundation.log(bounds.paramsMin), hi = Foundation.log(bounds.paramsMax)
        let steps = 480
        var bestIndex = -1, bestValue = Double.infinity
        for i in 0...steps {
            if let b = best(lo + (hi - lo) * Double(i) / Double(steps)), b.value < bestValue { bestValue = b.value; bestIndex = i }
        }
        guard bestIndex >= 0 else { return nil }
        let h = (hi - lo) / Double(steps)
        var a = lo + Double(max(bestIndex - 1, 0)) * h, b = lo + Double(min(bestIndex + 1, steps)) * h
        func f(_ x: Double) -> Double { best(x)?.value ?? .infinity }
        let r = (5.0.squareRoot() - 1) / 2
        var x1 = b - r * (b - a), x2 = a + r * (b - a)
        var f1 = f(x1), f2 = f(x2)
        while b - a > 1e-10 {
            if f1 <= f2 { b = x2; x2 = x1; f2 = f1; x1 = b - r * (b - a); f1 = f(x1) }
            else { a = x1; x1 = x2; f1 = f2; x2 = a + r * (b - a); f2 = f(x2) }
        }
        let gridX = lo + Double(bestIndex) * h
        let candidates = [(a + b) / 2, gridX].compactMap { x in best(x).map { (x: x, y: $0.y, v: $0.value) } }
        guard let winner = candidates.min(by: { $0.v < $1.v }) else { return nil }
        return (winner.x, winner.y)
    }

    /// A root of a monotone function on [lo, hi] by bisection; nil without a sign change.
    private func root(_ g: (Double) -> Double, _ lo: Double, _ hi: Double) -> Double? {
        var a = lo, b = hi
        let ga = g(a), gb = g(b)
        guard ga.isFinite, gb.isFinite, ga * gb <= 0 else { return nil }
        let increasing = gb > ga
        for _ in 0..<200 where b - a > 1e-14 * max(1, abs(a)) {
            let m = (a + b) / 2
            if (g(m) > 0) == increasing { b = m } else { a = m }
        }
        // Return the side where g <= 0 (the constraint holds).
        return increasing ? a : b
    }
}
