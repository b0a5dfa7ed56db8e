import Foundation

/// One-dimensional minimisation on an interval, shared by the laws and the planner.
public enum ScalarSearch {
    /// Minimises `f` on `range`: a scan of `scanSteps + 1` evenly spaced points finds the best
    /// grid cell (robust to several local minima at the scan's resolution), then golden-section
    /// search narrows that cell (or, with `scanSteps == 0`, the whole range) until it is at most
    /// `tolerance` wide (at most 200 steps). Non-finite values count as worse than any finite
    /// one. Returns the better of the final midpoint and the best scanned point; nil when `f`
    /// is not finite at any scanned point.
    public static func minimize(in range: ClosedRange<Double>, scanSteps: Int, tolerance: Double, _ f: (Double) -> Double) -> Double? {
        func value(_ x: Double) -> Double { let v = f(x); return v.isFinite ? v : .infinity }
        var a = range.lowerBound, b = range.upperBound
        var bestGrid: (x: Double, v: Double)?
        if scanSteps > 0 {
            let h = (b - a) / Double(scanSteps)
            var bestIndex = -1
            var bestValue = Double.infinity
            for i in 0...scanSteps {
                let v = value(range.lowerBound + Double(i) * h)
                if v < bestValue { bestValue = v; bestIndex = i }
            }
            guard bestIndex >= 0 else { return nil }
            bestGrid = (range.lowerBound + Double(bestIndex) * h, bestValue)
            a = range.lowerBound + Double(max(bestIndex - 1, 0)) * h
            b = range.lowerBound + Double(min(bestIndex + 1, scanSteps)) * h
        }
        let r = (5.0.squareRoot() - 1) / 2
        var x1 = b - r * (b - a), x2 = a + r * (b - a)
        var f1 = value(x1), f2 = value(x2)
        for _ in 0..<200 where b - a > tolerance {
            if f1 <= f2 { b = x2; x2 = x1; f2 = f1; x1 = b - r * (b - a); f1 = value(x1) }
            else { a = x1; x1 = x2; f1 = f2; x2 = a + r * (b - a); f2 = value(x2) }
        }
        let mid = (a + b) / 2
        let midValue = value(mid)
        if let g = bestGrid, g.v < midValue { return g.x }
        return midValue.isFinite || bestGrid == nil ? mid : bestGrid?.x
    }
}
