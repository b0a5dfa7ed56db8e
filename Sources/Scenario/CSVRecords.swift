import ExperimentDesign
import FileIO
import Numerics

/// Splits CSV text into records whose fields know their line and column, so every later
/// error can point at the cell. RFC 4180 with the usual leniencies: records end at LF, CRLF
/// or CR; fields are separated by commas; a field in double quotes may hold commas, line
/// breaks and doubled quotes (`""`); spaces around a field are dropped; blank lines are
/// skipped. Anything else is an error at its position: a quote inside an unquoted field,
/// text after a closing quote, or a quote that is never closed.
public struct CSVRecords {
    /// One field: its text (unquoted) and where it starts (one-based line and column, the
    /// column of its first non-space character, in characters).
    public struct Field: Sendable, Equatable {
        public let text: String
        public let line: Int
        public let column: Int
    }

    /// Largest number of fields in one record (a header wider than this is not a table of runs).
    public static let maximumFields = 10_000

    /// The records, each a non-empty list of fields, in file order; blank lines are skipped.
    public static func parse(_ text: String, file: String) throws(InputError) -> [[Field]] {
        var records: [[Field]] = []
        var record: [Field] = []
        var scalars = text.unicodeScalars[...]
        var line = 1, column = 1

        /// Consumes one scalar, keeping the position; a CR LF pair counts as one line break.
        func next() -> Unicode.Scalar? {
            guard let c = scalars.popFirst() else { return nil }
            if c == "\n" || (c == "\r" && scalars.first != "\n") {
                line += 1; column = 1
            } else if c != "\r" {
                column += 1
            }
            return c
        }
        func peek() -> Unicode.Scalar? { scalars.first }
        func isSpace(_ c: Unicode.Scalar?) -> Bool { c == " " || c == "\t" }
        func isBreak(_ c: Unicode.Scalar?) -> Bool { c == "\n" || c == "\r" }

        while true {
            // One field: skip leading spaces, then a quoted or a plain field.
            while isSpace(peek()) { _ = next() }
            let startLine = line, startColumn = column
            var value = String.UnicodeScalarView()
            let quoted = peek() == "\""
            if quoted {
                _ = next()
                while true {
                    guard let c = next() else {
                        throw InputError(file: file, line: startLine, column: startColumn,
                                         "this quoted field is never closed; add the closing '\"'")
                    }
                    if c == "\"" {
                        if peek() == "\"" { _ = next(); value.append("\"") } else { break }
                    } else if c == "\r" && peek() == "\n" {
                        continue  // CR LF inside quotes is kept as one LF
                    } else {
                        value.append(c == "\r" ? "\n" : c)
                    }
                }
                while isSpace(peek()) { _ = next() }
                if let c = peek(), c != ",", !isBreak(c) {
                    throw InputError(file: file, line: line, column: column,
                                     "unexpected text after a closing quote; put the whole field in quotes")
                }
            } else {
                while let c = peek(), c != ",", !isBreak(c) {
                    if c == "\"" {
                        throw InputError(file: file, line: line, column: column,
                                         "a quote inside an unquoted field; quote the whole field and double the inner quotes (\"\")")
                    }
                    value.append(c)
                    _ = next()
                }
                while let last = value.last, last == " " || last == "\t" { value.removeLast() }
            }
            record.append(Field(text: String(value), line: startLine, column: startColumn))
            guard record.count <= maximumFields else {
                throw InputError(file: file, line: startLine, column: startColumn,
                                 "a row has more than \(maximumFields) fields; is this a CSV file?")
            }
            // After the field: a comma, a line break or the end.
            let c = next()
            if c == "," { continue }
            let blank = record.count == 1 && !quoted && record[0].text.isEmpty
            if !blank { records.append(record) }
            record = []
            if c == nil { break }
        }
        return records
    }
}
