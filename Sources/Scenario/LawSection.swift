import ExperimentDesign
import FileIO
import Foundation
import Numerics
import ScalingLaws

/// The `law:` section of a scenario: a preset, a law file, explicit parameters, or runs to fit.
enum LawSection {
    static let fitKeys = ["fit", "form", "params_column", "tokens_column", "compute_column", "loss_column",
                          "unique_tokens_column", "drop_highest_loss", "huber_delta"]

    /// Every key a `law:` section may hold.
    static var allowedKeys: [String] {
        var allowed = ["preset", "file", "confidence", "moe"] + fitKeys
        for f in LawForm.allCases { allowed += f.parameterNames + f.optionalParameterNames }
        return Array(Set(allowed)).sorted()
    }

    /// The law, where it came from, its bootstrap samples (law files from `fit --bootstrap`) and
    /// the confidence at which the loss bound must hold (`confidence`, with a law file only).
    static func decode(_ v: YAMLValue, directory: String) throws(InputError) -> (law: ScalingLaw, source: String, samples: [ScalingLaw], confidence: Double?, fittedRange: FittedRange?) {
        let m = try v.mapping(allowed: allowedKeys)
        let modes = ["preset", "file", "fit", "moe"].filter { m.optional($0) != nil }
        if let c = m.optional("confidence"), m.optional("file") == nil {
            throw c.error("'confidence' needs a law file with bootstrap samples ('file:', written by `scaleplan fit --bootstrap 200 -o law.yaml`)")
        }
        guard modes.count <= 1 else { throw v.error("give one of 'preset', 'file', 'fit' or 'moe' in 'law', found \(modes.joined(separator: " and "))") }
        if let p = m.optional("moe") {
            // The joint law of dense and MoE models; the scenario's own law is its dense slice.
            guard m.keys.count == 1 else { throw v.error("'law' with 'moe' takes no other keys") }
            let joint = try jointLaw(p)
            do {
                return (.chinchilla(try joint.slice(experts: 1)), jointCitation, [], nil, nil)
            } catch {
                throw p.error("\(error)")
            }
        }
        if let p = m.optional("preset") {
            guard m.keys.count == 1 else { throw v.error("'law' with a preset takes no other keys") }
            let name = try p.oneOf(LawPreset.all.map(\.name))
            let preset = LawPreset.named(name)!
            return (preset.law, preset.citation, [], nil, FittedRange.known(forPreset: name))
        }
        if let f = m.optional("file") {
            guard m.keys.allSatisfy({ ["file", "confidence"].contains($0) }) else { throw v.error("'law' with a file takes only 'confidence' beside it") }
            let loaded = try LawFile.load(path: resolve(try f.string(), directory))
            var confidence: Double?
            if let c = m.optional("confidence") {
                confidence = try c.number(in: 0.5...0.999)
                guard loaded.bootstrapLaws.count >= 20 else {
                    throw c.error("'confidence' needs at least 20 bootstrap laws in \(loaded.source), found \(loaded.bootstrapLaws.count) (refit with `scaleplan fit --bootstrap 200 -o law.yaml`)")
                }
            }
            return (loaded.law, loaded.source, loaded.bootstrapLaws, confidence, loaded.fittedRange)
        }
        if let f = m.optional("fit") {
            let fitted = try fit(f, m, directory: directory)
            return (fitted.law, fitted.source, fitted.samples, nil, fitted.range)
        }
        // Explicit parameters: the same rules as a law file.
        let loaded = try LawFile.decode(v)
        return (loaded.law, "explicit parameters in \(v.file)", [], nil, nil)
    }

    private static func fit(_ node: YAMLValue, _ m: YAMLMapping, directory: String) throws(InputError) -> (law: ScalingLaw, source: String, samples: [ScalingLaw], range: FittedRange?) {
        let path = resolve(try node.string(), directory)
        let form = LawForm(rawValue: try m.optional("form")?.oneOf(LawForm.allCases.map(\.rawValue)) ?? "chinchilla")!
        let compute = try m.optional("compute_column")?.string()
        let columns = RunColumns(
            params: try m.optional("params_column")?.string() ?? "params",
            tokens: compute == nil ? (try m.optional("tokens_column")?.string() ?? "tokens") : nil,
            compute: compute, loss: try m.optional("loss_column")?.string() ?? "loss",
            uniqueTokens: try m.optional("unique_tokens_column")?.string())
        let runs = try RunTable.load(path: path, columns: columns, dropHighestLoss: try m.optional("drop_highest_loss")?.integer(in: 0...1_000_000) ?? 0)
        let delta = try m.optional("huber_delta")?.positiveNumber() ?? 1e-3
        do {
            let fit = try LawFitter.fit(runs, options: FitOptions(form: form, huberDelta: delta))
            return (fit.law, "fitted to \(path) (\(runs.count) runs, Huber objective \(fit.objective))", [],
                    FittedRange.of(runs: runs, source: "the \(runs.count) runs in \(path)"))
        } catch {
            throw node.error("cannot fit a \(form.rawValue) law to \(path): \(error)")
        }
    }

    /// The joint MoE law presets, by name.
    static let jointPresets: [String: JointExpertsLaw] = ["ludziejewski2025": .ludziejewski2025]

    static let jointCitation =
        "Ludziejewski et al. 2025, Joint MoE Scaling Laws: Mixture of Experts Can Be Memory Efficient (ICML 2025, arXiv:2502.05172), Table 3"

    /// What the joint law was fitted on, as far as the paper states it: up to 2.7B active
    /// parameters (the smallest size and the token range are not stated in one place, so
    /// only larger models warn).
    static let jointFittedRange = FittedRange(
        params: 1...2.7e9, tokens: 1...1e18,
        source: "Ludziejewski et al. 2025, abstract: over 280 runs with up to 2.7B active and 5B total parameters, E from 1 to 32")

    /// The joint law `law: {moe: NAME}` names.
    static func jointLaw(_ v: YAMLValue) throws(InputError) -> JointExpertsLaw {
        jointPresets[try v.oneOf(jointPresets.keys.sorted())]!
    }

    static func resolve(_ path: String, _ directory: String) -> String {
        path.hasPrefix("/") || directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }
}
