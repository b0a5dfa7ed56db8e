import ExperimentDesign
import FileIO
import Foundation
import Hardware
import Numerics

extension HardwareProfile {
    /// Top-level keys of a profile file.
    public static let yamlKeys = ["name", "display_name", "kind", "vendor", "peak_tflops", "memory", "interconnect",
                                  "power", "price", "efficiency"]

    /// The values each figure may take, in its file unit: roughly a thousand times beyond any
    /// accelerator made in both directions, so a unit slip (GB/s written as TB/s) or a stray
    /// exponent is an error here instead of an infinite latency later.
    public static let figureRanges: [String: ClosedRange<Double>] = [
        "peak_tflops": 1e-3...1e6, "memory.capacity_gb": 1e-3...1e6, "memory.reported_capacity_gb": 1e-3...1e6, "memory.bandwidth_tb_per_s": 1e-4...1e3,
        "interconnect.bandwidth_gb_per_s": 1e-3...1e6, "interconnect.latency_us": 0...1e6,
        "power.tdp_w": 0.1...1e5, "power.idle_w": 0...1e5, "price.usd_per_hour": 0...1e4,
    ]

    /// Reads a profile file (format in hardware-profiles/README.md).
    ///
    /// - Throws: `InputError` at the offending node for unknown keys, a figure without a
    ///   `source`, a missing figure, a non-positive number, idle power above TDP, an efficiency
    ///   factor out of range, or (with `requireNameMatchesFile`, as in a profile directory) a
    ///   name that differs from the file name.
    public static func load(path: String, requireNameMatchesFile: Bool = false) throws(InputError) -> HardwareProfile {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try parse(text: try InputFile.text(at: path), file: path, requireNameMatches: requireNameMatchesFile ? stem : nil)
    }

    /// Reads a profile from its text; `file` labels errors. With `requireNameMatches`, the
    /// profile's name must be that (the file's stem).
    public static func parse(text: String, file: String, requireNameMatches stem: String? = nil) throws(InputError) -> HardwareProfile {
        let root = try YAMLValue.parse(text, file: file)
        let profile = try parse(root)
        if let stem, profile.name != stem, let node = try root.mapping(allowed: yamlKeys).optional("name") {
            throw node.error("the profile name '\(profile.name)' must match the file name '\(stem)'")
        }
        return profile
    }

