import Diagnostics
import ExperimentDesign
import FileIO
import Foundation
import Hardware
import Numerics
import PlanModel
import ScalingLaws

/// Which two objectives a frontier trades off, and how many points it has.
public struct FrontierSettings: Sendable, Equatable {
    public var x: Objective
    public var y: Objective
    public var points: Int
    public init(x: Objective, y: Objective, points: Int) { self.x = x; self.y = y; self.points = points }

    /// Largest number of frontier points accepted (each is a solve).
    public static let maximumPoints = 500
}

/// A decoded and validated scenario file (contract v1, see docs/SCENARIOS.md).
public struct ScenarioSpec: Sendable {
    public let file: String
    public let problem: PlanningProblem
    public let frontier: FrontierSettings
    /// Where the law came from (preset citation, law file, or fitted CSV).
    public let lawSource: String
    /// Bootstrap laws from a law file, if it has them.
    public let lawSamples: [ScalingLaw]
    /// The `downscale:` question, when the scenario has one.
    public let downscale: DownscaleProblem?

    /// Keys of the `downscale:` section.
    public static var downscaleKeys: [String] { DownscaleSection.keys }

    /// Whether an objective's value includes serving's cost, energy or latency (unknown for a
    /// pure-FLOP question).
    static func needsServing(_ o: Objective) -> Bool { [.cost, .energy, .latency].contains(o) }

    /// Top-level keys.
    public static let keys = ["$schema", "scenario", "description", "law", "training", "inference", "objectives", "constraints", "search", "frontier", "downscale", "quantization"]

    /// Reads, decodes and validates a scenario. Hardware names resolve against `catalog`;
    /// relative paths (law files, run CSVs, demand volumes) against the scenario's directory.
    ///
    /// - Throws: `InputError` at the first offending node, naming file, line and column.
    public static func load(path: String, catalog: HardwareCatalog) throws(InputError) -> ScenarioSpec {
        try decode(try YAMLValue.load(path: path), catalog: catalog)
    }

