import Diagnostics
import ExperimentDesign
import FileIO
import Numerics
import PlanModel
import ValueTree

/// Report values for `scaleplan downscale`: stable keys first (the contract: params,
/// tokens, tokens_per_param, loss, precision, device, memory_gb, tpot_ms, extra_train_flops,
/// break_even_tokens), extras after.
public enum DownscaleReport {
    public static func plan(_ p: DownscalePlan) -> ReportValue {
        let s = p.serving
        return reportObject([
            ("params", .number(p.params)),
            ("tokens", .number(p.tokens)),
            ("tokens_per_param", .number(p.tokensPerParam)),
            ("loss", .number(p.loss)),
            ("precision", .string(p.precision.rawValue)),
            ("device", .string(p.device.name)),
            ("memory_gb", .number(s.memory.requiredBytes / 1e9)),
            ("tpot_ms", .number(s.tpotSeconds * 1000)),
            ("extra_train_flops", .number(p.extraTrainFLOPs)),
            ("break_even_tokens", .number(p.breakEvenTokens)),
            ("model", .string(p.model)),
            // Present when the question compares architectures: params is then N_act for MoE.
            ("architecture", p.architecture.map { .string($0) }),
            ("total_params", p.architecture.map { _ in .number(p.totalParams ?? p.params) }),
            ("layers", .integer(p.shape.layers)),
            ("hidden", .integer(p.shape.hidden)),
            ("trained_loss", .number(p.trainedLoss)),
            ("quantization_loss", .number(p.quantizationLoss)),
            ("served_loss", .number(p.loss)),
            ("quantization_method", .string(QuantizationModel.isQuantized(p.precision) ? p.method.rawValue : nil)),
            ("reaches_reference", .bool(p.reachesReference)),
            ("limit", .string(p.limit)),
            ("ttft_ms", .number(s.ttftSeconds * 1000)),
            ("joules_per_token", .number(s.joulesPerToken)),
            ("usd_per_million_tokens", .number(s.usdPerMillionTokens)),
            ("train_flops", .number(p.trainFLOPs)),
            ("train_cost_usd", .number(p.trainCost)),
            ("extra_train_cost_usd", .number(p.extraTrainCost)),
            ("extra_train_energy_kwh", .number(p.extraTrainEnergyKWh)),
        ])
    }

    /// The reference model's figures.
    public static func reference(_ r: DownscaleReference) -> ReportValue {
        reportObject([
            ("model", .string(r.model)), ("params", .number(r.params)), ("tokens", .number(r.tokens)), ("loss", .number(r.loss)),
            ("train_flops", .number(r.trainFLOPs)), ("train_cost_usd", .number(r.trainCost)),
            ("train_energy_kwh", .number(r.trainEnergyKWh)),
            ("usd_per_million_tokens", r.usdPerToken.map { .number($0 * 1e6) } ?? .null),
        ])
    }

    public static func outcome(_ o: DownscaleOutcome, scenario: String) -> ReportValue {
        reportObject([
            ("scenario", .string(scenario)),
            ("status", .string(o.best == nil ? "infeasible" : "optimal")),
            ("reference", reference(o.reference)),
            ("recommended", o.best.map(plan) ?? .null),
            ("reason", .string(o.reason)),
            ("frontier", .list(o.frontier.map(plan))),
        ])
    }

    /// A terminal-sized view (100 columns): the frontier with its key columns in real units.
    public static func summary(_ full: ReportValue) -> ReportValue {
        guard case .object(let pairs) = full else { return full }
        func f(_ v: ReportValue?, _ unit: DisplayUnit, digits: Int = 3) -> ReportValue? {
            v.flatMap { $0 == .null ? .string("-") : PlanTable.fmt($0, unit, digits: digits) }
        }
        // A value that does not apply is null in the JSON; the table leaves its row out.
        func withoutNulls(_ v: ReportValue) -> ReportValue {
            guard case .object(let kv) = v else { return v }
            return .object(kv.filter { $0.1 != .null })
        }
        return .object(pairs.filter { $0.1 != .null || $0.0 == "recommended" }.map { k, v in
            guard k == "frontier", case .list(let rows) = v else { return (k, withoutNulls(v)) }
            return (k, .list(rows.map { r in
                reportObject([
                    ("arch", r["architecture"]), ("params", f(r["params"], .params)),
                    ("total", r["total_params"].flatMap { f($0, .params) }), ("D/N", f(r["tokens_per_param"], .plain)),
                    ("loss", f(r["loss"], .loss, digits: 4)), ("device", r["device"]), ("prec.", r["precision"]),
                    ("GB", r["memory_gb"].map { .string(NumberText.short($0.doubleValue ?? .nan)) }),
                    ("TPOT", f(r["tpot_ms"], .ms)), ("extra compute", f(r["extra_train_flops"], .flop)),
                    ("break-even", f(r["break_even_tokens"], .tokens)),
                    // Sizes that cannot reach the reference's loss are listed to show the
                    // trade-off, marked so their smaller "extra compute" is not read as a saving.
                    ("reaches", .string(r["reaches_reference"] == .bool(false) ? "no" : "yes")),
                ])
            }))
        })
    }
}
