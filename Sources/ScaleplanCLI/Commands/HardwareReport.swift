import ExperimentDesign
import FileIO
import Hardware
import Numerics
import Report
import ValueTree

/// Report values for hardware profiles and estimates (stable keys: see docs/HARDWARE.md).
enum HardwareReport {
    static func summary(_ p: HardwareProfile) -> ReportValue {
        reportObject([
            ("name", .string(p.name)), ("display_name", .string(p.displayName)), ("kind", .string(p.kind.rawValue)),
            ("bf16_tflops", p.peakTFLOPS[.bf16].map { .number($0.value) }),
            ("fp8_tflops", p.peakTFLOPS[.fp8].map { .number($0.value) } ?? .null),
            ("memory_gb", .number(p.memoryGB.value)), ("bandwidth_tb_per_s", .number(p.memoryBandwidthTBps.value)),
            ("tdp_w", .number(p.tdpW.value)), ("usd_per_hour", .number(p.usdPerHour.value)),
            ("price_basis", p.priceBasis.map(ReportValue.string) ?? .null),
        ])
    }

    static func detail(_ p: HardwareProfile) -> ReportValue {
        reportObject([
            ("name", .string(p.name)), ("display_name", .string(p.displayName)), ("kind", .string(p.kind.rawValue)),
            ("vendor", .string(p.vendor)), ("interconnect", .string(p.interconnectName)),
            ("price_basis", p.priceBasis.map(ReportValue.string) ?? .null),
            ("figures", .list(p.figures.map { item in
                reportObject([("figure", .string(item.label)), ("value", .number(item.figure.value)),
                              ("unit", .string(item.unit)), ("source", .string(item.figure.source))])
            })),
        ])
    }

    static func shape(_ s: ModelShape, parameters: Double, family: String?, name: String? = nil) -> ReportValue {
        reportObject([("name", name.map(ReportValue.string)), ("parameters", .number(parameters)), ("shape_parameters", .number(s.parameterCount))] + shapeKeys(s)
                     + [("family", family.map(ReportValue.string))])
    }

    /// A shape's figures under their stable keys (`sliding_window` null without one).
    static func shapeKeys(_ s: ModelShape) -> [(String, ReportValue?)] {
        [("layers", .integer(s.layers)), ("hidden", .integer(s.hidden)), ("heads", .integer(s.heads)),
         ("kv_heads", .integer(s.kvHeads)), ("vocab", .integer(s.vocabulary)), ("intermediate", .integer(s.intermediate)),
         ("head_dim", .integer(s.headDimension)), ("tied_embeddings", .bool(s.tiedEmbeddings)),
         ("sliding_window", s.slidingWindow.map { .integer($0) } ?? .null), ("local_layers", .integer(s.localLayers))]
            + expertKeys(s)
    }

    /// Mixture-of-experts and latent-attention figures; present only for shapes that have them,
    /// so dense outputs keep their keys.
    static func expertKeys(_ s: ModelShape) -> [(String, ReportValue?)] {
        var keys: [(String, ReportValue?)] = []
        if let e = s.experts {
            keys += [("active_parameters", .number(s.activeParameterCount)), ("experts", .integer(e.experts)),
                     ("active_experts", .integer(e.activeExperts)), ("shared_experts", .integer(e.sharedExperts)),
                     ("expert_intermediate", .integer(e.expertIntermediate)), ("moe_layers", .integer(e.moeLayers))]
        }
        if let m = s.latentAttention {
            keys += [("attention", .string("multi-head latent")), ("kv_rank", .integer(m.kvRank)),
                     ("rope_head_dim", .integer(m.ropeDimension))]
        }
        return keys
    }