    public static func decode(_ root: YAMLValue, catalog: HardwareCatalog) throws(InputError) -> ScenarioSpec {
        let m = try root.mapping(allowed: keys)
        let directory = (root.file as NSString).deletingLastPathComponent
        let name = try m.required("scenario").string()
        var law = try LawSection.decode(try m.required("law"), directory: directory)
        let training = try decodeTraining(try m.required("training"), catalog: catalog, objectives: m.optional("objectives"))
        if training.setup.uniqueTokens != nil {
            // Repeated tokens are worth less whatever the law: a Chinchilla-form law takes
            // Muennighoff et al.'s data-constrained form (their fitted R*_D, R*_N).
            guard let constrained = law.law.dataConstrained else {
                throw try (try m.required("training").mapping(allowed: trainingKeys)).required("unique_tokens")
                    .error("'unique_tokens' needs a law with a Chinchilla form (the Kaplan law has no data-constrained form); use a chinchilla, overtrain or data-constrained law")
            }
            law.law = constrained
            law.samples = law.samples.compactMap(\.dataConstrained)
        }
        let inference = try m.optional("inference").map { v throws(InputError) in try InferenceSection.decode(v, catalog: catalog, directory: directory) }

        let quantization = try m.optional("quantization").map(QuantizationSection.decode) ?? .kumar2024
        var downscale = try m.optional("downscale").map { v throws(InputError) in
            try DownscaleSection.decode(v, name: name, law: law.law, lawNode: try m.required("law"), training: training.setup,
                                        quantization: quantization, catalog: catalog)
        }
        downscale?.fittedRange = law.fittedRange
        // A scenario that only asks a downscaling question needs no objectives.
        let objectiveNodes = downscale != nil && m.optional("objectives") == nil ? [] : try m.required("objectives").list()
        var objectives: [Objective] = []
        for node in objectiveNodes {
            let o = Objective(rawValue: try node.oneOf(Objective.allCases.map(\.rawValue)))!
            guard !objectives.contains(o) else { throw node.error("objective '\(o.rawValue)' is listed twice") }
            if inference == nil, o == .latency { throw node.error("the latency objective needs an 'inference' section") }
            if inference?.modelsServing == false, Self.needsServing(o) {
                throw node.error("the \(o.rawValue) objective needs a serving model; the demand is a token total without prompt_tokens and output_tokens (or a fixed 'mfu'), which counts inference in FLOPs only")
            }
            objectives.append(o)
        }
        guard objectives.count <= 2 else {
            throw objectiveNodes[2].error("list one or two objectives (a frontier trades off two); found \(objectives.count)")
        }

        var constraints = try decodeConstraints(m.optional("constraints"), training: training.maxDays)
        var choices: [ModelChoice]?
        var architectures: [ArchitectureOption] = []
        if let search = m.optional("search") {
            choices = try decodeSearch(search, into: &constraints)
            architectures = try ArchitectureSection.decode(search, law: m.required("law"), modelChoices: choices)
        }
        if let moe = choices?.first(where: { $0.shape?.isMixtureOfExperts == true }), let node = m.optional("search") {
            throw node.error("\(moe.name) is a mixture of experts; a dense law cannot price it (its loss depends on the active parameters and the experts): compare architectures with 'architecture' and law: {moe: ludziejewski2025} instead")
        }
        if constraints.latencyMax != nil, inference == nil {
            throw (m.optional("constraints") ?? root).error("'latency_max' needs an 'inference' section")
        }
        if inference?.modelsServing == false, let o = Objective.allCases.first(where: { Self.needsServing($0) && constraints.bound(on: $0) != nil }) {
            throw (m.optional("constraints") ?? root).error("'\(o.constraintKey)' needs a serving model; the demand is a token total without prompt_tokens and output_tokens (or a fixed 'mfu'), which counts inference in FLOPs only")
        }

        var frontier = FrontierSettings(x: objectives.count > 1 ? objectives[1] : .loss, y: objectives.first ?? .cost, points: 20)
        if objectives.count == 1, objectives[0] == .loss { frontier = FrontierSettings(x: .cost, y: .loss, points: 20) }
        if let f = m.optional("frontier") {
            let fm = try f.mapping(allowed: ["points", "x", "y"])
            frontier.points = try fm.optional("points")?.integer(in: 2...FrontierSettings.maximumPoints) ?? frontier.points
            if let x = fm.optional("x") { frontier.x = Objective(rawValue: try x.oneOf(Objective.allCases.map(\.rawValue)))! }
            if let y = fm.optional("y") { frontier.y = Objective(rawValue: try y.oneOf(Objective.allCases.map(\.rawValue)))! }
            if frontier.x == frontier.y { throw f.error("the frontier's x and y must be different objectives") }
            if inference?.modelsServing == false, let o = [frontier.x, frontier.y].first(where: Self.needsServing) {
                throw f.error("a frontier in \(o.rawValue) needs a serving model; this demand counts inference in FLOPs only")
            }
        }
        let problem = PlanningProblem(
            name: name, law: law.law, training: training.setup, inference: inference, objectives: objectives,
            constraints: constraints, frontierPoints: frontier.points, modelChoices: choices,
            lossUncertainty: law.samples.count >= 2 ? LossUncertainty(samples: law.samples, confidence: law.confidence) : nil,
            fittedRange: law.fittedRange, quantization: quantization)
        var planned = problem
        planned.architectureOptions = architectures
        if (try? m.required("law").mapping(allowed: LawSection.allowedKeys).optional("moe")) != nil {
            planned.fittedRange = LawSection.jointFittedRange
        }
        if !architectures.isEmpty { planned.lossUncertainty = nil }
        return ScenarioSpec(file: root.file, problem: planned, frontier: frontier, lawSource: law.source, lawSamples: law.samples,
                            downscale: downscale)
    }

    static let trainingKeys = ["hardware", "mfu", "price_per_hour", "devices", "max_devices", "device_step", "max_days", "unique_tokens", "pue"]

