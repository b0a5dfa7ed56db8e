import Demand
import ExperimentDesign
import FileIO
import Foundation
import Hardware
import Numerics
import PlanModel

/// The `inference:` section of a scenario.
enum InferenceSection {
    static let keys = ["hardware", "precision", "demand", "slo", "mfu", "price_per_hour", "max_devices", "pue", "carbon_intensity", "efficiency", "pipeline_parallel", "purchasing", "min_replicas", "prefix_cache_hit_rate", "shared_prefix_tokens"]

    static func decode(_ v: YAMLValue, catalog: HardwareCatalog, directory: String) throws(InputError) -> InferenceSetup {
        let m = try v.mapping(allowed: keys)
        var fixed: (Double, Double)?
        if let u = m.optional("mfu") {
            let um = try u.mapping(allowed: ["prefill", "decode"])
            fixed = (try um.required("prefill").number(in: 0.001...1), try um.required("decode").number(in: 0.001...1))
        }
        let (demand, flopsOnly, outputLengths) = try decodeDemand(try m.required("demand"), directory: directory,
                                                                  fixedUtilisation: fixed.map { $0.0 == $0.1 ? .equal : .different })
        // A lifetime token total with no request shape and no fixed utilisation asks only for
        // FLOPs (Sardana et al.'s setting): no serving model, so no hardware is needed.
        if flopsOnly {
            for key in ["slo", "price_per_hour", "max_devices", "efficiency", "purchasing", "min_replicas", "prefix_cache_hit_rate", "shared_prefix_tokens"] {
                if let node = m.optional(key) {
                    throw node.error("'\(key)' needs a serving model; a token total without prompt_tokens and output_tokens (or a fixed 'mfu') counts inference in FLOPs only")
                }
            }
            return InferenceSetup(options: [], demand: demand, carbonIntensity: try m.optional("carbon_intensity")?.number(in: ServingOptions.carbonIntensityRange))
        }
        let hwNode = try m.required("hardware")
        var hardware = try stringList(hwNode).map { n throws(InputError) in try ScenarioSpec.profile(n, catalog) }
        if let e = m.optional("efficiency") { try overrideEfficiency(e, of: &hardware) }
        let precisionNode = m.optional("precision")
        let precisions = try precisionNode.map(precisionList) ?? [.bf16]

        let prices = try m.optional("price_per_hour").map { v throws(InputError) in
            try perAccelerator(v, hardware: hardware) { p throws(InputError) in try p.nonNegativeNumber() }
        } ?? [:]
        var caps: [String: Int] = [:]
        if let c = m.optional("max_devices") {
            let cm = try c.mapping(allowed: hardware.map(\.name))
            for key in cm.keys { caps[key] = try cm.required(key).integer(in: 1...100_000_000) }
        }
        var minimums: [String: Int] = [:]
        if let node = m.optional("min_replicas") {
            guard case .forecast = demand else {
                throw node.error("'min_replicas' needs a monthly forecast (horizon_months): a lifetime 'tokens' total is not served by a fleet of whole replicas")
            }
            minimums = try perAccelerator(node, hardware: hardware) { v throws(InputError) in try v.integer(in: 1...10_000) }
            for h in hardware {
                if let least = minimums[h.name], let cap = caps[h.name], cap < least {
                    throw node.error("'min_replicas' asks for \(least) replicas of \(h.name), but 'max_devices' allows only \(cap) devices of it")
                }
            }
        }
        var options: [ServingOption] = []
        for h in hardware {
            for p in precisions where h.peakFLOPS(for: p) != nil {
                options.append(ServingOption(hardware: h, precision: p, usdPerDeviceHour: prices[h.name], maxDevices: caps[h.name],
                                             minReplicas: minimums[h.name] ?? 1))
            }
        }
        guard !options.isEmpty else { throw (precisionNode ?? hwNode).error("none of these accelerators supports the listed precisions") }

        let slo = try m.optional("slo").map(latencySLO) ?? LatencySLO()
        var setup = InferenceSetup(
            options: options, demand: demand, slo: slo, fixedUtilisation: fixed,
            pue: try m.optional("pue")?.number(in: 1...3) ?? 1,
            carbonIntensity: try m.optional("carbon_intensity")?.number(in: ServingOptions.carbonIntensityRange))
        setup.outputLengths = outputLengths
        (setup.prefixCacheHitRate, setup.sharedPrefixTokens) = try promptCaching(m, promptTokens: setup.requestShape.prompt)
        if let node = m.optional("pipeline_parallel") {
            setup.pipelineParallel = try node.oneOf(["true", "false"]) == "true"
        }
        if let node = m.optional("purchasing") {
            guard case .forecast = demand else {
                throw node.error("'purchasing' needs a monthly forecast (horizon_months): a lifetime 'tokens' total is served by a fleet that is busy all the time it is paid for")
            }
            setup.purchasing = try PurchasingSection.decode(node, hardware: hardware)
        }
        return setup
    }

