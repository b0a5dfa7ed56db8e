import Foundation
import GLPK
import Numerics
import PlanModel
import ScalingLaws

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
    /// The y in [lo, hi] past which the loss stops falling at x (hi when it falls throughout).
    var usefulY: (_ x: Double, _ lo: Double, _ hi: Double) -> Double = { _, _, hi in hi }

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
            // Past where the loss stops falling, more data only costs.
            yHi = max(yLo, usefulY(x, yLo, yHi))
            // The loss bound sets a floor on y.
            if let l = bounds.lossMax {
                if loss(x, yHi) > l { return nil }
                if loss(x, yLo) > l, let y = root({ loss(x, $0) - l }, yLo, yHi) { yLo = max(yLo, y) }
            }
            guard yLo <= yHi else { return nil }
            let y = objective == .loss ? yHi : yLo
            for (f, b) in others where f.posynomial.value(x: x, y: y) > f.bound(b) * (1 + 1e-12) { return nil }
            let value = target.map { $0.posynomial.value(x: x, y: y) } ?? loss(x, y)
            return (y, value)
        }

        let range = Foundation.log(bounds.paramsMin)...Foundation.log(bounds.paramsMax)
        guard let x = ScalarSearch.minimize(in: range, scanSteps: 480, tolerance: 1e-10, { best($0)?.value ?? .infinity }),
              let y = best(x)?.y else { return nil }
        return (x, y)
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
