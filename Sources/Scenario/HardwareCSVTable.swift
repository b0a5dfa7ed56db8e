import CSV
import Foundation

/// A small CSV table with a header row, read with yaslab/CSV.swift, whose cells report
/// `InputError`s at their line and column. Used for measurement and demand tables.
/// Rows are assumed to be one per line (no quoted newlines), so line = row index + 2.
struct HardwareCSVTable {
    let file: String
    let header: [String]
    /// Data rows with their one-based line numbers; blank lines are skipped.
    let rows: [(line: Int, fields: [String])]

    /// Reads `path`, requiring every column in `required` and allowing only `required + optional`.
    static func load(path: String, required: [String], optional: [String]) throws(InputError) -> HardwareCSVTable {
        let text = try InputFile.text(at: path)
        return try parse(text, file: path, required: required, optional: optional)
    }

    static func parse(_ text: String, file: String, required: [String], optional: [String]) throws(InputError) -> HardwareCSVTable {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true)
        } catch {
            throw InputError(file: file, line: 1, column: 1, "cannot read the CSV header row")
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let allowed = required + optional
        for (i, name) in header.enumerated() where !allowed.contains(name) {
            throw InputError(file: file, line: 1, column: columnOffset(header, i),
                             "unknown column '\(name)'; expected columns \(allowed.joined(separator: ", "))")
        }
        for name in required where !header.contains(name) {
            throw InputError(file: file, line: 1, column: 1, "the header is missing the required column '\(name)'")
        }
        var rows: [(Int, [String])] = []
        var line = 1
        while let row = reader.next() {
            line += 1
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.count == header.count else {
                throw InputError(file: file, line: line, column: 1, "the row has \(row.count) fields, the header has \(header.count)")
            }
            rows.append((line, row))
        }
        if let error = reader.error {
            throw InputError(file: file, line: line + 1, column: 1, "cannot parse the CSV: \(error)")
        }
        guard !rows.isEmpty else { throw InputError(file: file, line: 1, column: 1, "the table has no data rows") }
        return HardwareCSVTable(file: file, header: header, rows: rows)
    }

    private static func columnOffset(_ fields: [String], _ index: Int) -> Int {
        fields.prefix(index).reduce(1) { $0 + $1.count + 1 }
    }

    /// The cell of `column` in row `row`, or nil when the column is absent or the cell empty.
    func cell(_ row: Int, _ column: String) -> (text: String, location: SourceLocation)? {
        guard let j = header.firstIndex(of: column) else { return nil }
        let (line, fields) = rows[row]
        let text = fields[j].trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        return (text, SourceLocation(file: file, line: line, column: Self.columnOffset(fields, j)))
    }

    /// The cell as a number (SI suffixes allowed) that satisfies `check`; nil when empty.
    func number(_ row: Int, _ column: String, positive: Bool = true) throws(InputError) -> Double? {
        guard let (text, location) = cell(row, column) else { return nil }
        guard let v = Quantity.parse(text) else {
            throw InputError(at: location, "'\(column)' must be a finite number, found '\(text)'")
        }
        guard positive ? v > 0 : v >= 0 else {
            throw InputError(at: location, "'\(column)' must be \(positive ? "greater than" : "at least") 0, found \(v)")
        }
        return v
    }

    /// The cell as a whole number ≥ `minimum`; nil when empty.
    func integer(_ row: Int, _ column: String, minimum: Int = 1) throws(InputError) -> Int? {
        guard let (text, location) = cell(row, column) else { return nil }
        guard let v = Quantity.parse(text), v == v.rounded(), v >= Double(minimum), v < 1e15 else {
            throw InputError(at: location, "'\(column)' must be a whole number of at least \(minimum), found '\(text)'")
        }
        return Int(v)
    }

    /// Where row `row` starts, for errors about the row as a whole.
    func location(_ row: Int) -> SourceLocation { SourceLocation(file: file, line: rows[row].line, column: 1) }
}
