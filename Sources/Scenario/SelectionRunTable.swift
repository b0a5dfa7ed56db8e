import FileIO
import Foundation
import ModelSelection

/// Which columns of a `select` runs CSV hold what.
public struct SelectionColumns: Sendable {
    /// Candidates; nil reads a column named "candidate", or, without one, takes every run as
    /// one candidate named after the file.
    public var candidate: String?
    public var params: String
    /// Tokens (or fine-tuning tokens or examples); nil reads a column named "tokens" if there is one.
    public var tokens: String?
    /// Seeds; nil reads a column named "seed" if there is one.
    public var seed: String?
    public var metric: String
    /// A column of true/false (yes/no, 1/0) marking checkpoints of runs still in training.
    public var partial: String?
    /// The loss column a downstream metric is predicted through.
    public var loss: String?

    public init(candidate: String? = nil, params: String = "params", tokens: String? = nil, seed: String? = nil,
                metric: String = "loss", partial: String? = nil, loss: String? = nil) {
        self.loss = loss
        self.candidate = candidate
        self.params = params
        self.tokens = tokens
        self.seed = seed
        self.metric = metric
        self.partial = partial
    }
}

/// The runs of `scaleplan select` read from a CSV file, with errors located at their cell.
public enum SelectionRunTable {
    /// Reads every row; a candidate name must not be empty, sizes, tokens and metric must be
    /// numbers (SI suffixes allowed), the partial flag a boolean.
    public static func load(path: String, columns: SelectionColumns) throws(InputError) -> (runs: [SelectionRun], table: CSVTable) {
        let table = try CSVTable.load(path: path)
        return (try runs(from: table, columns: columns), table)
    }

    public static func runs(from table: CSVTable, columns: SelectionColumns) throws(InputError) -> [SelectionRun] {
        let c = try columns.candidate.map { name throws(InputError) in try table.column(name, option: "--candidate-column") }
            ?? table.header.firstIndex(of: "candidate")
        let single = ((table.file as NSString).lastPathComponent as NSString).deletingPathExtension
        let n = try table.column(columns.params, option: "--params-column")
        let m = try table.column(columns.metric, option: "--metric-column")
        let d = try columns.tokens.map { name throws(InputError) in try table.column(name, option: "--tokens-column") }
            ?? table.header.firstIndex(of: "tokens")
        let s = try columns.seed.map { name throws(InputError) in try table.column(name, option: "--seed-column") }
            ?? table.header.firstIndex(of: "seed")
        let p = try columns.partial.map { name throws(InputError) in try table.column(name, option: "--partial-column") }
        let l = try columns.loss.map { name throws(InputError) in try table.column(name, option: "--through-loss") }
        guard table.rows.count <= RunTable.maximumRuns else {
            throw InputError(file: table.file, line: table.lines[RunTable.maximumRuns], column: 1,
                             "the file has more than \(RunTable.maximumRuns) runs, the most scaleplan fits")
        }
        var out: [SelectionRun] = []
        for i in table.rows.indices {
            let name = c.map { table.rows[i][$0].trimmingCharacters(in: .whitespaces) } ?? single
            if let c {
                guard !name.isEmpty else { throw InputError(at: table.location(row: i, column: c), "the candidate name is empty") }
                guard name.count <= 200 else { throw InputError(at: table.location(row: i, column: c), "the candidate name is longer than 200 characters") }
            }
            let params = try bounded(table, i, n)
            let tokens = try d.map { j throws(InputError) in try bounded(table, i, j) }
            let value = try table.number(row: i, column: m)
            guard abs(value) <= 1e30 else {
                throw InputError(at: table.location(row: i, column: m), "column '\(table.header[m])' must be between -1e30 and 1e30, found \(Quantity.plain(value))")
            }
            let loss = try l.map { j throws(InputError) in try bounded(table, i, j) }
            let seed = s.map { table.rows[i][$0].trimmingCharacters(in: .whitespaces) }
            var partial = false
            if let j = p {
                switch table.rows[i][j].trimmingCharacters(in: .whitespaces).lowercased() {
                case "true", "yes", "1": partial = true
                case "false", "no", "0", "": partial = false
                default:
                    throw InputError(at: table.location(row: i, column: j), "column '\(table.header[j])' must be true or false (yes/no, 1/0), found '\(table.rows[i][j].prefix(40))'")
                }
            }
            out.append(SelectionRun(candidate: name, params: params, tokens: tokens, seed: seed?.isEmpty == true ? nil : seed,
                                    value: value, loss: loss, partial: partial, row: i))
        }
        return out
    }

    private static func bounded(_ table: CSVTable, _ i: Int, _ j: Int) throws(InputError) -> Double {
        let v = try table.positiveNumber(row: i, column: j)
        guard RunTable.magnitudes.contains(v) else {
            throw InputError(at: table.location(row: i, column: j), "column '\(table.header[j])' must be between 1e-30 and 1e30, found \(Quantity.plain(v))")
        }
        return v
    }

    /// Where a selection error about a run points: its metric cell.
    public static func location(of row: Int, in table: CSVTable, columns: SelectionColumns) -> SourceLocation? {
        guard table.rows.indices.contains(row), let j = table.header.firstIndex(of: columns.metric) else { return nil }
        return table.location(row: row, column: j)
    }
}
