import Diagnostics
import ExperimentDesign
import FileIO
import Numerics
import ValueTree

/// Writes `ReportValue` as JSON, two-space indented, keys in insertion order.
/// Non-finite numbers become `null` (JSON has no NaN).
enum JSONWriter {
    static func render(_ value: ReportValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out
    }

    private static func write(_ value: ReportValue, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent + 2)
        let close = String(repeating: " ", count: indent)
        switch value {
        case .number(let d): out += NumberText.exact(d)
        case .integer(let i): out += String(i)
        case .string(let s): out += quote(s)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .list(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy(\.isScalar) {
                out += "[" + items.map { render($0) }.joined(separator: ", ") + "]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                write(item, indent: indent + 2, into: &out)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += close + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (k, v)) in pairs.enumerated() {
                out += pad + quote(k) + ": "
                write(v, indent: indent + 2, into: &out)
                out += i + 1 < pairs.count ? ",\n" : "\n"
            }
            out += close + "}"
        }
    }

    static func quote(_ s: String) -> String { ReportValue.quoted(s) }
}

extension ReportValue {
    var isScalar: Bool {
        switch self {
        case .list, .object: false
        default: true
        }
    }
}
