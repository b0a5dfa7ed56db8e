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
        if case .list(let items) = value, items.allSatisfy({ if case .object = $0 { true } else { false } }), !items.isEmpty {
            return CSVSheet(part: "", objects: items).text
        }
        return CSVSheet(part: "", objects: [value]).text
    }

    /// `value`'s scalar cells with dotted column names (lists of scalars joined with ";").
    static func flattenCells(_ value: ReportValue, prefix: String = "") -> [(String, ReportValue)] {
        func name(_ k: String) -> String { prefix.isEmpty ? k : "\(prefix).\(k)" }
        switch value {
        case .object(let pairs):
            return pairs.flatMap { k, v in flattenCells(v, prefix: name(k)) }
        case .list(let items) where items.allSatisfy(\.isScalar):
            return [(prefix.isEmpty ? "value" : prefix, .string(items.map(cell).joined(separator: ";")))]
        case .list(let items):
            return items.enumerated().flatMap { i, v in flattenCells(v, prefix: name(String(i))) }
        default:
            return [(prefix.isEmpty ? "value" : prefix, value)]
        }
    }

    static func cell(_ v: ReportValue) -> String {
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
