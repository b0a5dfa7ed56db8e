import Foundation

/// Number formatting shared by the writers.
enum NumberText {
    /// Shortest text that reads back as the same Double ("0.1", "5.76e+23"); JSON-safe.
    static func exact(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// Four significant digits for people, with SI suffixes for large counts.
    static func human(_ d: Double) -> String {
        guard d.isFinite else { return d.isNaN ? "n/a" : (d > 0 ? "inf" : "-inf") }
        let a = abs(d)
        if a == 0 { return "0" }
        if a >= 1e18 || a < 1e-3 { return String(format: "%.4g", d) }
        if a >= 1e4 {
            for (scale, suffix) in [(1e15, "P"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")] where a >= scale {
                return trim(String(format: "%.4g", d / scale)) + suffix
            }
        }
        return trim(String(format: "%.4g", d))
    }

    private static func trim(_ s: String) -> String {
        guard s.contains("."), !s.contains("e") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }
}
