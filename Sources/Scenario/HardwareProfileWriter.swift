import ExperimentDesign
import FileIO
import Foundation
import Hardware
import Numerics
import ValueTree

extension HardwareProfile {
    /// The profile as a profile file that `HardwareProfile.parse` reads back unchanged
    /// (every figure with its source; all efficiency factors written out).
    /// `comment` lines are written first, each prefixed with "# ".
    public func yamlText(comment: [String] = []) -> String {
        var out = comment.map { "# \($0)\n" }.joined()
        // Double-quoted YAML scalars: the JSON string escaping every output uses.
        func q(_ s: String) -> String { ReportValue.quoted(s) }
        func n(_ v: Double) -> String {
            v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
        }
        func fig(_ key: String, _ f: SourcedValue, indent: String = "  ") {
            out += "\(indent)\(key): {value: \(n(f.value)), source: \(q(f.source))}\n"
        }
        out += "name: \(name)\ndisplay_name: \(q(displayName))\nkind: \(kind.rawValue)\nvendor: \(q(vendor))\n"
        out += "peak_tflops:\n"
        for p in Precision.computeFormats { if let f = peakTFLOPS[p] { fig(p.rawValue, f) } }
        out += "memory:\n"
        fig("capacity_gb", memoryGB)
        if let reportedMemoryGB { fig("reported_capacity_gb", reportedMemoryGB) }
        fig("bandwidth_tb_per_s", memoryBandwidthTBps)
        out += "interconnect:\n  name: \(q(interconnectName))\n"
        fig("bandwidth_gb_per_s", interconnectGBps)
        fig("latency_us", interconnectLatencyUS)
        out += "power:\n"
        fig("tdp_w", tdpW)
        fig("idle_w", idleW)
        out += "price:\n"
        fig("usd_per_hour", usdPerHour)
        if let priceBasis { out += "  basis: \(q(priceBasis))\n" }
        if !reservedDiscounts.isEmpty {
            out += "  reserved:\n"
            for term in reservedDiscounts.keys.sorted() {
                let f = reservedDiscounts[term]!
                out += "    - {term_months: \(term), discount: {value: \(n(f.value)), source: \(q(f.source))}}\n"
            }
        }
        out += "efficiency:\n"
        for item in efficiency.figures { fig(item.key, item.figure) }
        return out
    }
}
