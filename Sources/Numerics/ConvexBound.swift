import Foundation

/// Lower bounds on a convex function over an interval from its values alone.
public enum ConvexBound {
    /// A lower bound on the convex function `g` over [a, b] from g at a - w, a, b and b + w,
    /// w = b - a: the least, over the cell, of the larger of g's supporting lines at a (with
    /// the slope of the secant over [a - w, a], no steeper than g's tangent at a) and at b (with
    /// the slope of the secant over [b, b + w], no flatter than the tangent at b). A line whose
    /// secant is not finite is left out; with neither, minus infinity. Infinite when g is
    /// infinite at both ends (for g finite on [x_min, ...), the whole cell).
    public static func over(_ a: Double, _ b: Double, _ g: (Double) -> Double) -> Double {
        let ga = g(a), gb = g(b)
        if ga == .infinity && gb == .infinity { return .infinity }
        let w = b - a
        var lines: [(at: Double, value: Double, slope: Double)] = []
        if ga < .infinity {
            let slope = (ga - g(a - w)) / w
            if slope.isFinite { lines.append((a, ga, slope)) }
        }
        if gb < .infinity {
            let slope = (g(b + w) - gb) / w
            if slope.isFinite { lines.append((b, gb, slope)) }
        }
        guard !lines.isEmpty else { return -.infinity }
        func support(_ x: Double) -> Double { lines.map { $0.value + $0.slope * (x - $0.at) }.max()! }
        var candidates = [a, b]
        if lines.count == 2, lines[0].slope != lines[1].slope {
            let cross = (lines[1].value - lines[0].value + lines[0].slope * lines[0].at - lines[1].slope * lines[1].at)
                / (lines[0].slope - lines[1].slope)
            if cross > a && cross < b { candidates.append(cross) }
        }
        return candidates.map(support).min()!
    }
}