    /// `devices` fixes the count; `max_devices` (with `device_step`, default 8) makes it a
    /// decision (`TrainingSetup.devicesUsed`).
    static func decodeTraining(_ v: YAMLValue, catalog: HardwareCatalog, objectives: YAMLValue?) throws(InputError) -> (setup: TrainingSetup, maxDays: Double?) {
        let m = try v.mapping(allowed: trainingKeys)
        let hwNode = try m.required("hardware")
        let hardware = try profile(hwNode, catalog)
        guard hardware.peakFLOPS(for: .bf16) != nil else { throw hwNode.error("hardware '\(hardware.name)' lists no bf16 or fp32 peak to train at") }
        var devices = try m.optional("devices")?.integer(in: 1...10_000_000) ?? 1024
        var choice: DeviceChoice?
        if let maxNode = m.optional("max_devices") {
            if m.optional("devices") != nil { throw maxNode.error("give either 'devices' (a fixed count) or 'max_devices' (the planner chooses), not both") }
            devices = try maxNode.integer(in: 1...10_000_000)
            let step = try m.optional("device_step")?.integer(in: 1...devices) ?? min(8, devices)
            let tradesTime = (try? objectives?.list())?.contains { (try? $0.string()) == Objective.trainTime.rawValue } ?? false
            choice = DeviceChoice(step: step, fastest: tradesTime)
        } else if let stepNode = m.optional("device_step") {
            throw stepNode.error("'device_step' needs 'max_devices' (it is the granularity of the chosen device count)")
        }
        let setup = TrainingSetup(
            hardware: hardware,
            mfu: try m.optional("mfu")?.number(in: 0.001...1),
            usdPerDeviceHour: try m.optional("price_per_hour")?.nonNegativeNumber(),
            devices: devices, deviceChoice: choice,
            uniqueTokens: try m.optional("unique_tokens")?.positiveNumber(),
            pue: try m.optional("pue")?.number(in: 1...3) ?? 1)
        return (setup, try m.optional("max_days")?.positiveNumber())
    }

