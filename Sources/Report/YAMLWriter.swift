import Diagnostics
import ExperimentDesign
import FileIO
import Numerics
import ValueTree

/// Writes `ReportValue` as block-style YAML. Strings are always double-quoted (JSON
/// escapes are valid YAML), so no value can be mistaken for a number or a boolean.
enum YAMLWriter {
    static func render(_ value: ReportValue) -> String {
        var out = ""
        switch value {
        case .object(let pairs) where !pairs.isEmpty: writePairs(pairs, indent: 0, into: &out)
        case .list(let items) where !items.isEmpty: writeItems(items, indent: 0, into: &out)
        default: out = scalar(value) + "\n"
        }
        return out
    }

    private static func scalar(_ v: ReportValue) -> String {
        switch v {
        case .number(let d): d.isFinite ? NumberText.exact(d) : (d.isNaN ? ".nan" : (d > 0 ? ".inf" : "-.inf"))
        case .integer(let i): String(i)
        case .string(let s): JSONWriter.quote(s)
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .list(let items): "[" + items.map(scalar).joined(separator: ", ") + "]"
        case .object(let pairs): "{" + pairs.map { "\(key($0.0)): \(scalar($0.1))" }.joined(separator: ", ") + "}"
        }
    }

    private static func key(_ k: String) -> String {
        k.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } && !(k.first?.isNumber ?? true) ? k : JSONWriter.quote(k)
    }

    private static func isInline(_ v: ReportValue) -> Bool {
        switch v {
        case .object(let p): p.isEmpty
        case .list(let items): items.allSatisfy(\.isScalar)
        default: true
        }
    }

    private static func writePairs(_ pairs: [(String, ReportValue)], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for (k, v) in pairs {
            if isInline(v) {
                out += "\(pad)\(key(k)): \(scalar(v))\n"
            } else if case .object(let inner) = v {
                out += "\(pad)\(key(k)):\n"
                writePairs(inner, indent: indent + 2, into: &out)
            } else if case .list(let items) = v {
                out += "\(pad)\(key(k)):\n"
                writeItems(items, indent: indent + 2, into: &out)
            }
        }
    }

    private static func writeItems(_ items: [ReportValue], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            if isInline(item) {
                out += "\(pad)- \(scalar(item))\n"
            } else if case .object(let inner) = item {
                var block = ""
                writePairs(inner, indent: indent + 2, into: &block)
                // Put the first key on the dash line.
                let trimmed = block.dropFirst(indent + 2)
                out += "\(pad)- " + trimmed
            } else if case .list(let inner) = item {
                out += "\(pad)-\n"
                writeItems(inner, indent: indent + 2, into: &out)
            }
        }
    }
}