    static func estimate(_ e: ServingEstimate, profile: HardwareProfile) -> [(String, ReportValue?)] {
        let w = e.workload
        return [
            ("hardware", .string(profile.name)), ("precision", .string(w.precision.rawValue)),
            ("kv_cache_precision", .string(w.kvCachePrecision.rawValue)),
            // The figures below are a static batch (all prompts prefilled together, then decoded
            // in lock step); `continuous_batching` is the planner's steady state.
            ("batching", .string("static")),
            ("batch", .integer(w.batch)), ("prompt_tokens", .integer(w.promptTokens)),
            ("output_tokens", .integer(w.outputTokens)),
            ("prefix_cache_hit_rate", w.prefixCacheHitRate > 0 ? .number(w.prefixCacheHitRate) : nil),
            ("shared_prefix_tokens", w.sharedPrefixTokens > 0 ? .integer(w.sharedPrefixTokens) : nil),
            ("devices", .integer(w.devices)),
            ("expert_parallel", w.shape.isMixtureOfExperts ? .integer(w.expertParallel) : nil),
            ("attention_data_parallel", w.shape.isMixtureOfExperts ? .integer(w.attentionDataParallel) : nil),
            ("pipeline_stages", w.pipelineStages > 1 ? .integer(w.pipelineStages) : nil),
            ("ttft_ms", .number(e.ttftSeconds * 1000)), ("tpot_ms", .number(e.tpotSeconds * 1000)),
            ("request_latency_s", .number(e.requestSeconds)),
            ("tokens_per_second", .number(e.tokensPerSecond)), ("requests_per_second", .number(e.requestsPerSecond)),
            ("joules_per_token", .number(e.joulesPerToken)),
            ("prefill_joules_per_prompt_token", .number(e.prefillJoulesPerPromptToken)),
            ("decode_joules_per_token", e.decodeJoulesPerToken.map { .number($0) }),
            ("usd_per_million_tokens", .number(e.usdPerMillionTokens)),
            ("gco2_per_million_tokens", e.gramsCO2PerMillionTokens.map { .number($0) }),
            ("memory_gb", .number(e.memory.requiredBytes / 1e9)), ("memory_usable_gb", .number(e.memory.usableBytes / 1e9)),
            ("weights_gb", .number(e.memory.weightBytes / 1e9)), ("kv_cache_gb", .number(e.memory.kvCacheBytes / 1e9)),
            ("fits", .bool(e.memory.fits)),
            ("bound", .string(e.decode.bound.rawValue)), ("prefill_bound", .string(e.prefill.bound.rawValue)),
            ("power_w", .number(e.averageWatts)), ("prefill_power_w", .number(e.prefillWatts)),
            ("decode_power_w", .number(e.decodeWatts)), ("pue", .number(e.options.pue)),
        ]
    }

    /// Continuous batching in steady state at `--batch` running sequences (the planner's
    /// serving model), with the largest running batch within the SLOs.
    static func steadyState(_ s: SteadyStateServing, usdPerDeviceHour: Double, largest: Double?) -> ReportValue {
        let devices = Double(s.workload.devices)
        return reportObject([
            ("running_batch", .integer(s.workload.batch)), ("kv_slots", .integer(s.slots)), ("stable", .bool(s.isStable)),
            ("requests_per_second", .number(s.requestsPerSecond)), ("tokens_per_second", .number(s.tokensPerSecond)),
            ("ttft_ms", .number(s.ttft.mean * 1000)), ("ttft_p50_ms", .number(s.ttft.p50 * 1000)), ("ttft_p90_ms", .number(s.ttft.p90 * 1000)),
            ("tpot_ms", .number(s.tpot.mean * 1000)), ("tpot_p50_ms", .number(s.tpot.p50 * 1000)), ("tpot_p90_ms", .number(s.tpot.p90 * 1000)),
            ("joules_per_token", .number(s.joulesPerToken)),
            ("usd_per_million_tokens", .number(usdPerDeviceHour * devices / 3600 / s.tokensPerSecond * 1e6)),
            ("slot_utilisation", .number(s.slotUtilisation)), ("prefill_utilisation", .number(s.prefillUtilisation)),
            ("engine_utilisation", .number(s.engineUtilisation)),
            ("max_running_batch", largest.map { .number($0) } ?? .null),
        ])
    }

    static func training(_ t: TrainingEstimate, devicesForDays: (days: Double, devices: Int)?) -> ReportValue {
        reportObject([
            ("tokens", .number(t.tokens)),
            ("active_parameters", t.activeParameters != t.parameters ? .number(t.activeParameters) : nil),
            ("flops", .number(t.flops)), ("devices", .integer(t.devices)),
            ("mfu", .number(t.mfu)), ("days", .number(t.days)), ("device_hours", .number(t.deviceHours)),
            ("energy_mwh", .number(t.megawattHours)), ("usd", .number(t.usd)),
            ("target_days", devicesForDays.map { .number($0.days) }),
            ("devices_for_target_days", devicesForDays.map { .integer($0.devices) }),
            ("training_state_gb", .number(t.trainingStateBytes / 1e9)),
            ("min_devices_for_training_state", .integer(t.minimumDevicesForState)),
        ])
    }
}
