import FileIO
import Hardware
import PlanModel
import ScalingLaws

/// `search: {architecture: [dense, moe], moe: {...}}`: the architectures a scenario compares.
///
///     law: {moe: ludziejewski2025}      # the joint law prices dense and MoE models alike
///     search:
///       architecture: [dense, moe]
///       moe:
///         experts: [8, 32]              # routed experts per layer (2-1024), a number or a list
///         active_experts: [1, 2]        # routed experts per token (default 1)
///         shared_experts: 0             # always-on experts (default 0)
///         mfu: 0.34                     # MoE training MFU (default: DeepSeek-V3's, TrainingEstimate)
///
/// Every combination of experts and active experts with more experts than active ones is one
/// MoE option (at most 16 in all); each is planned in active parameters with the joint law's
/// slice at E / k.
enum ArchitectureSection {
    static let maximumOptions = 16

    static func decode(_ search: YAMLValue, law: YAMLValue, modelChoices: [ModelChoice]?) throws(InputError) -> [ArchitectureOption] {
        try decode(try search.mapping(allowed: ["params", "tokens_per_param", "family", "sizes", "architecture", "moe"]), law: law,
                   modelChoices: modelChoices)
    }

    /// The architectures of a mapping that may hold `architecture` and `moe` (the `search` or
    /// the `downscale` section).
    static func decode(_ m: YAMLMapping, law: YAMLValue, modelChoices: [ModelChoice]?) throws(InputError) -> [ArchitectureOption] {
        guard let node = m.optional("architecture") else {
            if let moe = m.optional("moe") { throw moe.error("'moe' settings need 'architecture: [dense, moe]' (or [moe]) beside them") }
            return []
        }
        let items = try node.list()
        var kinds: [String] = []
        for item in items {
            let kind = try item.oneOf(["dense", "moe"])
            guard !kinds.contains(kind) else { throw item.error("architecture '\(kind)' is listed twice") }
            kinds.append(kind)
        }
        if modelChoices != nil { throw node.error("give either 'architecture' or 'family'/'sizes', not both: architectures are planned at any size") }
        let lawMapping = try law.mapping(allowed: LawSection.allowedKeys)
        guard let lawName = lawMapping.optional("moe") else {
            throw node.error("comparing architectures needs the joint law of dense and MoE models, law: {moe: ludziejewski2025}; a dense law says nothing about experts")
        }
        let joint = try LawSection.jointLaw(lawName)
        var options: [ArchitectureOption] = []
        func add(_ moe: MoEArchitecture?, mfu: Double?, at v: YAMLValue) throws(InputError) {
            do {
                options.append(try ArchitectureOption(moe: moe, jointLaw: joint, trainingMFU: mfu))
            } catch {
                throw v.error("the joint law has no usable slice for \(moe?.label ?? "dense"): \(error)")
            }
        }
        if kinds.contains("dense") { try add(nil, mfu: nil, at: node) }
        if kinds.contains("moe") {
            guard let settings = m.optional("moe") else { throw node.error("architecture 'moe' needs a 'moe' section: {experts: [8, 32], active_experts: [1]}") }
            let s = try settings.mapping(allowed: ["experts", "active_experts", "shared_experts", "mfu"])
            let experts = try integers(try s.required("experts"), in: 2...1024)
            let active = try s.optional("active_experts").map { v throws(InputError) in try integers(v, in: 1...1023) } ?? [1]
            let shared = try s.optional("shared_experts")?.integer(in: 0...8) ?? 0
            let mfu = try s.optional("mfu")?.number(in: 1e-3...1) ?? TrainingEstimate.mixtureOfExpertsMFU.value
            for e in experts {
                for k in active where k < e {
                    try add(MoEArchitecture(experts: e, activeExperts: k, sharedExperts: shared), mfu: mfu, at: settings)
                }
            }
            guard options.contains(where: { $0.moe != nil }) else {
                throw settings.error("no MoE option has more experts than active experts; each needs experts > active_experts")
            }
        }
        guard options.count <= maximumOptions else {
            throw node.error("compare at most \(maximumOptions) architectures, found \(options.count) (experts x active_experts combinations)")
        }
        return options
    }

    /// A whole number in `range`, or a non-empty list of distinct ones.
    static func integers(_ v: YAMLValue, in range: ClosedRange<Int>) throws(InputError) -> [Int] {
        guard let items = try? v.list() else { return [try v.integer(in: range)] }
        var out: [Int] = []
        for item in items {
            let x = try item.integer(in: range)
            guard !out.contains(x) else { throw item.error("\(x) is listed twice") }
            out.append(x)
        }
        return out
    }
}
