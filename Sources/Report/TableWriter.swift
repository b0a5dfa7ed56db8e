import Diagnostics
import ExperimentDesign
import FileIO
import Numerics
import ValueTree

/// Writes `ReportValue` for a terminal: objects as indented "key  value" lines, lists of
/// objects as aligned columns, numbers to four significant digits with SI suffixes.
enum TableWriter {
    static func render(_ value: ReportValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out
    }

    private static func write(_ value: ReportValue, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let pairs):
            let width = pairs.filter { isInline($0.1) }.map(\.0.count).max() ?? 0
            for (k, v) in pairs {
                if isInline(v) {
                    let lead = pad + k + String(repeating: " ", count: width - k.count + 2)
                    out += wrap(cell(v), first: lead, width: maxWidth)
                } else {
                    out += pad + k + ":\n"
                    write(v, indent: indent + 2, into: &out)
                }
            }
        case .list(let items) where !items.isEmpty && items.allSatisfy(isFlatObject):
            out += grid(items, indent: indent)
        case .list(let items):
            for item in items {
                if isInline(item) { out += pad + "- " + cell(item) + "\n" } else { write(item, indent: indent + 2, into: &out) }
            }
        default:
            out += pad + cell(value) + "\n"
        }
    }

    /// Terminal width that key-value lines wrap at.
    static let maxWidth = 100

    /// `lead` then `text`, wrapped at spaces so no line passes `width`; continuation lines
    /// are indented to the value column. A word longer than a line is left whole.
    static func wrap(_ text: String, first lead: String, width: Int) -> String {
        guard lead.count + text.count > width, lead.count < width - 20 else { return lead + text + "\n" }
        let indent = String(repeating: " ", count: lead.count)
        var out = "", line = lead, empty = true
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !empty, line.count + 1 + word.count > width {
                out += line.trimmingTrailingSpaces() + "\n"
                line = indent; empty = true
            }
            line += (empty ? "" : " ") + word
            empty = false
        }
        return out + line + "\n"
    }

    private static func isFlatObject(_ v: ReportValue) -> Bool {
        if case .object(let p) = v { return p.allSatisfy { isInline($0.1) } }
        return false
    }

    private static func isInline(_ v: ReportValue) -> Bool {
        switch v {
        case .object(let p): p.isEmpty
        case .list(let items): items.allSatisfy(\.isScalar) && items.count <= 64
        default: true
        }
    }

    private static func grid(_ rows: [ReportValue], indent: Int) -> String {
        var columns: [String] = []
        for case .object(let p) in rows { for (k, _) in p where !columns.contains(k) { columns.append(k) } }
        let cells: [[String]] = rows.map { row in columns.map { row[$0].map(cell) ?? "" } }
        let numeric: [Bool] = columns.map { key in
            rows.allSatisfy { row in
                switch row[key] {
                case .number?, .integer?, .null?, nil: true
                case .string(let s)?: looksNumeric(s)
                default: false
                }
            }
        }
        var widths = columns.indices.map { j in max(columns[j].count, cells.map { $0[j].count }.max() ?? 0) }
        let pad = String(repeating: " ", count: indent)
        // A last text column (sources, notes) that would pass the terminal width wraps
        // within its column instead.
        let last = columns.count - 1
        let before = indent + widths.dropLast().reduce(0, +) + 2 * last
        let wrapLast = last >= 0 && !numeric[last] && before + widths[last] > maxWidth && maxWidth - before >= 24
        if wrapLast { widths[last] = max(columns[last].count, maxWidth - before) }
        func line(_ items: [String]) -> String {
            pad + items.enumerated().map { j, s in
                let fill = String(repeating: " ", count: max(0, widths[j] - s.count))
                return numeric[j] ? fill + s : s + fill
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }
        var out = line(columns)
        for row in cells {
            guard wrapLast, row[last].count > widths[last] else { out += line(row); continue }
            let lead = line(row.dropLast() + [""]).dropLast().description
            let wrapped = wrap(row[last], first: lead.padding(toLength: before, withPad: " ", startingAt: 0), width: maxWidth)
            out += wrapped
        }
        return out
    }

    /// Text that reads as a quantity ("70B", "$12.3M", "-4.2", "41 MWh", "-"), right-aligned
    /// in a column of them.
    static func looksNumeric(_ s: String) -> Bool {
        guard let c = s.drop(while: { $0 == "-" || $0 == "$" }).first else { return s == "-" || s.isEmpty }
        return c.isNumber
    }

    static func cell(_ v: ReportValue) -> String {
        switch v {
        case .number(let d): NumberText.human(d)
        case .integer(let i): String(i)
        case .string(let s): s
        case .bool(let b): b ? "yes" : "no"
        case .null: "-"
        case .list(let items): items.map(cell).joined(separator: ", ")
        case .object: ""
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
