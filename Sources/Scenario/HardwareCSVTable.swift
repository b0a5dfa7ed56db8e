import ExperimentDesign
import FileIO
import Foundation
import Numerics

/// A small CSV table with a header row (see `CSVRecords`) whose cells report `InputError`s at
/// their line and column. Used for measurement and demand tables; column names are
/// case-insensitive and must come from a fixed list.
struct HardwareCSVTable {
    let file: String
    let header: [String]
    /// Data rows with their one-based line numbers and the column of each cell; blank lines are skipped.
    let rows: [(line: Int, fields: [String], columns: [Int])]

    /// Reads `path`, requiring every column in `required` and allowing only `required + optional`.
    static func load(path: String, required: [String], optional: [String]) throws(InputError) -> HardwareCSVTable {
        let text = try InputFile.text(at: path)
        return try parse(text, file: path, required: required, optional: optional)
    }

    static func parse(_ text: String, file: String, required: [String], optional: [String]) throws(InputError) -> HardwareCSVTable {
        let records = try CSVRecords.parse(text, file: file)
        guard let first = records.first else { throw InputError(file: file, "the CSV file has no header row") }
        let header = first.map { $0.text.lowercased() }
        let allowed = required + optional
        var seen = Set<String>()
        for (name, field) in zip(header, first) {
            guard allowed.contains(name) else {
                throw InputError(file: file, line: field.line, column: field.column,
                                 "unknown column '\(name.prefix(40))'; expected columns \(allowed.joined(separator: ", "))")
            }
            guard seen.insert(name).inserted else {
                throw InputError(file: file, line: field.line, column: field.column, "the header names column '\(name)' twice")
            }
        }
        for name in required where !header.contains(name) {
            throw InputError(file: file, line: first[0].line, column: 1, "the header is missing the required column '\(name)'")
        }
        let data = records.dropFirst()
        guard !data.isEmpty else { throw InputError(file: file, line: first[0].line, column: 1, "the table has no data rows") }
        guard data.count <= CSVTable.maximumRows else {
            throw InputError(file: file, line: data[data.startIndex + CSVTable.maximumRows][0].line, column: 1,
                             "the table has more than \(CSVTable.maximumRows) data rows, the most scaleplan reads")
        }
        for record in data where record.count != header.count {
            let at = record.count > header.count ? record[header.count] : record[record.count - 1]
            throw InputError(file: file, line: at.line, column: at.column,
                             "the row has \(CSVTable.fields(record.count)) but the header has \(header.count)")
        }
        return HardwareCSVTable(file: file, header: header, rows: data.map { ($0[0].line, $0.map(\.text), $0.map(\.column)) })
    }

    /// The cell of `column` in row `row`, or nil when the column is absent or the cell empty.
    func cell(_ row: Int, _ column: String) -> (text: String, location: SourceLocation)? {
        guard let j = header.firstIndex(of: column) else { return nil }
        let r = rows[row]
        let text = r.fields[j].trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        return (text, SourceLocation(file: file, line: r.line, column: r.columns[j]))
    }

    /// The cell as a number (SI suffixes allowed), greater than 0 (or at least 0 unless
    /// `positive`); nil when empty.
    func number(_ row: Int, _ column: String, positive: Bool = true) throws(InputError) -> Double? {
        guard let (v, location) = try finiteNumber(row, column) else { return nil }
        guard positive ? v > 0 : v >= 0 else {
            throw InputError(at: location, "'\(column)' must be \(positive ? "greater than" : "at least") 0, found \(Quantity.plain(v))")
        }
        return v
    }

    /// The cell as a number (SI suffixes allowed) within `range`; nil when empty.
    func number(_ row: Int, _ column: String, in range: ClosedRange<Double>) throws(InputError) -> Double? {
        guard let (v, location) = try finiteNumber(row, column) else { return nil }
        guard range.contains(v) else {
            throw InputError(at: location, "'\(column)' must be between \(Quantity.plain(range.lowerBound)) and \(Quantity.plain(range.upperBound)), found \(Quantity.plain(v))")
        }
        return v
    }

    /// The cell as a finite number (SI suffixes allowed) with where it stands; nil when empty.
    private func finiteNumber(_ row: Int, _ column: String) throws(InputError) -> (Double, SourceLocation)? {
        guard let (text, location) = cell(row, column) else { return nil }
        guard let v = Quantity.parse(text) else {
            throw InputError(at: location, "'\(column)' must be a finite number, found '\(text.prefix(40))'")
        }
        return (v, location)
    }

    /// The cell as a whole number from `minimum` to `maximum`; nil when empty.
    func integer(_ row: Int, _ column: String, minimum: Int = 1, maximum: Int = 1 << 40) throws(InputError) -> Int? {
        guard let (text, location) = cell(row, column) else { return nil }
        guard let v = Quantity.parse(text), v == v.rounded(), v >= Double(minimum), v <= Double(maximum) else {
            throw InputError(at: location, "'\(column)' must be a whole number from \(minimum) to \(Quantity.plain(Double(maximum))), found '\(text.prefix(40))'")
        }
        return Int(v)
    }

    /// Where row `row` starts, for errors about the row as a whole.
    func location(_ row: Int) -> SourceLocation { SourceLocation(file: file, line: rows[row].line, column: 1) }
}