    /// A prefix-cache hit rate (`prefix_cache_hit_rate`): the fraction of prompt tokens found
    /// in the KV cache, at least 0 and below 1.
    static func prefixCacheHitRate(_ v: YAMLValue) throws(InputError) -> Double {
        let h = try v.number()
        guard ServingWorkload.acceptsPrefixCacheHitRate(h) else {
            throw v.error("\(v.name) must be at least 0 and below 1 (the fraction of prompt tokens found in the prefix cache; a request always computes its last prompt token), found \(YAMLValue.plain(h))")
        }
        return h
    }

    /// The prefix-cache hit rate and the shared prefix of a section (`prefix_cache_hit_rate`,
    /// `shared_prefix_tokens`) whose requests have `promptTokens` prompt tokens: the shared
    /// prefix is a whole number of tokens below the prompt's, and the rate, when not given,
    /// is the least the prefix implies (S / P: every prompt after the first finds it cached);
    /// a rate given below that is an error at the rate.
    static func promptCaching(_ m: YAMLMapping, promptTokens: Int) throws(InputError) -> (hitRate: Double, sharedPrefixTokens: Int) {
        let rateNode = m.optional("prefix_cache_hit_rate")
        let rate = try rateNode.map(prefixCacheHitRate)
        guard let node = m.optional("shared_prefix_tokens") else { return (rate ?? 0, 0) }
        guard promptTokens >= 2 else {
            throw node.error("'shared_prefix_tokens' needs a prompt of at least 2 tokens (a request computes its last prompt token itself), found \(promptTokens)")
        }
        let shared = try node.integer(in: 0...(promptTokens - 1))
        let least = ServingWorkload.leastHitRate(sharedPrefixTokens: shared, promptTokens: promptTokens)
        guard let rate else { return (least, shared) }
        if let rateNode, rate < least {
            throw rateNode.error("prefix_cache_hit_rate \(YAMLValue.plain(rate)) is below the shared prefix's share of the prompt (\(shared) of \(promptTokens) tokens, \(YAMLValue.plain(least))): every prompt after the first finds the shared prefix in the cache, so give a rate of at least that, or leave it out")
        }
        return (rate, shared)
    }

    /// A value for every listed accelerator (a scalar) or per accelerator name (a mapping
    /// whose keys must be listed accelerators), read by `value`.
    static func perAccelerator<T>(_ v: YAMLValue, hardware: [HardwareProfile],
                                  _ value: (YAMLValue) throws(InputError) -> T) throws(InputError) -> [String: T] {
        var out: [String: T] = [:]
        guard case .mapping = v.node else {
            let scalar = try value(v)
            for h in hardware { out[h.name] = scalar }
            return out
        }
        let map = try v.mapping(allowed: hardware.map(\.name))
        for key in map.keys { out[key] = try value(try map.required(key)) }
        return out
    }

    /// Applies an `efficiency:` block: either factor keys (`EfficiencyFactors.keys`, each
    /// `{value, source}`) for every listed accelerator, or accelerator names mapping to such
    /// blocks. The override replaces the profile's figure, source included, so reports cite it.
    static func overrideEfficiency(_ v: YAMLValue, of hardware: inout [HardwareProfile]) throws(InputError) {
        let names = hardware.map(\.name)
        let m = try v.mapping(allowed: EfficiencyFactors.keys + names)
        let perHardware = m.keys.filter(names.contains)
        if perHardware.isEmpty {
            for i in hardware.indices { try HardwareProfile.parseEfficiency(v, into: &hardware[i].efficiency) }
            return
        }
        if let factor = m.keys.first(where: { !names.contains($0) }) {
            throw v.error("'efficiency' takes either factor keys for every accelerator or accelerator names, not both (found '\(factor)' beside '\(perHardware[0])')")
        }
        for i in hardware.indices {
            guard let block = m.optional(hardware[i].name) else { continue }
            try HardwareProfile.parseEfficiency(block, into: &hardware[i].efficiency)
        }
    }

