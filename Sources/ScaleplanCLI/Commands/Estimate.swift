import ArgumentParser
import Diagnostics
import ExperimentDesign
import FileIO
import Hardware
import Numerics
import Report
import Scenario
import ValueTree

/// `scaleplan estimate`: latency, throughput, energy, price and memory of one model on one
/// accelerator (roofline model, docs/HARDWARE.md).
struct Estimate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Estimate TTFT, TPOT, tokens/s, J/token, $/M tokens and memory of one model on one accelerator.",
        discussion: """
            JSON keys (stable): ttft_ms, tpot_ms, tokens_per_second, joules_per_token, usd_per_million_tokens, memory_gb, fits, bound, power_w.
            These are a static batch (batching: static); continuous_batching gives the planner's \
            steady state at --batch running sequences (mean, p50 and p90 TTFT and TPOT, and the \
            largest running batch within the SLOs). \
            Per-token energy and price are per output token, prefill included. The model is a \
            published one by name (--model, `scaleplan model list`), a size with a derived \
            Llama-3-style shape (--params), or an explicit shape (--layers, --hidden, --heads and \
            the details after them).

            Examples:
              scaleplan estimate --hardware h100-sxm --params 8B --batch 64 --prompt-tokens 512 --output-tokens 256 --format json
              scaleplan estimate --hardware h100-sxm --model qwen3-32b --devices 2 --batch 32 --prompt-tokens 1024 --output-tokens 256
            """)

    @Option(help: "Accelerator profile name (see `scaleplan hardware list`) or a profile file path.",
            completion: .list(HardwareCatalog.builtInNames))
    var hardware: String

    @OptionGroup var model: HardwareModelOptions

    @Option(help: "Concurrent sequences in the batch.")
    var batch: Int

    @Option(help: "Prompt tokens per request.")
    var promptTokens: Int

    @Option(help: "Output tokens per request (or give --output-lengths).")
    var outputTokens: Int?

    @Option(help: ArgumentHelp("Output lengths that vary, for the continuous-batching figures: TOKENS:SHARE pairs (e.g. 50:0.6,675:0.4; lengths of at least 2, shares summing to 1).",
                               discussion: "The steady state sizes the KV slots, the slot queue and the p90 TPOT on the distribution (docs/HARDWARE.md); the static batch decodes its mean, rounded, which --output-tokens may state.",
                               valueName: "lengths"))
    var outputLengths: String?

    @Option(help: ArgumentHelp("Fraction of prompt tokens found in the KV cache (prefix caching), at least 0 and below 1 (default 0, or the shared prefix's share of the prompt).",
                               discussion: "Cached tokens skip the prefill's computation; their KV cache is read once and still held by every running sequence, but for a shared prefix (docs/HARDWARE.md).",
                               valueName: "fraction"))
    var prefixCacheHitRate: Double?

    @Option(help: ArgumentHelp("Prompt tokens every request shares (a system prompt), below --prompt-tokens (default 0).",
                               discussion: "Their KV cache is held once per replica instead of once per sequence; the hit rate is at least their share of the prompt (docs/HARDWARE.md).",
                               valueName: "tokens"))
    var sharedPrefixTokens: Int = 0

    /// The hit rate: as given, else the least the shared prefix implies (0 without one).
    private var hitRate: Double {
        prefixCacheHitRate ?? ServingWorkload.leastHitRate(sharedPrefixTokens: sharedPrefixTokens, promptTokens: promptTokens)
    }

    @Option(help: "Weight precision: fp32, bf16, fp8, int8, int4, mxfp4 or nvfp4 (int4, and the FP4 formats without FP4 tensor cores, are weight-only).")
    var precision: Precision = .bf16

    @Option(help: "KV-cache precision (default: fp8 with fp8 weights, fp32 with fp32, else bf16).")
    var kvCachePrecision: Precision?

    @Option(help: ArgumentHelp("Layers kept in bf16 below bf16 weights: attention, lm-head, or attention,lm-head (as FP8 checkpoints often keep them); non-experts keeps everything but the routed experts (as gpt-oss's MXFP4 checkpoints do).", valueName: "layers"))
    var bf16Layers: String?

    @Option(help: "Devices per replica (tensor-parallel unless --expert-parallel or --attention-data-parallel say otherwise).")
    var devices: Int = 1

    @Option(help: "Expert-parallel degree K of a mixture-of-experts model: experts spread whole over K groups of the devices (vLLM's --enable-expert-parallel: K = --devices).")
    var expertParallel: Int = 1

    @Option(help: "Data-parallel attention groups G of a mixture-of-experts model: each of G groups of devices/G keeps its own copy of the non-expert weights and serves batch/G sequences, with all-to-alls in the MoE layers (SGLang's --enable-dp-attention).")
    var attentionDataParallel: Int = 1

    @Option(help: "Pipeline-parallel stages P: the layers split over P stages of devices/P devices each, the batch into P micro-batches (vLLM's --pipeline-parallel-size).")
    var pipelineParallel: Int = 1

    @Option(help: "The busiest expert-parallel group's expert load over the mean, at least 1 (1: uniform routing).")
    var routingImbalance: Double = 1

    @Option(help: "Facility power usage effectiveness (1 = device energy only).")
    var pue: Double = 1

    @Option(help: "Grid carbon intensity in gCO2/kWh; adds gco2_per_million_tokens.")
    var carbonIntensity: Double?

    @Option(help: "Override the profile's price per device-hour, USD.")
    var pricePerHour: Double?

    @Option(help: "TTFT target in ms for max_batch.")
    var ttftSloMs: Double?

    @Option(help: "TPOT target in ms for max_batch.")
    var tpotSloMs: Double?

    @Option(help: "Training tokens D: adds a training section (6ND FLOPs, N the active parameters of a mixture of experts) for this model.")
    var trainingTokens: PositiveNumber?

    @Option(help: "Devices used for training (default: --devices).")
    var trainingDevices: Int?

    @Option(help: "Training days: adds the device count needed to train within them.")
    var trainingDays: Double?

    @Option(help: "Training model FLOP utilisation (default: the profile's).")
    var mfu: Double?

    @OptionGroup var location: HardwareProfileOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        let lengths = try parsedOutputLengths()
        guard let outputs = outputTokens ?? lengths.map({ Int($0.mean.rounded()) }) else {
            throw ValidationError("Give --output-tokens or --output-lengths.")
        }
        if let lengths, let o = outputTokens, o != Int(lengths.mean.rounded()) {
            throw ValidationError("--output-tokens (\(o)) must be the --output-lengths mean, \(NumberText.short(lengths.mean)), rounded: \(Int(lengths.mean.rounded())).")
        }
        for (flag, v) in [("--batch", batch), ("--prompt-tokens", promptTokens), ("--output-tokens", outputs), ("--devices", devices)] where v < 1 {
            throw ValidationError("\(flag) must be at least 1, found \(v).")
        }
        if let p = pricePerHour, !(p >= 0 && p.isFinite) { throw ValidationError("--price-per-hour must be at least 0.") }
        if let rate = prefixCacheHitRate, !ServingWorkload.acceptsPrefixCacheHitRate(rate) {
            throw ValidationError("--prefix-cache-hit-rate must be at least 0 and below 1 (a request always computes its last prompt token), found \(rate).")
        }
        if sharedPrefixTokens != 0 {
            guard ServingWorkload.acceptsSharedPrefix(sharedPrefixTokens, promptTokens: promptTokens) else {
                throw ValidationError("--shared-prefix-tokens must be at least 0 and below --prompt-tokens (\(promptTokens)): a request computes its last prompt token itself, found \(sharedPrefixTokens).")
            }
            let least = ServingWorkload.leastHitRate(sharedPrefixTokens: sharedPrefixTokens, promptTokens: promptTokens)
            if let rate = prefixCacheHitRate, rate < least {
                throw ValidationError("--prefix-cache-hit-rate (\(NumberText.short(rate))) is below the shared prefix's share of the prompt, \(sharedPrefixTokens) / \(promptTokens) = \(NumberText.short(least)): every prompt after the first finds the shared prefix in the cache.")
            }
        }
        for (flag, v) in [("--ttft-slo-ms", ttftSloMs), ("--tpot-slo-ms", tpotSloMs)] {
            let range = LatencySLO.acceptedRangeMS
            if let v, !range.contains(v) {
                throw ValidationError("\(flag) must be between \(NumberText.exact(range.lowerBound)) and \(NumberText.exact(range.upperBound)) ms, found \(v).")
            }
        }
        if let v = trainingDays, !(v > 0 && v.isFinite) { throw ValidationError("--training-days must be greater than 0, found \(v).") }
        if let bad = keptLayers.first(where: { !Self.bf16LayerNames.contains($0) }) {
            throw ValidationError("--bf16-layers takes attention, lm-head or both (comma-separated), or non-experts, found '\(bad)'.")
        }
        if let d = trainingDevices, d < 1 { throw ValidationError("--training-devices must be at least 1, found \(d).") }
        if pipelineParallel < 1 || devices % pipelineParallel != 0 {
            throw ValidationError("--pipeline-parallel must be at least 1 and divide --devices (\(devices)), found \(pipelineParallel).")
        }
        let stage = devices / max(pipelineParallel, 1)
        for (flag, v) in [("--expert-parallel", expertParallel), ("--attention-data-parallel", attentionDataParallel)] where v < 1 || stage % v != 0 {
            throw ValidationError("\(flag) must be at least 1 and divide the \(stage) devices of a pipeline stage (--devices / --pipeline-parallel), found \(v).")
        }
        if !(routingImbalance >= 1 && routingImbalance.isFinite) {
            throw ValidationError("--routing-imbalance must be at least 1 (uniform routing), found \(routingImbalance).")
        }
        if trainingDays != nil && trainingTokens == nil { throw ValidationError("--training-days needs --training-tokens.") }
    }

    /// `--output-lengths` as a distribution, nil when not given.
    func parsedOutputLengths() throws -> OutputLengths? {
        guard let text = outputLengths else { return nil }
        var tokens: [Int] = [], shares: [Double] = []
        for pair in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let t = Int(parts[0].trimmingCharacters(in: .whitespaces)),
                  let share = Double(parts[1].trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--output-lengths takes TOKENS:SHARE pairs separated by commas (50:0.6,675:0.4), found '\(pair)'.")
            }
            tokens.append(t)
            shares.append(share)
        }
        let total = shares.reduce(0, +)
        guard abs(total - 1) <= OutputLengths.shareSumTolerance else {
            throw ValidationError("--output-lengths shares must sum to 1, found \(NumberText.human(total)).")
        }
        do {
            return try OutputLengths(tokens: tokens, weights: shares)
        } catch {
            guard case .invalidWorkload(let why) = error else { throw ValidationError("--output-lengths: \(error.description).") }
            throw ValidationError("--output-lengths: \(why).")
        }
    }

    /// The layer groups `--bf16-layers` lists, in order.
    var keptLayers: [String] {
        (bf16Layers ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The layer groups `--bf16-layers` names.
    static let bf16LayerNames: Set<String> = ["attention", "lm-head", "non-experts"]

    func run() throws {
        var profile = try location.profile(hardware)
        if let p = pricePerHour { profile.usdPerHour = SourcedValue(p, source: "--price-per-hour") }
        let (shape, parameters, family, name) = try model.resolve()
        // `validate` made sure one of --output-tokens and --output-lengths is given, and that
        // they agree: the static batch decodes the distribution's mean, rounded.
        let lengths = try parsedOutputLengths()
        let outputs = outputTokens ?? lengths.map { Int($0.mean.rounded()) } ?? 1
        var workload = ServingWorkload(shape: shape, parameters: parameters, precision: precision, kvCachePrecision: kvCachePrecision,
                                       batch: batch, promptTokens: promptTokens, outputTokens: outputs, devices: devices)
        workload.expertParallel = expertParallel
        workload.attentionDataParallel = attentionDataParallel
        workload.pipelineStages = pipelineParallel
        workload.routingImbalance = routingImbalance
        workload.prefixCacheHitRate = hitRate
        workload.sharedPrefixTokens = sharedPrefixTokens
        for (flag, v) in [("--expert-parallel", expertParallel), ("--attention-data-parallel", attentionDataParallel)] where v > 1 && !shape.isMixtureOfExperts {
            throw CLIFailure.badInput("\(flag) needs a mixture-of-experts model; \(name ?? "this shape") is dense")
        }
        let kept = Set(keptLayers)
        if kept.contains("non-experts") {
            guard shape.isMixtureOfExperts else {
                throw CLIFailure.badInput("--bf16-layers non-experts needs a mixture-of-experts model; \(name ?? "this shape") is dense")
            }
            // Everything but the routed experts, in the workload's own parameter scale.
            workload.highPrecisionParameters = parameters * (1 - shape.routedFraction)
        } else {
            workload.highPrecisionParameters = (kept.contains("attention") ? shape.attentionParameters : 0)
                + (kept.contains("lm-head") ? shape.outputProjectionParameters : 0)
        }
        let options = ServingOptions(pue: pue, carbonIntensity: carbonIntensity)
        // The static batch decodes one length; the steady state runs on the distribution.
        var steadyWorkload = workload
        steadyWorkload.outputLengths = lengths
        let pairs = try report(profile: profile, workload: workload, steadyWorkload: steadyWorkload, options: options, family: family, name: name)
        let estimate = try ServingEstimate(profile: profile, workload: workload, options: options)
        var warnings = estimate.warnings
        var leaned = estimate.leanedEfficiencyKeys
        if workload.outputTokens >= 2 {
            let steady = try SteadyStateServing(profile: profile, workload: steadyWorkload, options: options)
            warnings += steady.warnings
            leaned += steady.leanedEfficiencyKeys
        }
        if let w = profile.defaultEfficiencyWarning(leaningOn: leaned) { warnings.append(w) }
        if let w = ServingWorkload.prefixCacheWarning(rate: hitRate, sharedPrefixTokens: sharedPrefixTokens, subject: "estimate") { warnings.append(w) }
        try output.emit(reportObject(pairs), warnings: warnings)
    }

    /// Estimate, batch search, model and training sections, in report order.
    private func report(profile: HardwareProfile, workload: ServingWorkload, steadyWorkload: ServingWorkload, options: ServingOptions,
                        family: String?, name: String?) throws(HardwareError) -> [(String, ReportValue?)] {
        let e = try ServingEstimate(profile: profile, workload: workload, options: options)
        let slo = LatencySLO(ttftSeconds: ttftSloMs.map { $0 / 1000 }, tpotSeconds: tpotSloMs.map { $0 / 1000 })
        let maxBatch = try BatchSearch.largestBatch(profile: profile, workload: workload, slo: slo, options: options)
        let minDevices = MemoryFit.smallestFittingDevices(profile: profile, workload: workload, options: options)
        var pairs = HardwareReport.estimate(e, profile: profile)
        pairs.append(("max_batch", .integer(maxBatch ?? 0)))
        pairs.append(("min_devices_to_fit", minDevices.map { .integer($0) }))
        if workload.outputTokens >= 2 {
            let steady = try SteadyStateServing(profile: profile, workload: steadyWorkload, options: options)
            let largest = try SteadyStateServing.largestRunningBatch(profile: profile, workload: steadyWorkload, slo: slo, options: options)
            pairs.append(("continuous_batching", HardwareReport.steadyState(steady, usdPerDeviceHour: profile.usdPerHour.value, largest: largest?.batch)))
        }
        pairs.append(("model", HardwareReport.shape(workload.shape, parameters: workload.parameters, family: family, name: name)))
        if let d = trainingTokens?.value {
            let t = try TrainingEstimate(profile: profile, parameters: workload.parameters, tokens: d,
                                         devices: trainingDevices ?? devices, mfu: mfu, pue: options.pue, shape: workload.shape)
            var target: (days: Double, devices: Int)?
            if let days = trainingDays {
                target = (days, try TrainingEstimate.devicesNeeded(profile: profile, parameters: workload.parameters,
                                                                   tokens: d, days: days, mfu: mfu, shape: workload.shape))
            }
            pairs.append(("training", HardwareReport.training(t, devicesForDays: target)))
        }
        return pairs
    }
}
