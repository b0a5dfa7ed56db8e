import Foundation

/// Number formatting shared by the writers.
public enum NumberText {
    /// Shortest text that reads back as the same Double ("0.1", "5.76e+23"); JSON-safe.
    public static func exact(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// Four significant digits for people, with SI suffixes for large counts.
    public static func human(_ d: Double) -> String {
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

    /// `digits` significant digits with a count suffix (K, M, B, T, P) from 1,000 up and
    /// exponent notation beyond 1e18 or below 1e-3: "70B", "1.4T", "12.3M", "0.25", "5.8e23".
    public static func short(_ d: Double, digits: Int = 3) -> String {
        guard d.isFinite else { return d.isNaN ? "n/a" : (d > 0 ? "inf" : "-inf") }
        let a = abs(d)
        if a == 0 { return "0" }
        if a >= 1e18 || a < 1e-3 { return exponent(d, digits: digits) }
        for (scale, suffix) in [(1e15, "P"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")] where a >= scale {
            // 999.96K rounds to "1000K"; move up a suffix instead.
            let scaled = significant(d / scale, digits: digits)
            if abs(Double(scaled) ?? 0) >= 1000, scale < 1e15 { return short(d.sign == .minus ? -1000 * scale : 1000 * scale, digits: digits) }
            return scaled + suffix
        }
        return significant(d, digits: digits)
    }

    /// `d` to `digits` significant digits in positional notation, trailing zeros trimmed
    /// ("200", "1.4", "0.0125"); integers keep all their digits.
    public static func significant(_ d: Double, digits: Int) -> String {
        guard d.isFinite, d != 0 else { return d == 0 ? "0" : short(d) }
        let magnitude = Int(Foundation.floor(Foundation.log10(abs(d))))
        let decimals = max(0, digits - 1 - magnitude)
        let rounded = String(format: "%.\(decimals)f", d)
        // Rounding can add a digit (9.99 -> "10.0"); trimming takes care of the zeros.
        return trim(rounded)
    }

    /// "5.8e23", "1e24": a mantissa of up to `digits` significant digits and a plain exponent.
    public static func exponent(_ d: Double, digits: Int = 3) -> String {
        guard d.isFinite, d != 0 else { return short(d) }
        let text = String(format: "%.\(max(digits - 1, 0))e", d)
        guard let e = text.firstIndex(of: "e") else { return text }
        let mantissa = trim(String(text[..<e]))
        let power = Int(text[text.index(after: e)...]) ?? 0
        return "\(mantissa)e\(power)"
    }

    /// A value in `unit` for people: "70B", "1.4T tokens", "$12.3M", "41 MWh", "5.8e23 FLOP".
    public static func quantity(_ d: Double, _ unit: DisplayUnit, digits: Int = 3) -> String {
        guard d.isFinite else { return short(d) }
        switch unit {
        case .plain: return short(d, digits: digits)
        case .params: return short(d, digits: digits)
        case .tokens: return short(d, digits: digits) + " tokens"
        case .usd: return (d < 0 ? "-$" : "$") + short(abs(d), digits: digits)
        case .flop: return exponent(d, digits: digits) + " FLOP"
        case .kwh:
            // Scale watt-hours by SI prefix so 41,000 kWh reads "41 MWh".
            let wh = d * 1000, a = abs(wh)
            for (scale, prefix) in [(1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, "")] where a >= scale {
                return significant(wh / scale, digits: digits) + " \(prefix)Wh"
            }
            return significant(wh, digits: digits) + " Wh"
        case .ms:
            // A second and more reads in seconds: "8.24 s", not "8.24K ms".
            return abs(d) >= 1000 ? significant(d / 1000, digits: digits) + " s" : short(d, digits: digits) + " ms"
        case .days:
            // Two years and more read in years (365.25 days): "8.19 years", not "2.99K d".
            return abs(d) >= 730.5 ? significant(d / 365.25, digits: digits) + " years" : short(d, digits: digits) + " d"
        case .loss:
            // Fixed decimals so a column of losses lines up: "2.000", "1.812".
            return abs(d) < 100 ? String(format: "%.\(max(digits - 1, 1))f", d) : significant(d, digits: digits)
        }
    }

    private static func trim(_ s: String) -> String {
        guard s.contains("."), !s.contains("e") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }
}

/// What a plotted or tabulated number measures, for labels in real units.
public enum DisplayUnit: String, Sendable {
    /// A dimensionless number ("0.25", "1.2K").
    case plain
    /// A parameter count ("70B").
    case params
    /// A token count ("1.4T tokens").
    case tokens
    /// US dollars ("$12.3M").
    case usd
    /// Floating-point operations ("5.8e23 FLOP").
    case flop
    /// Energy given in kWh, shown with an SI prefix on Wh ("41 MWh").
    case kwh
    /// Milliseconds.
    case ms
    /// Days.
    case days
    /// Loss, nats per token, with `digits - 1` decimals ("2.05" at 3 digits).
    case loss

    /// How this unit is named on an axis title.
    public var axisSuffix: String {
        switch self {
        case .plain, .params: ""
        case .tokens: " (tokens)"
        case .usd: " (USD)"
        case .flop: " (FLOP)"
        case .kwh: " (energy)"
        case .ms: " (ms)"
        case .days: " (days)"
        case .loss: " (nats/token)"
        }
    }

    /// Formats `value` in this unit ("$12.3M").
    public func format(_ value: Double, digits: Int = 3) -> String { NumberText.quantity(value, self, digits: digits) }

    /// A tick label: like `format`, without a unit word the axis title already gives
    /// ("1e24" rather than "1e24 FLOP"; "$12M" and "41 MWh" keep theirs).
    public func tick(_ value: Double, digits: Int = 3) -> String {
        switch self {
        case .flop: NumberText.exponent(value, digits: digits)
        case .tokens, .ms, .days: NumberText.short(value, digits: digits)
        default: format(value, digits: digits)
        }
    }
}