    /// The hardware a node names: a profile of the catalog, or a profile file (`*.yaml`, a
    /// path relative to the scenario's directory, as `scaleplan calibrate -o` writes one).
    static func profile(_ node: YAMLValue, _ catalog: HardwareCatalog) throws(InputError) -> HardwareProfile {
        let name = try node.string()
        if let p = catalog.profiles.first(where: { $0.name == name }) { return p }
        guard HardwareCatalog.isProfilePath(name) else { throw node.error(catalog.unknownMessage(name)) }
        let path = name.hasPrefix("/") ? name : ((node.file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else {
            throw node.error("the hardware profile file '\(name)' does not exist (looked for \(path))")
        }
        return try HardwareProfile.load(path: path)
    }

    static let constraintKeys = ["loss_max", "cost_max", "compute_max", "energy_max", "train_days_max", "latency_max",
                                 "params_max", "params_min", "tokens_per_param_max", "tokens_per_param_min"]

    static func decodeConstraints(_ v: YAMLValue?, training maxDays: Double?) throws(InputError) -> PlanConstraints {
        var c = PlanConstraints(trainDaysMax: maxDays)
        guard let v else { return c }
        let m = try v.mapping(allowed: constraintKeys)
        c.lossMax = try m.optional("loss_max")?.positiveNumber()
        c.costMax = try m.optional("cost_max")?.positiveNumber()
        c.computeMax = try m.optional("compute_max")?.positiveNumber()
        c.energyMax = try m.optional("energy_max")?.positiveNumber()
        if let d = try m.optional("train_days_max")?.positiveNumber() { c.trainDaysMax = min(d, maxDays ?? d) }
        c.latencyMax = try m.optional("latency_max")?.positiveNumber()
        if let n = try m.optional("params_max")?.positiveNumber() { c.paramsMax = n }
        if let n = try m.optional("params_min")?.positiveNumber() { c.paramsMin = n }
        if let r = try m.optional("tokens_per_param_max")?.positiveNumber() { c.tokensPerParamMax = r }
        if let r = try m.optional("tokens_per_param_min")?.positiveNumber() { c.tokensPerParamMin = r }
        try checkRanges(c, at: v)
        return c
    }

    /// The `search:` box, and the allowed model sizes when `family` or `sizes` restricts them.
    static func decodeSearch(_ v: YAMLValue, into c: inout PlanConstraints) throws(InputError) -> [ModelChoice]? {
        let m = try v.mapping(allowed: ["params", "tokens_per_param", "family", "sizes", "architecture", "moe"])
        if let p = m.optional("params") {
            let r = try range(p)
            c.paramsMin = max(c.paramsMin, r.lowerBound)
            c.paramsMax = min(c.paramsMax, r.upperBound)
        }
        if let t = m.optional("tokens_per_param") {
            let r = try range(t)
            c.tokensPerParamMin = max(c.tokensPerParamMin, r.lowerBound)
            c.tokensPerParamMax = min(c.tokensPerParamMax, r.upperBound)
        }
        try checkRanges(c, at: v)
        return try decodeModelChoices(m, at: v, within: c)
    }

    static func decodeModelChoices(_ m: YAMLMapping, at v: YAMLValue, within c: PlanConstraints) throws(InputError) -> [ModelChoice]? {
        let familyNode = m.optional("family"), sizesNode = m.optional("sizes")
        if familyNode != nil, let sizesNode { throw sizesNode.error("give either 'family' or 'sizes', not both") }
        var choices: [ModelChoice]
        let node: YAMLValue
        if let familyNode {
            let family = ModelFamily.named(try familyNode.oneOf(ModelFamily.all.map(\.name)))!
            choices = family.members.map { ModelChoice(name: $0.name, params: $0.parameters, shape: $0.shape) }
            node = familyNode
        } else if let sizesNode {
            let items = try sizesNode.list()
            guard items.count <= 200 else { throw sizesNode.error("list at most 200 model sizes, found \(items.count)") }
            choices = []
            for item in items {
                // A published model by name (with its shape), or a size (derived shape).
                let choice: ModelChoice
                if let text = try? item.string(), Quantity.parse(text) == nil {
                    let entry = try catalogModel(item)
                    choice = ModelChoice(name: entry.name, params: entry.parameters, shape: entry.shape)
                } else {
                    choice = ModelChoice(name: try item.string(), params: try item.positiveNumber())
                }
                guard !choices.contains(where: { $0.params == choice.params }) else { throw item.error("model size \(choice.name) is listed twice") }
                choices.append(choice)
            }
            node = sizesNode
        } else {
            return nil
        }
        choices.sort { $0.params < $1.params }
        guard choices.contains(where: { $0.params >= c.paramsMin && $0.params <= c.paramsMax }) else {
            throw node.error("no listed model size lies in the model-size range [\(String(format: "%g", c.paramsMin)), \(String(format: "%g", c.paramsMax))]")
        }
        return choices
    }

    /// Refuses a mixture-of-experts catalogue model where a dense law prices the size.
    static func requireDense(_ entry: ModelCatalog.Entry, at v: YAMLValue) throws(InputError) {
        guard entry.shape.isMixtureOfExperts else { return }
        throw v.error("\(entry.name) is a mixture of experts; a dense law cannot price it (its loss depends on the active parameters and the experts)")
    }

    /// A published model named by `v` (`ModelCatalog`), with a suggestion when it is not one.
    static func catalogModel(_ v: YAMLValue) throws(InputError) -> ModelCatalog.Entry {
        let name = try v.string()
        guard let entry = ModelCatalog.named(name) else {
            throw v.error("no published model is called '\(name)'\(Suggestion.hint(name, in: ModelCatalog.names)); `scaleplan model list` shows them")
        }
        return entry
    }

    static func range(_ v: YAMLValue) throws(InputError) -> ClosedRange<Double> {
        let items = try v.list()
        guard items.count == 2 else { throw v.error("a range is a list of two numbers [low, high], found \(items.count) items") }
        let lo = try items[0].positiveNumber(), hi = try items[1].positiveNumber()
        guard lo < hi else { throw v.error("a range needs low < high, found [\(lo), \(hi)]") }
        return lo...hi
    }

    static func checkRanges(_ c: PlanConstraints, at v: YAMLValue) throws(InputError) {
        guard c.paramsMin < c.paramsMax else { throw v.error("the model-size range is empty: min \(c.paramsMin) is not below max \(c.paramsMax)") }
        guard c.tokensPerParamMin < c.tokensPerParamMax else {
            throw v.error("the tokens-per-parameter range is empty: min \(c.tokensPerParamMin) is not below max \(c.tokensPerParamMax)")
        }
    }
}
