import CSV
import Diagnostics
import Foundation
import Numerics
import ValueTree

/// One tidy CSV table: a fixed header and rows of scalar cells, so a table with no rows still
/// has its header (a script reading `plan.fleet.csv` of a pure-FLOP plan finds the columns it
/// expects, with no rows).
public struct CSVSheet: Sendable, Equatable {
    /// What the sheet holds, used as the file-name suffix of a companion file
    /// (`plan.fleet.csv`); empty for the main sheet, which takes the file name itself.
    public var part: String
    public var columns: [String]
    /// Cells by column name; a missing or null cell is empty, a non-scalar one is not allowed
    /// (`rows(_:)` flattens objects first).
    public var rows: [[String: ReportValue]]

    public init(part: String, columns: [String], rows: [[String: ReportValue]]) {
        self.part = part
        self.columns = columns
        self.rows = rows
    }

    /// A sheet whose columns are the keys of `objects` in first-seen order, nested objects
    /// flattened with dotted names and lists of scalars joined with ";" (as `CSVRenderer` does),
    /// after the columns in `leading`, which come first even when no row has them.
    public init(part: String, leading: [String] = [], objects: [ReportValue]) {
        var columns = leading
        var seen = Set(leading)
        var rows: [[String: ReportValue]] = []
        for object in objects {
            let flat = CSVRenderer.flattenCells(object)
            for (k, _) in flat where seen.insert(k).inserted { columns.append(k) }
            rows.append(Dictionary(flat, uniquingKeysWith: { a, _ in a }))
        }
        self.init(part: part, columns: columns, rows: rows)
    }

    /// The sheet as CSV text (header row first, RFC 4180 quoting, "\n" line ends).
    public var text: String {
        let stream = OutputStream(toMemory: ())
        guard let writer = try? CSVWriter(stream: stream) else { return "" }
        try? writer.write(row: columns)
        for row in rows { try? writer.write(row: columns.map { row[$0].map(CSVRenderer.cell) ?? "" }) }
        writer.stream.close()
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        var text = String(decoding: data, as: UTF8.self)
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }

    /// The warnings as a sheet: one row per warning (`code`, `subject`, `message`).
    public static func warnings(_ warnings: [Warning]) -> CSVSheet {
        CSVSheet(part: "warnings", columns: ["code", "subject", "message"], rows: warnings.deduplicated().map { w in
            ["code": .string(w.code.rawValue), "subject": w.subject.map { .string($0) } ?? .null, "message": .string(w.message)]
        })
    }

    /// Where a companion sheet goes: `plan.csv` → `plan.fleet.csv`; a name without the
    /// `.csv` extension keeps it whole (`plan` → `plan.fleet.csv`).
    public static func path(of part: String, beside main: String) -> String {
        guard !part.isEmpty else { return main }
        let stem = main.lowercased().hasSuffix(".csv") ? String(main.dropLast(4)) : main
        return "\(stem).\(part).csv"
    }
}

/// A command's CSV answer as tidy tables: the main sheet (one row per plan, candidate or run)
/// and companion sheets (the fleet by month, the budget, the warnings) that `-o FILE.csv`
/// writes beside it. On standard output only the main sheet is printed.
public struct CSVBundle: Sendable {
    public var main: CSVSheet
    public var companions: [CSVSheet]

    public init(main: CSVSheet, companions: [CSVSheet]) {
        self.main = main
        self.companions = companions
    }

    /// Every sheet with the path it is written to when the main sheet goes to `path`,
    /// companions first (so the main file, which a reader opens first, is written last).
    public func files(beside path: String) -> [(path: String, text: String)] {
        (companions + [main]).map { (CSVSheet.path(of: $0.part, beside: path), $0.text) }
    }
}
