import ExperimentDesign
import FileIO
import Foundation
import Numerics
import ScalingLaws

/// Reads pilot files: a document of its own with a `law:` section (as in scenarios) and a
/// `pilot:` section, which `scaleplan pilot FILE` reads:
///
/// ```yaml
/// law: { preset: hoffmann2022 }
/// pilot:
///   name: pilot-7b                          # run-name prefix (default: the file's name)
///   target: { params: 7B, tokens: 140B }    # or { compute: 5.9e21 }
///   budget_fraction: 0.01                   # or budget: 5.9e19 (FLOP)
///   max_runs: 20
///   max_replicates: 3                       # most runs at one (N, D) (default: no cap)
///   noise: 0.01                             # or { sigma: }, { fit: runs.csv, ...columns, drop_highest_loss: }, { law_file: law.yaml }
///   criterion: c                            # c, optimum or d
///   identifiability_weight: 0.1
///   candidates: { params: [10M, 7B], tokens_per_param: [1, 1000], points_per_decade: 8 }
///   simulate: { repetitions: 200, seed: 1, fit: multi-start }
/// ```
///
/// Errors follow the scenario rules: unknown keys, wrong types and out-of-range values name
/// the file, line and column (exit code 2). Relative paths resolve against the file's directory.
public enum PilotSpec {
    /// Top-level keys.
    public static let keys = ["$schema", "description", "law", "pilot"]
    /// Keys of the `pilot` section.
    public static let pilotKeys = ["name", "target", "budget", "budget_fraction", "max_runs", "max_replicates", "noise", "criterion",
                                   "identifiability_weight", "candidates", "simulate"]
    static let noiseKeys = ["sigma", "fit", "law_file", "params_column", "tokens_column", "compute_column", "loss_column", "drop_highest_loss"]

    public static func load(path: String) throws(InputError) -> PilotSettings {
        try decode(try YAMLValue.load(path: path))
    }

    public static func decode(_ root: YAMLValue) throws(InputError) -> PilotSettings {
        let m = try root.mapping(allowed: keys)
        let directory = (root.file as NSString).deletingLastPathComponent
        var s = PilotSettings()
        s.file = root.file
        let lawNode = try m.required("law")
        let law = try LawSection.decode(lawNode, directory: directory)
        if law.law.form == .dataConstrained {
            throw lawNode.error("pilot designs support the chinchilla, overtrain and kaplan laws, not data-constrained")
        }
        s.law = law.law
        s.lawSource = law.source

        let p = try m.required("pilot").mapping(allowed: pilotKeys)
        s.name = try p.optional("name")?.string()
        s.target = try target(try p.required("target"))
        switch (p.optional("budget"), p.optional("budget_fraction")) {
        case (let b?, nil): s.budget = .flops(try b.positiveNumber())
        case (nil, let f?): s.budget = .fraction(try fraction(f))
        case (_?, let f?): throw f.error("give one of 'budget' (FLOP) or 'budget_fraction', not both")
        case (nil, nil): throw p.owner.error("'pilot' needs 'budget' (FLOP) or 'budget_fraction' (of the target's compute)")
        }
        s.maxRuns = try p.optional("max_runs")?.integer(in: 1...PilotProblem.maximumRuns)
        s.maxReplicates = try p.optional("max_replicates")?.integer(in: 1...PilotProblem.maximumRuns)
        s.noise = try noise(try p.required("noise"), directory: directory)
        if let c = p.optional("criterion") { s.criterion = DesignCriterion(rawValue: try c.oneOf(DesignCriterion.allCases.map(\.rawValue)))! }
        if let w = p.optional("identifiability_weight") { s.identifiabilityWeight = try weight(w) }
        if let c = p.optional("candidates") {
            let cm = try c.mapping(allowed: ["params", "tokens_per_param", "points_per_decade"])
            s.params = try cm.optional("params").map { v throws(InputError) in try ScenarioSpec.range(v) }
            s.tokensPerParam = try cm.optional("tokens_per_param").map { v throws(InputError) in try ScenarioSpec.range(v) }
            s.pointsPerDecade = try cm.optional("points_per_decade")?.integer(in: 1...100)
        }
        if let v = p.optional("simulate") { s.simulation = try simulation(v) }
        return s
    }

    static func target(_ v: YAMLValue) throws(InputError) -> PilotTarget {
        let t = try v.mapping(allowed: ["compute", "params", "tokens"])
        if let c = t.optional("compute") {
            guard t.keys.count == 1 else { throw v.error("give the target as 'compute' alone, or as 'params' with 'tokens'") }
            return .compute(try c.positiveNumber())
        }
        guard let n = t.optional("params"), let d = t.optional("tokens") else {
            throw v.error("give the target as 'compute', or as 'params' with 'tokens'")
        }
        return .run(params: try n.positiveNumber(), tokens: try d.positiveNumber())
    }

    static func fraction(_ v: YAMLValue) throws(InputError) -> Double {
        let f = try v.positiveNumber()
        guard f <= 1 else { throw v.error("'budget_fraction' is a fraction of the target's compute, at most 1; found \(YAMLValue.plain(f))") }
        return f
    }

