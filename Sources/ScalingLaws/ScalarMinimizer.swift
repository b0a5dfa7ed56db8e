import Foundation

/// Minimises a one-dimensional function on [center - halfWidth, center + halfWidth]:
/// a 241-point scan finds the best grid cell, then golden-section search narrows it to
/// 1e-12 relative. Robust to several local minima at the scan's resolution.
///
/// - Throws: `LawError.noOptimum` when the function is not finite anywhere on the scan.
func minimizeScalar(around center: Double, halfWidth: Double, _ f: (Double) -> Double) throws(LawError) -> Double {
    let steps = 240
    let lo = center - halfWidth
    let h = 2 * halfWidth / Double(steps)
    var bestIndex = -1
    var bestValue = Double.infinity
    for i in 0...steps {
        let v = f(lo + Double(i) * h)
        if v.isFinite, v < bestValue { bestValue = v; bestIndex = i }
    }
    guard bestIndex >= 0 else { throw .noOptimum("the objective is not finite on the search interval") }
    var a = lo + Double(max(bestIndex - 1, 0)) * h
    var b = lo + Double(min(bestIndex + 1, steps)) * h
    let ratio = (Foundation.sqrt(5.0) - 1) / 2
    var x1 = b - ratio * (b - a), x2 = a + ratio * (b - a)
    var f1 = f(x1), f2 = f(x2)
    while b - a > 1e-12 * max(1, abs(a)) {
        if f1 <= f2 {
            b = x2; x2 = x1; f2 = f1
            x1 = b - ratio * (b - a); f1 = f(x1)
        } else {
            a = x1; x1 = x2; f1 = f2
            x2 = a + ratio * (b - a); f2 = f(x2)
        }
    }
    return (a + b) / 2
}
