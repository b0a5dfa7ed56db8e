import CSV
import Foundation

/// A CSV file with a header row, read with yaslab/CSV.swift (RFC 4180 quoting), whose
/// cells are looked up by column name with errors that name the file, line and column.
public struct CSVTable: Sendable {
    /// The file, as the user named it.
    public let file: String
    /// Column names from the header row (trimmed).
    public let header: [String]
    /// Data rows; every row has `header.count` cells.
    public let rows: [[String]]
    /// The one-based file line on which each data row starts.
    public let lines: [Int]

    /// Reads and checks a CSV file: header present, no duplicate or empty column names,
    /// no ragged rows, at least one data row.
    public static func load(path: String) throws(InputError) -> CSVTable {
        try parse(try InputFile.text(at: path), file: path)
    }

    public static func parse(_ text: String, file: String) throws(InputError) -> CSVTable {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true)
        } catch {
            throw InputError(file: file, line: 1, column: 1, "cannot read the CSV header row")
        }
        guard let rawHeader = reader.headerRow else { throw InputError(file: file, line: 1, column: 1, "the CSV file has no header row") }
        let header = rawHeader.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        for (j, name) in header.enumerated() {
            guard !name.isEmpty else { throw InputError(file: file, line: 1, column: j + 1, "column \(j + 1) of the header has no name") }
            guard seen.insert(name).inserted else { throw InputError(file: file, line: 1, column: j + 1, "the header names column '\(name)' twice") }
        }
        // Line numbers: count the newlines each record spans (quoted fields may contain some).
        var rows: [[String]] = []
        var lines: [Int] = []
        var line = 2
        while let row = reader.next() {
            let span = row.reduce(0) { $0 + $1.reduce(0) { $1 == "\n" ? $0 + 1 : $0 } }
            if row.count == 1, row[0].isEmpty { line += 1 + span; continue }  // blank line
            guard row.count == header.count else {
                throw InputError(file: file, line: line, column: min(row.count, header.count) + 1,
                                 "row has \(row.count) fields but the header has \(header.count)")
            }
            rows.append(row)
            lines.append(line)
            line += 1 + span
        }
        if let error = reader.error { throw InputError(file: file, line: line, column: 1, "cannot read the CSV: \(error)") }
        guard !rows.isEmpty else { throw InputError(file: file, line: 2, column: 1, "the CSV file has a header but no data rows") }
        return CSVTable(file: file, header: header, rows: rows, lines: lines)
    }

    /// The index of the column named `name`.
    ///
    /// - Parameter option: the flag that chose the name, for the message.
    public func column(_ name: String, option: String? = nil) throws(InputError) -> Int {
        guard let j = header.firstIndex(of: name) else {
            let via = option.map { " (set with \($0))" } ?? ""
            throw InputError(file: file, line: 1, column: 1,
                             "there is no column '\(name)'\(via); the columns are \(header.map { "'\($0)'" }.joined(separator: ", "))")
        }
        return j
    }

    /// The cell at data row `i`, column `j` as a finite number (SI suffixes allowed).
    public func number(row i: Int, column j: Int) throws(InputError) -> Double {
        let cell = rows[i][j]
        guard let v = Quantity.parse(cell) else {
            let shown = cell.isEmpty ? "an empty cell" : "'\(cell.prefix(40))'"
            throw InputError(file: file, line: lines[i], column: j + 1, "column '\(header[j])' must be a finite number, found \(shown)")
        }
        return v
    }

    /// The cell as a number greater than zero.
    public func positiveNumber(row i: Int, column j: Int) throws(InputError) -> Double {
        let v = try number(row: i, column: j)
        guard v > 0 else { throw InputError(file: file, line: lines[i], column: j + 1, "column '\(header[j])' must be greater than 0, found \(v)") }
        return v
    }
}
