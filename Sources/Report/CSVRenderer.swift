import Diagnostics
import CSV
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import ValueTree

/// Writes `ReportValue` as CSV that pandas reads without options: a list of objects is one
/// row per object; any other value is a single row. Nested objects are flattened into
/// dotted column names ("parameters.alpha"); lists of scalars are joined with ";".
enum CSVRenderer {
    static func render(_ value: ReportValue) -> String {
        let rows: [[(String, String)]]
        if case .list(let items) = value, items.allSatisfy({ if case .object = $0 { true } else { false } }), !items.isEmpty {
            rows = items.map { flatten($0, prefix: "") }
        } else {
            rows = [flatten(value, prefix: "")]
        }
        var columns: [String] = []
        var seen = Set<String>()
        for row in rows { for (k, _) in row where seen.insert(k).inserted { columns.append(k) } }

        let stream = OutputStream(toMemory: ())
        guard let writer = try? CSVWriter(stream: stream) else { return "" }
        try? writer.write(row: columns)
        for row in rows {
            let lookup = Dictionary(row, uniquingKeysWith: { a, _ in a })
            try? writer.write(row: columns.map { lookup[$0] ?? "" })
        }
        writer.stream.close()
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        var text = String(decoding: data, as: UTF8.self)
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }

    private static func flatten(_ value: ReportValue, prefix: String) -> [(String, String)] {
        func name(_ k: String) -> String { prefix.isEmpty ? k : "\(prefix).\(k)" }
        switch value {
        case .object(let pairs):
            return pairs.flatMap { k, v in flatten(v, prefix: name(k)) }
        case .list(let items) where items.allSatisfy(\.isScalar):
            return [(prefix.isEmpty ? "value" : prefix, items.map(cell).joined(separator: ";"))]
        case .list(let items):
            return items.enumerated().flatMap { i, v in flatten(v, prefix: name(String(i))) }
        default:
            return [(prefix.isEmpty ? "value" : prefix, cell(value))]
        }
    }

    private static func cell(_ v: ReportValue) -> String {
        switch v {
        case .number(let d): d.isFinite ? NumberText.exact(d) : ""
        case .integer(let i): String(i)
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        case .null: ""
        default: ""
        }
    }
}