    /// Builds a profile from a parsed YAML document.
    public static func parse(_ root: YAMLValue) throws(InputError) -> HardwareProfile {
        let m = try root.mapping(allowed: yamlKeys)
        let nameNode = try m.required("name")
        let name = try nameNode.string()
        guard name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }), name.first?.isLetter == true else {
            throw nameNode.error("'name' must be lower-case letters, digits and '-', starting with a letter, found '\(name)'")
        }
        let kindName = try m.required("kind").oneOf(Kind.allCases.map(\.rawValue))

        let peaksNode = try m.required("peak_tflops")
        let peaks = try peaksNode.mapping(allowed: Precision.computeFormats.map(\.rawValue))
        var peak: [Precision: SourcedValue] = [:]
        for key in peaks.keys {
            guard let p = Precision(rawValue: key), let node = peaks.optional(key) else { continue }
            peak[p] = try figure(node, in: figureRanges["peak_tflops"])
        }
        guard peak[.bf16] != nil || peak[.fp32] != nil else {
            throw peaksNode.error("'peak_tflops' must list at least bf16 or fp32")
        }

        let memory = try m.required("memory").mapping(allowed: ["capacity_gb", "reported_capacity_gb", "bandwidth_tb_per_s"])
        let capacity = try figure(memory.required("capacity_gb"), in: figureRanges["memory.capacity_gb"])
        var reported: SourcedValue?
        if let node = memory.optional("reported_capacity_gb") {
            let r = try figure(node, in: figureRanges["memory.reported_capacity_gb"])
            // A reported total differs from the datasheet by GB against GiB (7.4%) and reserved
            // memory; more than 20% is a typo or another board.
            guard abs(r.value / capacity.value - 1) <= 0.2 else {
                throw node.error("'memory.reported_capacity_gb' (\(r.value) GB) must be within 20% of 'memory.capacity_gb' (\(capacity.value) GB)")
            }
            reported = r
        }
        let link = try m.required("interconnect").mapping(allowed: ["name", "bandwidth_gb_per_s", "latency_us"])
        let power = try m.required("power").mapping(allowed: ["tdp_w", "idle_w"])
        let price = try m.required("price").mapping(allowed: ["usd_per_hour", "basis", "reserved"])

        let tdp = try figure(power.required("tdp_w"), in: figureRanges["power.tdp_w"])
        let idleNode = try power.required("idle_w")
        let idle = try figure(idleNode, in: figureRanges["power.idle_w"])
        guard idle.value < tdp.value else {
            throw idleNode.error("'power.idle_w' (\(idle.value) W) must be below 'power.tdp_w' (\(tdp.value) W)")
        }
        var efficiency = EfficiencyFactors.defaults
        if let e = m.optional("efficiency") { try parseEfficiency(e, into: &efficiency) }

        return HardwareProfile(
            name: name, displayName: try m.required("display_name").string(),
            kind: Kind(rawValue: kindName)!, vendor: try m.required("vendor").string(),
            peakTFLOPS: peak,
            memoryGB: capacity,
            memoryBandwidthTBps: try figure(memory.required("bandwidth_tb_per_s"), in: figureRanges["memory.bandwidth_tb_per_s"]),
            interconnectName: try link.required("name").string(),
            interconnectGBps: try figure(link.required("bandwidth_gb_per_s"), in: figureRanges["interconnect.bandwidth_gb_per_s"]),
            interconnectLatencyUS: try figure(link.required("latency_us"), in: figureRanges["interconnect.latency_us"]),
            tdpW: tdp, idleW: idle,
            usdPerHour: try figure(price.required("usd_per_hour"), in: figureRanges["price.usd_per_hour"]),
            priceBasis: try price.optional("basis").map { node throws(InputError) in try priceBasis(node) },
            efficiency: efficiency, reportedMemoryGB: reported,
            reservedDiscounts: try price.optional("reserved").map { node throws(InputError) in try reservedDiscounts(node) } ?? [:])
    }

    /// The longest term a reservation may have, in months, and the most a discount may be (a
    /// reservation always costs something); scenarios use the same limits.
    public static let reservedTermRange = 1...120
    public static let reservedDiscountRange = 0.0...0.95

    /// A `price.reserved` list: `{term_months, discount: {value, source}}` entries, one per term.
    static func reservedDiscounts(_ node: YAMLValue) throws(InputError) -> [Int: SourcedValue] {
        var out: [Int: SourcedValue] = [:]
        let items = try node.list(allowEmpty: true)
        guard !items.isEmpty else { throw node.error("'price.reserved' lists no term; leave it out when the profile states no reserved price") }
        for item in items {
            let entry = try item.mapping(allowed: ["term_months", "discount"])
            let termNode = try entry.required("term_months")
            let term = try termNode.integer(in: reservedTermRange)
            guard out[term] == nil else { throw termNode.error("'price.reserved' lists the \(term)-month term twice") }
            out[term] = try figure(entry.required("discount"), in: reservedDiscountRange)
        }
        return out
    }

    /// The most characters a `price.basis` may have.
    public static let priceBasisMaxLength = 200

    /// A `price.basis` string: provider, purchase option, region and date, at most
    /// `priceBasisMaxLength` characters.
    static func priceBasis(_ node: YAMLValue) throws(InputError) -> String {
        let text = try node.string().trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count >= 3, text.count <= priceBasisMaxLength else {
            throw node.error("'price.basis' must name the provider, purchase option and date in 3 to \(priceBasisMaxLength) characters, found \(text.count)")
        }
        return text
    }

    /// Reads an `efficiency:` mapping (keys `EfficiencyFactors.keys`, each `{value, source}`)
    /// over `factors`; scenarios use the same block to override a profile's factors.
    public static func parseEfficiency(_ value: YAMLValue, into factors: inout EfficiencyFactors) throws(InputError) {
        let e = try value.mapping(allowed: EfficiencyFactors.keys)
        for key in e.keys {
            guard let node = e.optional(key) else { continue }
            let range = EfficiencyFactors.range(of: key)
            factors.set(key, try figure(node, in: range))
        }
    }

    /// A `{value: number, source: "text"}` figure; the value must be positive (or ≥ 0 with
    /// `allowZero`) or lie in `range`.
    public static func figure(_ node: YAMLValue, allowZero: Bool = false,
                              in range: ClosedRange<Double>? = nil) throws(InputError) -> SourcedValue {
        let m = try node.mapping(allowed: ["value", "source"])
        let valueNode = try m.required("value")
        let value: Double
        if let range {
            value = try valueNode.number(in: range)
        } else {
            value = allowZero ? try valueNode.nonNegativeNumber() : try valueNode.positiveNumber()
        }
        let sourceNode = try m.required("source")
        let source = try sourceNode.string().trimmingCharacters(in: .whitespacesAndNewlines)
        guard source.count >= 3 else {
            throw sourceNode.error("'\(sourceNode.path)' must cite a document or say 'estimate: reason', found '\(source)'")
        }
        return SourcedValue(value, source: source)
    }
}
