import ExperimentDesign
import FileIO
import Numerics
import ScalingLaws

/// A law read from a YAML or JSON law file, with the bootstrap laws if the file has them.
public struct LoadedLaw: Sendable {
    public let law: ScalingLaw
    /// Where the law came from: the preset's citation, or the file.
    public let source: String
    /// Laws refitted on bootstrap resamples (empty unless `fit --bootstrap` wrote them).
    public let bootstrapLaws: [ScalingLaw]
    /// The sizes and tokens of the runs the law was fitted on (`fitted_range`, which `fit`
    /// writes), or nil when the file does not say.
    public let fittedRange: FittedRange?

    public init(law: ScalingLaw, source: String, bootstrapLaws: [ScalingLaw], fittedRange: FittedRange? = nil) {
        self.law = law
        self.source = source
        self.bootstrapLaws = bootstrapLaws
        self.fittedRange = fittedRange
    }
}

/// Reads law files: what `scaleplan fit -o law.yaml` writes, or a hand-written
/// `{form: chinchilla, E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28}`.
///
/// Parameters may be given flat or under `parameters:`. The other keys `fit` writes
/// (objective, intervals, fit quality, ...) are accepted as provenance and not interpreted,
/// except `bootstrap_laws`, whose rows (parameter vectors in canonical order) are loaded.
public enum LawFile {
    /// Keys of `fit` output that a law file may carry as provenance.
    public static let provenanceKeys = [
        "scaleplan_version", "data", "rows_used", "objective", "huber_delta", "starts", "fit_quality", "holdout",
        "compute_optimal", "intervals", "citation", "note", "base_rows_used", "residuals", "schema_version", "warnings",
        "diagnostics",
    ]

    /// The output contract versions (`schema_version`, see Report's `ReportDocument`) a law file may declare.
    public static let readableSchemaVersions = 1...1

    public static func load(path: String) throws(InputError) -> LoadedLaw {
        try decode(try YAMLValue.load(path: path))
    }

    public static func decode(_ root: YAMLValue) throws(InputError) -> LoadedLaw {
        let formValue = try root.mapping(allowed: allKeys).required("form")
        let formName = try formValue.oneOf(LawForm.allCases.map(\.rawValue))
        let form = LawForm(rawValue: formName)!
        let names = form.parameterNames + form.optionalParameterNames
        let top = try root.mapping(allowed: ["form", "parameters", "bootstrap_laws", "fitted_range"] + names + provenanceKeys)
        if let version = top.optional("schema_version") {
            let v = try version.integer(in: 1...1_000)
            guard readableSchemaVersions.contains(v) else {
                throw version.error("this law file has schema_version \(v); this scaleplan reads \(readableSchemaVersions.upperBound) and earlier")
            }
        }

        var values: [String: Double] = [:]
        var where_: [String: YAMLValue] = [:]
        if let nested = top.optional("parameters") {
            let m = try nested.mapping(allowed: names)
            for key in m.keys { let v = try m.required(key); values[key] = try v.number(); where_[key] = v }
        }
        for key in names {
            if let v = top.optional(key) {
                guard values[key] == nil else { throw v.error("parameter '\(key)' is given twice (flat and under 'parameters')") }
                values[key] = try v.number(); where_[key] = v
            }
        }
        for key in form.parameterNames where values[key] == nil {
            throw root.error("the \(formName) law needs parameter '\(key)' (flat or under 'parameters'); expected \(form.parameterNames.joined(separator: ", "))")
        }
        let extras = form.optionalParameterNames
        if let given = extras.first(where: { values[$0] != nil }), let missing = extras.first(where: { values[$0] == nil }) {
            throw (where_[given] ?? root).error("the downstream error law needs all of \(extras.joined(separator: ", ")); '\(missing)' is missing")
        }
        let law: ScalingLaw
        do {
            law = try ScalingLaw(form: form, parameters: values)
        } catch {
            // Law types name R*_D and R*_N as in the paper; files spell them RstarD and RstarN.
            if case .invalidParameter(let name, _, let expected) = error,
               let key = [name, name.replacingOccurrences(of: "R*_", with: "Rstar")].first(where: { where_[$0] != nil }) {
                throw where_[key]!.error("parameter '\(key)' must be \(expected)")
            }
            throw root.error("\(error)")
        }

        var samples: [ScalingLaw] = []
        if let rows = top.optional("bootstrap_laws") {
            let order = law.parameters.map(\.name)
            for row in try rows.list() {
                let cells = try row.list()
                guard cells.count == order.count else {
                    throw row.error("each bootstrap law must list \(order.count) parameters (\(order.joined(separator: ", "))), found \(cells.count)")
                }
                var p: [String: Double] = [:]
                for (k, cell) in zip(order, cells) { p[k] = try cell.number() }
                do { samples.append(try ScalingLaw(form: form, parameters: p)) } catch { throw row.error("invalid bootstrap law: \(error)") }
            }
        }
        var range: FittedRange?
        if let r = top.optional("fitted_range") {
            let rm = try r.mapping(allowed: ["params", "tokens", "compute", "loss"])
            func bounds(_ key: String) throws(InputError) -> ClosedRange<Double> {
                let node = try rm.required(key)
                let cells = try node.list()
                guard cells.count == 2 else { throw node.error("'\(key)' must be [smallest, largest], found \(cells.count) values") }
                let lo = try cells[0].positiveNumber(), hi = try cells[1].positiveNumber()
                guard lo <= hi else { throw node.error("'\(key)' must be [smallest, largest]: \(lo) is above \(hi)") }
                return lo...hi
            }
            range = FittedRange(params: try bounds("params"), tokens: try bounds("tokens"), source: "the runs \(root.file) was fitted on")
            for key in ["compute", "loss"] where rm.optional(key) != nil { _ = try bounds(key) }
        }
        return LoadedLaw(law: law, source: root.file, bootstrapLaws: samples, fittedRange: range)
    }

    private static var allKeys: [String] {
        var keys = ["form", "parameters", "bootstrap_laws", "fitted_range"] + provenanceKeys
        for f in LawForm.allCases { keys += f.parameterNames + f.optionalParameterNames }
        return Array(Set(keys)).sorted()
    }
}
