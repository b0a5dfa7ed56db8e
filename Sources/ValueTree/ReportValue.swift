/// A tree of output values in a fixed order: what every command builds and every output
/// format renders. Keys keep their insertion order, so JSON output is byte-identical from
/// run to run and key order reads the way the command intends.
public indirect enum ReportValue: Equatable, Sendable {
    case number(Double)
    case integer(Int)
    case string(String)
    case bool(Bool)
    case null
    case list([ReportValue])
    case object([(String, ReportValue)])

    public static func == (lhs: ReportValue, rhs: ReportValue) -> Bool {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): a == b || (a.isNaN && b.isNaN)
        case (.integer(let a), .integer(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        case (.list(let a), .list(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The value for `key` in an object, or nil.
    public subscript(key: String) -> ReportValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// The number, if this is `.number` or `.integer`.
    public var doubleValue: Double? {
        switch self {
        case .number(let d): d
        case .integer(let i): Double(i)
        default: nil
        }
    }
}

extension ReportValue {
    /// A number, or null when there is none: the one rule for a value that does not apply
    /// (a plan without serving has no TPOT): its key stays, with null.
    public static func number(_ d: Double?) -> ReportValue { d.map { .number($0) } ?? .null }
    /// A string, or null.
    public static func string(_ s: String?) -> ReportValue { s.map { .string($0) } ?? .null }
}

/// Builds an object value with `key: value` pairs in order, dropping nil values (a section
/// that does not apply); a value that does not apply is `.null`, not nil.
public func reportObject(_ pairs: [(String, ReportValue?)]) -> ReportValue {
    .object(pairs.compactMap { k, v in v.map { (k, $0) } })
}

extension ReportValue {
    /// `s` as a JSON string literal (quotes, backslashes and control characters escaped);
    /// also a valid double-quoted YAML scalar.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
