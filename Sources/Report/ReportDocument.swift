import Diagnostics
import ValueTree

/// The envelope every command's output shares. JSON and YAML: an object whose first key is
/// `schema_version` and whose last is `warnings` (a list of `{code, message, subject}`), with
/// the answer's keys between, or, for an answer that is a list, the list under one key. A
/// table: the answer, then a `warnings:` section when there are any. CSV: the answer's rows;
/// a one-row answer gets a `warnings` column ("code: message" joined by " | ").
public struct ReportDocument: Sendable {
    /// The version of the output contract; it changes only when a key is renamed or removed.
    public static let schemaVersion = 1

    /// The answer: an object, or a list of rows.
    public var body: ReportValue
    /// The key a list answer goes under in JSON and YAML ("frontier", "hardware", ...).
    public var listKey: String
    public var warnings: [Warning]

    public init(_ body: ReportValue, listKey: String = "items", warnings: [Warning] = []) {
        self.body = body
        self.listKey = listKey
        self.warnings = warnings.deduplicated()
    }

    /// The warnings as a report value: a list of `{code, message, subject}` (subject null for
    /// the answer as a whole).
    public static func value(of warnings: [Warning]) -> ReportValue {
        .list(warnings.map { w in
            .object([("code", .string(w.code.rawValue)), ("message", .string(w.message)), ("subject", w.subject.map { .string($0) } ?? .null)])
        })
    }

    /// The envelope for JSON and YAML.
    public var tree: ReportValue {
        var pairs: [(String, ReportValue)] = [("schema_version", .integer(Self.schemaVersion))]
        if case .object(let kv) = body { pairs += kv.filter { $0.0 != "schema_version" && $0.0 != "warnings" } } else { pairs.append((listKey, body)) }
        pairs.append(("warnings", Self.value(of: warnings)))
        return .object(pairs)
    }

    public func rendered(as format: OutputFormat) -> String {
        switch format {
        case .json, .yaml: return tree.rendered(as: format)
        case .csv:
            guard case .object(var kv) = body else { return body.rendered(as: .csv) }
            kv.append(("warnings", .string(warnings.map { "\($0.code.rawValue): \($0.description)" }.joined(separator: " | "))))
            return ReportValue.object(kv).rendered(as: .csv)
        case .table:
            let text = body.rendered(as: .table)
            guard !warnings.isEmpty else { return text }
            return text + (text.hasSuffix("\n") ? "" : "\n") + "warnings:\n"
                + warnings.map { Self.wrapped("\($0.code.rawValue): \($0.description)", width: Self.tableWidth, indent: 2, hanging: 4) }.joined()
        }
    }

    /// Tables fit a 100-column terminal.
    public static let tableWidth = 100

    /// `text` broken at spaces into lines of at most `width` columns: the first indented by
    /// `indent`, the rest by `hanging`; a word longer than a line stands alone.
    static func wrapped(_ text: String, width: Int, indent: Int, hanging: Int) -> String {
        var lines: [String] = []
        var line = String(repeating: " ", count: indent)
        var empty = true
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !empty && line.count + 1 + word.count > width {
                lines.append(line)
                line = String(repeating: " ", count: hanging)
                empty = true
            }
            line += (empty ? "" : " ") + word
            empty = false
        }
        lines.append(line)
        return lines.joined(separator: "\n") + "\n"
    }
}
