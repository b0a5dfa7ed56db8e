import FileIO
import Foundation
import Hardware
import ScalingLaws

/// Evaluated runs for `scaleplan fit-quantization`: one row per (model, precision) evaluation,
/// with N, D, the precision (a name such as bf16 or int4, or a bit width) and the loss.
public enum PrecisionRunTable {
    /// Reads the runs; every cell is checked where it is.
    public static func load(path: String, params: String = "params", tokens: String = "tokens", precision: String = "precision",
                            loss: String = "loss") throws(InputError) -> [PrecisionRun] {
        let table = try CSVTable.load(path: path)
        let n = try table.column(params, option: "--params-column"), d = try table.column(tokens, option: "--tokens-column")
        let p = try table.column(precision, option: "--precision-column"), l = try table.column(loss, option: "--loss-column")
        guard table.rows.count <= RunTable.maximumRuns else {
            throw InputError(file: path, line: table.lines[RunTable.maximumRuns], column: 1, "the file has more than \(RunTable.maximumRuns) runs")
        }
        var runs: [PrecisionRun] = []
        for i in table.rows.indices {
            let cell = table.rows[i][p].trimmingCharacters(in: .whitespaces)
            let bits: Double
            if let named = Precision(rawValue: cell.lowercased()) {
                bits = named.bits
            } else if let b = Double(cell), b.isFinite, (1...64).contains(b) {
                bits = b
            } else {
                throw InputError(at: table.location(row: i, column: p),
                                 "column '\(table.header[p])' must be a precision (\(Precision.allCases.map(\.rawValue).joined(separator: ", "))) or a bit width from 1 to 64, found '\(cell.prefix(40))'")
            }
            runs.append(PrecisionRun(params: try table.positiveNumber(row: i, column: n), tokens: try table.positiveNumber(row: i, column: d),
                                     bits: bits, loss: try table.positiveNumber(row: i, column: l)))
        }
        return runs
    }
}

/// Files holding a post-training quantisation law: `{C_T, gamma_D, gamma_N, gamma_post}`, as
/// `scaleplan fit-quantization -o` writes them (its other keys are provenance).
public enum QuantizationLawFile {
    static let provenanceKeys = ["schema_version", "form", "data", "pairs_used", "non_positive_pairs", "rmse_log", "fitted_range", "citation", "warnings"]

    public static func load(path: String) throws(InputError) -> PostTrainingQuantizationLaw {
        try constants(try YAMLValue.load(path: path), alsoAllowed: provenanceKeys)
    }

    /// The four constants of a mapping (a scenario's `law: {C_T: ...}` or a law file), each
    /// positive; other keys only from `alsoAllowed`.
    static func constants(_ v: YAMLValue, alsoAllowed: [String] = []) throws(InputError) -> PostTrainingQuantizationLaw {
        let m = try v.mapping(allowed: PostTrainingQuantizationLaw.parameterNames + alsoAllowed)
        var values: [String: Double] = [:]
        for key in PostTrainingQuantizationLaw.parameterNames { values[key] = try m.required(key).positiveNumber() }
        do { return try PostTrainingQuantizationLaw(parameters: values) } catch { throw v.error("\(error)") }
    }

    /// Whether a `law:` value names a file (.yaml, .yml, .json) rather than a law.
    static func isFilePath(_ text: String) -> Bool {
        [".yaml", ".yml", ".json"].contains { text.lowercased().hasSuffix($0) }
    }
}
