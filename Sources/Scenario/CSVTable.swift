import ExperimentDesign
import FileIO
import Foundation
import Numerics

/// A CSV file with a header row (RFC 4180 quoting, see `CSVRecords`), whose cells are looked
/// up by column name with errors that name the file, line and column of the cell.
public struct CSVTable: Sendable {
    /// The file, as the user named it.
    public let file: String
    /// Column names from the header row (trimmed).
    public let header: [String]
    /// Data rows; every row has `header.count` cells.
    public let rows: [[String]]
    /// The one-based file line on which each data row starts.
    public let lines: [Int]
    /// The one-based character column at which each cell starts (`cellColumns[i][j]`).
    public let cellColumns: [[Int]]
    /// The one-based character column of each header name.
    public let headerColumns: [Int]

    /// Largest number of data rows accepted (a typo in a path cannot start an hours-long fit).
    public static let maximumRows = 100_000

    /// Reads and checks a CSV file: header present, no duplicate or empty column names,
    /// no ragged rows, at least one data row, at most `maximumRows`.
    public static func load(path: String) throws(InputError) -> CSVTable {
        try parse(try InputFile.text(at: path), file: path)
    }

    public static func parse(_ text: String, file: String) throws(InputError) -> CSVTable {
        let records = try CSVRecords.parse(text, file: file)
        guard let first = records.first else { throw InputError(file: file, "the CSV file has no header row") }
        let header = first.map(\.text)
        var seen = Set<String>()
        for field in first {
            guard !field.text.isEmpty else {
                throw InputError(file: file, line: field.line, column: field.column, "column \(seen.count + 1) of the header has no name")
            }
            guard seen.insert(field.text).inserted else {
                throw InputError(file: file, line: field.line, column: field.column, "the header names column '\(field.text)' twice")
            }
        }
        let data = records.dropFirst()
        guard !data.isEmpty else {
            throw InputError(file: file, line: first[0].line + 1, column: 1, "the CSV file has a header but no data rows")
        }
        guard data.count <= maximumRows else {
            throw InputError(file: file, line: data[data.startIndex + maximumRows].first!.line, column: 1,
                             "the table has more than \(maximumRows) data rows, the most scaleplan reads")
        }
        for record in data where record.count != header.count {
            let at = record.count > header.count ? record[header.count] : record[record.count - 1]
            throw InputError(file: file, line: at.line, column: at.column,
                             "the row has \(fields(record.count)) but the header has \(header.count)")
        }
        return CSVTable(file: file, header: header, rows: data.map { $0.map(\.text) }, lines: data.map { $0[0].line },
                        cellColumns: data.map { $0.map(\.column) }, headerColumns: first.map(\.column))
    }

    static func fields(_ n: Int) -> String { n == 1 ? "1 field" : "\(n) fields" }

    /// The index of the column named `name`.
    ///
    /// - Parameter option: the flag that chose the name, for the message.
    public func column(_ name: String, option: String? = nil) throws(InputError) -> Int {
        guard let j = header.firstIndex(of: name) else {
            let via = option.map { " (set with \($0))" } ?? ""
            throw InputError(file: file, line: 1, column: 1,
                             "there is no column '\(name)'\(via); the columns are \(header.map { "'\($0.prefix(40))'" }.prefix(20).joined(separator: ", "))\(header.count > 20 ? ", ..." : "")")
        }
        return j
    }

    /// Where cell (i, j) starts.
    public func location(row i: Int, column j: Int) -> SourceLocation {
        SourceLocation(file: file, line: lines[i], column: cellColumns[i][j])
    }

    /// The cell at data row `i`, column `j` as a finite number (SI suffixes allowed).
    public func number(row i: Int, column j: Int) throws(InputError) -> Double {
        let cell = rows[i][j]
        guard let v = Quantity.parse(cell) else {
            let shown = cell.isEmpty ? "an empty cell" : "'\(cell.prefix(40))'"
            throw InputError(at: location(row: i, column: j), "column '\(header[j])' must be a finite number, found \(shown)")
        }
        return v
    }

    /// The cell as a number greater than zero.
    public func positiveNumber(row i: Int, column j: Int) throws(InputError) -> Double {
        let v = try number(row: i, column: j)
        guard v > 0 else {
            throw InputError(at: location(row: i, column: j), "column '\(header[j])' must be greater than 0, found \(Quantity.plain(v))")
        }
        return v
    }
}
