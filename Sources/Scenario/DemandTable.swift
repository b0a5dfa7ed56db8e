import ExperimentDesign
import FileIO
import Foundation
import Numerics

/// Reads monthly request volumes from CSV: columns `month` (1, 2, ... in order) and either
/// `requests` (requests in the month) or `requests_per_day` (mean per day in the month,
/// times 365.25 / 12 days).
public enum DemandTable {
    /// Requests per month, in month order.
    ///
    /// - Throws: `InputError` at the offending cell: months out of order, a negative or
    ///   malformed volume, both or neither volume column.
    public static func load(path: String) throws(InputError) -> [Double] {
        let table = try HardwareCSVTable.load(path: path, required: ["month"], optional: ["requests", "requests_per_day"])
        let hasTotal = table.header.contains("requests"), hasDaily = table.header.contains("requests_per_day")
        guard hasTotal != hasDaily else {
            throw InputError(file: path, line: 1, column: 1, "the header must have exactly one of 'requests' and 'requests_per_day'")
        }
        var out: [Double] = []
        for i in table.rows.indices {
            let month = try table.integer(i, "month")
            guard month == i + 1 else {
                let at = table.cell(i, "month")?.location ?? table.location(i)
                throw InputError(at: at, "months must be numbered 1, 2, 3, ... in order; expected \(i + 1), found \(month.map(String.init) ?? "nothing")")
            }
            let column = hasTotal ? "requests" : "requests_per_day"
            guard let v = try table.number(i, column, positive: false) else {
                throw InputError(at: table.location(i), "the row has no '\(column)' value")
            }
            out.append(hasTotal ? v : v * 365.25 / 12)
        }
        return out
    }
}
