import ExperimentDesign
import FileIO
import Hardware
import Numerics
import PlanModel
import ScalingLaws

/// The `downscale:` section of a scenario (see docs/SCENARIOS.md, "Downscaling").
enum DownscaleSection {
    static let keys = ["reference", "reference_serving", "devices", "precision", "memory_gb", "batch", "prompt_tokens", "prefix_cache_hit_rate", "shared_prefix_tokens",
                       "output_tokens", "slo", "joules_per_token_max", "usd_per_million_tokens_max", "family", "sizes",
                       "min_params", "tokens_per_param_max", "quantization_loss", "quantization", "frontier_points",
                       "architecture", "moe"]

    static func decode(_ v: YAMLValue, name: String, law: ScalingLaw, lawNode: YAMLValue? = nil, training: TrainingSetup,
                       quantization scenarioQuantization: QuantizationModel, catalog: HardwareCatalog) throws(InputError) -> DownscaleProblem {
        let m = try v.mapping(allowed: keys)

        let refNode = try m.required("reference")
        let rm = try refNode.mapping(allowed: ["model", "params", "tokens", "loss"])
        let reference: DownscaleProblem.Reference
        var referenceModel: ModelChoice?
        if let modelNode = rm.optional("model") {
            for key in ["params", "loss"] {
                if let clash = rm.optional(key) { throw clash.error("'reference' takes 'model' or '\(key)', not both: the model fixes the size") }
            }
            let entry = try ScenarioSpec.catalogModel(modelNode)
            try ScenarioSpec.requireDense(entry, at: modelNode)
            referenceModel = ModelChoice(name: entry.name, params: entry.parameters, shape: entry.shape)
            reference = try rm.optional("tokens").map { d throws(InputError) in .trained(params: entry.parameters, tokens: try d.number(in: 1e6...1e17)) }
                ?? .params(entry.parameters)
        } else {
        switch (rm.optional("params"), rm.optional("tokens"), rm.optional("loss")) {
        case (let n?, nil, nil): reference = .params(try n.number(in: 1e6...1e15))
        case (let n?, let d?, nil): reference = .trained(params: try n.number(in: 1e6...1e15), tokens: try d.number(in: 1e6...1e17))
        case (nil, nil, let l?):
            let loss = try l.positiveNumber()
            guard loss > law.irreducibleLoss else { throw l.error("the reference loss \(loss) is not above the law's irreducible loss \(law.irreducibleLoss)") }
            reference = .loss(loss)
        default:
            throw refNode.error("'reference' takes {model}, {model, tokens}, {params}, {params, tokens} or {loss}")
        }
        }

        var serving = ServingOption(hardware: training.hardware, precision: .bf16)
        if let s = m.optional("reference_serving") {
            let sm = try s.mapping(allowed: ["hardware", "precision"])
            let hw = try sm.optional("hardware").map { n throws(InputError) in try ScenarioSpec.profile(n, catalog) } ?? training.hardware
            let precision = try sm.optional("precision").map { n throws(InputError) in Precision(rawValue: try n.oneOf(Precision.allCases.map(\.rawValue)))! } ?? .bf16
            guard hw.peakFLOPS(for: precision) != nil else { throw s.error("'\(hw.name)' does not support \(precision.rawValue)") }
            serving = ServingOption(hardware: hw, precision: precision)
        }

        let devices = try InferenceSection.stringList(try m.required("devices")).map { n throws(InputError) in try ScenarioSpec.profile(n, catalog) }
        let precisionNode = m.optional("precision")
        let precisions = try precisionNode.map(InferenceSection.precisionList) ?? [.bf16]
        guard devices.contains(where: { d in precisions.contains { d.peakFLOPS(for: $0) != nil } }) else {
            throw (precisionNode ?? v).error("none of these devices supports the listed precisions")
        }

        let slo = try m.optional("slo").map(InferenceSection.latencySLO) ?? LatencySLO()

        // The scenario's quantisation model unless this section states its own;
        // `quantization_loss` is the older spelling of `quantization: {loss: ...}`.
        var quantization = scenarioQuantization
        if let q = m.optional("quantization") { quantization = try QuantizationSection.decode(q) }
        if let q = m.optional("quantization_loss") {
            if m.optional("quantization") != nil { throw q.error("give 'quantization_loss' inside 'quantization' as 'loss', not both") }
            quantization.postTraining = .fixed(try QuantizationSection.lossTable(q))
        }

        let familyNode = m.optional("family"), sizesNode = m.optional("sizes")
        var sizes = DownscaleProblem.Sizes.derived(min: try m.optional("min_params")?.number(in: 1e5...1e13) ?? 1e7)
        if familyNode != nil || sizesNode != nil {
            if let minNode = m.optional("min_params") { throw minNode.error("'min_params' applies to derived sizes only, not with 'family' or 'sizes'") }
            if let choices = try ScenarioSpec.decodeModelChoices(m, at: v, within: PlanConstraints()) {
                if let moe = choices.first(where: { $0.shape?.isMixtureOfExperts == true }) {
                    throw (sizesNode ?? v).error("\(moe.name) is a mixture of experts; downscaling prices sizes with a dense law, which cannot price it (its loss depends on the active parameters and the experts)")
                }
                sizes = .choices(choices)
            }
        }

        // Architectures to downscale to besides dense (`architecture: [dense, moe]`, `moe: {...}`
        // as in `search`), each with the joint law's slice; the reference stays dense.
        var architectures: [ArchitectureOption] = []
        if let lawNode { architectures = try ArchitectureSection.decode(m, law: lawNode, modelChoices: nil) }
        if !architectures.isEmpty, case .choices = sizes, let node = m.optional("architecture") {
            throw node.error("give either 'architecture' or 'family'/'sizes' in 'downscale', not both: architectures downscale over derived sizes")
        }
        if architectures.isEmpty, let node = m.optional("architecture") ?? m.optional("moe") {
            throw node.error("'architecture' and 'moe' in 'downscale' need the joint law, law: {moe: ludziejewski2025}")
        }
        var problem = DownscaleProblem(
            name: name, law: law, training: training, reference: reference, referenceServing: serving,
            devices: devices, precisions: precisions,
            memoryCapBytes: (try m.optional("memory_gb")?.positiveNumber()).map { $0 * 1e9 },
            batch: try m.optional("batch")?.integer(in: 1...1024) ?? 1,
            promptTokens: try m.required("prompt_tokens").integer(in: 1...10_000_000),
            outputTokens: try m.required("output_tokens").integer(in: 1...10_000_000),
            slo: slo,
            joulesPerTokenMax: try m.optional("joules_per_token_max")?.positiveNumber(),
            usdPerMillionTokensMax: try m.optional("usd_per_million_tokens_max")?.positiveNumber(),
            sizes: sizes,
            tokensPerParamMax: try m.optional("tokens_per_param_max")?.number(in: 1...1e6) ?? 10_000,
            quantization: quantization,
            frontierPoints: try m.optional("frontier_points")?.integer(in: 2...500) ?? 20,
            referenceModel: referenceModel)
        problem.architectures = architectures
        (problem.prefixCacheHitRate, problem.sharedPrefixTokens) = try InferenceSection.promptCaching(m, promptTokens: problem.promptTokens)
        return problem
    }
}