    /// Whether the inference section fixes utilisations, and whether prefill's and decode's are equal.
    enum FixedUtilisation { case equal, different }

    /// A lifetime total (`{tokens: 2T}` without `horizon_months`) or a monthly forecast, and
    /// whether it asks for FLOPs only: a total with neither prompt_tokens, output_tokens nor a
    /// fixed utilisation (Sardana et al.'s setting, no serving model); and a forecast's
    /// output-length histogram, when it gives one.
    static func decodeDemand(_ v: YAMLValue, directory: String, fixedUtilisation: FixedUtilisation?) throws(InputError)
        -> (demand: InferenceDemand, flopsOnly: Bool, outputLengths: OutputLengths?) {
        let m = try v.mapping(allowed: DemandForecast.yamlKeys)
        if let t = m.optional("tokens"), m.optional("horizon_months") == nil {
            let extra = m.keys.filter { !["tokens", "prompt_tokens", "output_tokens"].contains($0) }
            if let first = extra.first { throw v.error("a lifetime 'tokens' total without 'horizon_months' takes only prompt_tokens and output_tokens, found '\(first)'") }
            // At least one token: a total of 5e-324 made 2N x tokens underflow differently in the
            // planner and in its independent check.
            let total = try t.number(in: 1...1e30)
            let prompt = try m.optional("prompt_tokens")?.integer(in: 0...10_000_000)
            if let node = m.optional("output_tokens"), node.isMapping {
                throw node.error("an output_tokens histogram needs a monthly forecast (horizon_months); a lifetime 'tokens' total takes one output length")
            }
            let output = try m.optional("output_tokens")?.integer(in: 1...10_000_000)
            if prompt == nil, output == nil, fixedUtilisation == nil { return (.totalTokens(total, promptTokens: 1, outputTokens: 1), true, nil) }
            guard fixedUtilisation != nil || (prompt != nil && output != nil) else {
                throw v.error("a lifetime 'tokens' total needs both prompt_tokens and output_tokens (the request shape the roofline serves), or a fixed 'mfu' in 'inference'")
            }
            // With different prefill and decode utilisations the cost of a token depends on
            // which it is: the split must be stated, not assumed.
            guard fixedUtilisation != .different || (prompt != nil && output != nil) else {
                throw v.error("with different prefill and decode utilisations ('mfu') the cost depends on how the \(Quantity.format(total)) tokens split between prompts and outputs; give prompt_tokens and output_tokens")
            }
            return (.totalTokens(total, promptTokens: prompt ?? 1, outputTokens: output ?? 1), false, nil)
        }
        let (forecast, lengths) = try DemandForecast.parseWithOutputLengths(v, baseDirectory: directory)
        return (.forecast(forecast), false, lengths)
    }

    /// One precision or a list of them (`bf16`, `fp8`, ...).
    static func precisionList(_ v: YAMLValue) throws(InputError) -> [Precision] {
        try stringList(v).map { p throws(InputError) in Precision(rawValue: try p.oneOf(Precision.allCases.map(\.rawValue)))! }
    }

    /// An `slo: {ttft_ms, tpot_ms}` mapping, in seconds.
    static func latencySLO(_ v: YAMLValue) throws(InputError) -> LatencySLO {
        let m = try v.mapping(allowed: ["ttft_ms", "tpot_ms"])
        var slo = LatencySLO()
        // From a microsecond (a tpot_ms of 5e-324 became 0 s, and the relaxation search then
        // bisected towards 0 forever) to about eleven days.
        if let t = m.optional("ttft_ms") { slo.ttftSeconds = try t.number(in: LatencySLO.acceptedRangeMS) / 1000 }
        if let t = m.optional("tpot_ms") { slo.tpotSeconds = try t.number(in: LatencySLO.acceptedRangeMS) / 1000 }
        return slo
    }

    /// A single string or a list of strings, as nodes.
    static func stringList(_ v: YAMLValue) throws(InputError) -> [YAMLValue] {
        if case .success = Result(catching: { () throws(InputError) in try v.string() }) { return [v] }
        let items = try v.list()
        var seen = Set<String>()
        for item in items {
            let s = try item.string()
            guard seen.insert(s).inserted else { throw item.error("'\(s)' is listed twice") }
        }
        return items
    }
}