    static func weight(_ v: YAMLValue) throws(InputError) -> Double {
        let w = try v.number()
        guard w > 0, w < 1 else { throw v.error("'identifiability_weight' must be strictly between 0 and 1, found \(YAMLValue.plain(w))") }
        return w
    }

    static func sigma(_ v: YAMLValue) throws(InputError) -> Double {
        let s = try v.positiveNumber()
        guard s <= 1 else { throw v.error("the noise sigma is the standard deviation of ln L residuals, at most 1; found \(YAMLValue.plain(s))") }
        return s
    }

    static func noise(_ v: YAMLValue, directory: String) throws(InputError) -> PilotNoiseSource {
        if case .scalar = v.node { return .sigma(try sigma(v)) }
        let m = try v.mapping(allowed: noiseKeys)
        let modes = ["sigma", "fit", "law_file"].filter { m.optional($0) != nil }
        guard modes.count == 1 else {
            throw v.error("give one of 'sigma', 'fit' or 'law_file' in 'noise'\(modes.isEmpty ? "" : ", found \(modes.joined(separator: " and "))")")
        }
        let columnKeys = ["params_column", "tokens_column", "compute_column", "loss_column", "drop_highest_loss"]
        if modes[0] != "fit", let extra = columnKeys.first(where: { m.optional($0) != nil }) {
            throw m.optional(extra)!.error("'\(extra)' goes with 'fit' in 'noise'")
        }
        if let s = m.optional("sigma") { return .sigma(try sigma(s)) }
        if let f = m.optional("law_file") { return .lawFile(path: LawSection.resolve(try f.string(), directory)) }
        let compute = try m.optional("compute_column")?.string()
        if compute != nil, let t = m.optional("tokens_column") { throw t.error("give 'tokens_column' or 'compute_column', not both") }
        let columns = RunColumns(
            params: try m.optional("params_column")?.string() ?? "params",
            tokens: compute == nil ? (try m.optional("tokens_column")?.string() ?? "tokens") : nil,
            compute: compute, loss: try m.optional("loss_column")?.string() ?? "loss")
        let drop = try m.optional("drop_highest_loss")?.integer(in: 0...1_000_000) ?? 0
        return .fit(path: LawSection.resolve(try m.required("fit").string(), directory), columns: columns, dropHighestLoss: drop)
    }

    static func simulation(_ v: YAMLValue) throws(InputError) -> PilotSimulationOptions {
        let m = try v.mapping(allowed: ["repetitions", "seed", "fit"])
        var o = PilotSimulationOptions()
        if let r = m.optional("repetitions") { o.repetitions = try r.integer(in: 1...PilotSimulationOptions.maximumRepetitions) }
        if let s = m.optional("seed") { o.seed = UInt64(try s.integer(in: 0...Int(Int32.max))) }
        if let f = m.optional("fit") { o.fit = PilotSimulationFit(rawValue: try f.oneOf(PilotSimulationFit.allCases.map(\.rawValue)))! }
        return o
    }

    /// Sigma from a law file written by `scaleplan fit`: sqrt(SSR / (n - p)) from its
    /// `fit_quality.residuals_log` (written with `--format yaml/json` or `-o`), else from
    /// `fit_quality.rmse_log` and `rows_used`.
    static func noise(fromLawFile path: String) throws(InputError) -> (Double, String) {
        let root = try YAMLValue.load(path: path)
        let loaded = try LawFile.decode(root)
        let p = loaded.law.form.parameterNames.count
        var allowed = ["form", "parameters", "bootstrap_laws"] + LawFile.provenanceKeys
        for f in LawForm.allCases { allowed += f.parameterNames + f.optionalParameterNames }
        let m = try root.mapping(allowed: allowed)
        guard let q = m.optional("fit_quality") else {
            throw root.error("this law file records no fit residuals ('fit_quality'); write it with `scaleplan fit -o law.yaml` or give the noise sigma")
        }
        let fq = try q.mapping(allowed: ["rmse_log", "median_abs_residual_log", "max_abs_residual_log", "residuals_log"])
        do {
            if let r = fq.optional("residuals_log") {
                var values: [Double] = []
                for item in try r.list() { values.append(try item.number()) }
                return (try PilotNoise.fromResiduals(values, parameters: p), "residuals of the fit recorded in \(path) (\(values.count) runs): sqrt(SSR / (n - p))")
            }
            guard let rmse = fq.optional("rmse_log"), let rows = m.optional("rows_used") else {
                throw q.error("'fit_quality' needs 'residuals_log', or 'rmse_log' with 'rows_used' at the top level")
            }
            let n = try rows.integer(in: 1...100_000_000)
            return (try PilotNoise.fromRMSE(try rmse.number(), runs: n, parameters: p), "rmse of the fit recorded in \(path) (\(n) runs): rmse sqrt(n / (n - p))")
        } catch let e as InputError {
            throw e
        } catch {
            throw q.error("cannot estimate the noise from this fit: \(error)")
        }
    }
}
