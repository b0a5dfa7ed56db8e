import Foundation
import GLPK
import Numerics
import PlanModel

/// f(x, y) = constant + sum_k c_k exp(a_k x + b_k y) with every c_k > 0: the form every
/// planning objective takes in x = ln N, y = ln D (loss, FLOPs, cost, energy, days).
/// ln(f - constant) is a log-sum-exp of affine functions, hence convex; this is what makes
/// "minimise one objective subject to bounds on the others" a convex (geometric) program.
public struct Posynomial: Equatable, Sendable {
    /// One term c exp(a x + b y).
    public struct Term: Equatable, Sendable {
        public var coefficient: Double
        public var a: Double
        public var b: Double
        public init(_ coefficient: Double, a: Double, b: Double) { self.coefficient = coefficient; self.a = a; self.b = b }
    }

    public var constant: Double
    public var terms: [Term]

    public init(constant: Double = 0, terms: [Term]) {
        self.constant = constant
        self.terms = terms.filter { $0.coefficient > 0 }
    }

    /// f(x, y).
    public func value(x: Double, y: Double) -> Double {
        terms.reduce(constant) { $0 + $1.coefficient * Foundation.exp($1.a * x + $1.b * y) }
    }

    /// ln(f - constant) and its gradient, computed stably (log-sum-exp).
    public func logVariable(x: Double, y: Double) -> (value: Double, dx: Double, dy: Double) {
        let z = terms.map { Foundation.log($0.coefficient) + $0.a * x + $0.b * y }
        guard let m = z.max() else { return (-.infinity, 0, 0) }
        let w = z.map { Foundation.exp($0 - m) }
        let s = w.reduce(0, +)
        var dx = 0.0, dy = 0.0
        for (k, t) in terms.enumerated() { dx += w[k] / s * t.a; dy += w[k] / s * t.b }
        return (m + Foundation.log(s), dx, dy)
    }

    /// Sum of two posynomials.
    public static func + (l: Posynomial, r: Posynomial) -> Posynomial {
        Posynomial(constant: l.constant + r.constant, terms: l.terms + r.terms)
    }

    /// Scaled by a positive factor.
    public static func * (k: Double, p: Posynomial) -> Posynomial {
        Posynomial(constant: k * p.constant, terms: p.terms.map { Term(k * $0.coefficient, a: $0.a, b: $0.b) })
    }
}
