import FileIO
import ScalingLaws

/// Mixture-of-experts training runs read from a CSV: the size, tokens, the law's third
/// variable (experts for the joint law, granularity for the granularity law) and the loss.
public enum MoERunTable {
    /// Reads runs for `form`; every size, token count and loss must be positive, experts a
    /// whole number of at least 1 (1 for dense runs) and a granularity at least 1.
    ///
    /// - Throws: `InputError` at the offending cell, or at the header for a missing column.
    public static func load(path: String, form: MoELawForm, params: String = "params", tokens: String = "tokens",
                            third: String? = nil, loss: String = "loss") throws(InputError) -> [MoERun] {
        let table = try CSVTable.load(path: path)
        let variable = third ?? (form == .joint ? "experts" : "granularity")
        let n = try table.column(params, option: "--params-column"), d = try table.column(tokens, option: "--tokens-column")
        let x = try table.column(variable, option: "--third-column"), l = try table.column(loss, option: "--loss-column")
        guard table.rows.count <= RunTable.maximumRuns else {
            throw InputError(file: path, "\(table.rows.count) runs are more than the \(RunTable.maximumRuns) a fit reads")
        }
        var runs: [MoERun] = []
        for i in table.rows.indices {
            let size = try table.positiveNumber(row: i, column: n), count = try table.positiveNumber(row: i, column: d)
            let lossValue = try table.positiveNumber(row: i, column: l)
            let value = try table.number(row: i, column: x)
            for (j, v) in [(n, size), (d, count), (l, lossValue)] where !RunTable.magnitudes.contains(v) {
                throw InputError(at: table.location(row: i, column: j), "column '\(table.header[j])' is \(Quantity.plain(v)), outside \(Quantity.plain(RunTable.magnitudes.lowerBound)) to \(Quantity.plain(RunTable.magnitudes.upperBound))")
            }
            switch form {
            case .joint:
                guard value >= 1, value <= 1_000_000, value == value.rounded() else {
                    throw InputError(at: table.location(row: i, column: x), "column '\(variable)' must be a whole number of experts from 1 (dense) to 1000000, found \(Quantity.plain(value))")
                }
                runs.append(MoERun(params: size, tokens: count, experts: value, loss: lossValue))
            case .granularity:
                guard value >= 1, value <= 1_000_000 else {
                    throw InputError(at: table.location(row: i, column: x), "column '\(variable)' must be a granularity from 1 to 1000000, found \(Quantity.plain(value))")
                }
                runs.append(MoERun(params: size, tokens: count, granularity: value, loss: lossValue))
            }
        }
        return runs
    }
}
