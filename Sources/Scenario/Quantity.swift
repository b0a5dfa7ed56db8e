import ExperimentDesign
import FileIO
import Foundation
import Numerics

/// Parses numbers as users write them in scenarios and on the command line.
public enum Quantity {
    /// SI-style multipliers: K = 1e3, M = 1e6, B or G = 1e9, T = 1e12, P = 1e15.
    public static let suffixes: [Character: Double] = ["K": 1e3, "k": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12, "P": 1e15]

    /// Parses "70B", "1.4T", "5.76e23", "2_000", "0.05" into a finite Double; nil if malformed.
    /// Underscores between digits are ignored; a suffix multiplies the number before it.
    public static func parse(_ text: String) -> Double? {
        var s = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
        guard !s.isEmpty else { return nil }
        var multiplier = 1.0
        if let last = s.last, let m = suffixes[last] {
            multiplier = m
            s.removeLast()
        }
        // Only plain decimal notation: no hex, no "inf"/"nan", no leading "+" oddities beyond one sign.
        let allowed = CharacterSet(charactersIn: "0123456789.eE+-")
        guard !s.isEmpty, s.unicodeScalars.allSatisfy({ allowed.contains($0) }),
              s.contains(where: \.isNumber), let v = Double(s) else { return nil }
        let value = v * multiplier
        return value.isFinite ? value : nil
    }

    /// A number as people write it in messages: 1 rather than 1.0, 5e+23 as Swift prints it.
    public static func plain(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// Formats a count compactly with an SI suffix and 3 significant digits: 7.00e10 -> "70B".
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let a = abs(value)
        let table: [(Double, String)] = [(1e15, "P"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")]
        for (scale, suffix) in table where a >= scale {
            if a >= 1e18 { break }
            return significant(value / scale) + suffix
        }
        if a >= 1e18 || (a < 1e-3 && a > 0) { return String(format: "%.3g", value) }
        return significant(value)
    }

    private static func significant(_ v: Double) -> String {
        var s = String(format: "%.3g", v)
        if s.contains("e") { return s }
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }
}
