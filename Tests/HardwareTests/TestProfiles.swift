import FileIO
import Hardware
import Scenario
import TestSupport

/// Profiles for tests: the shipped ones, and a synthetic one with round numbers.
enum TestProfiles {
    static let directory = Fixtures.path("hardware-profiles")

    static func shipped(_ name: String) throws -> HardwareProfile {
        try HardwareProfile.load(path: directory + "/" + name + ".yaml")
    }

    /// A shipped profile with its calibrated `efficiency:` block replaced by
    /// `EfficiencyFactors.defaults`: for tests of the model's structure that must not move
    /// when a calibration does.
    static func uncalibrated(_ name: String) throws -> HardwareProfile {
        var p = try shipped(name)
        p.efficiency = EfficiencyFactors.defaults
        return p
    }

    /// 100 TFLOP/s bf16, 1 TB/s, 10 GB, 100 GB/s link, idle 100 W, TDP 500 W, $2/h,
    /// every efficiency 1, no overheads, every power factor 1.
    static func synthetic(memoryGB: Double = 10) -> HardwareProfile {
        func v(_ x: Double) -> SourcedValue { SourcedValue(x, source: "test") }
        var e = EfficiencyFactors.defaults
        for key in ["prefill_compute", "prefill_bandwidth", "decode_compute", "decode_bandwidth",
                    "compute_power_factor", "bandwidth_power_factor", "training_power_factor"] { e.set(key, v(1)) }
        e.set("prefill_overhead_ms", v(0))
        e.set("decode_overhead_ms", v(0))
        return HardwareProfile(
            name: "synthetic", displayName: "Synthetic", kind: .gpu, vendor: "test", peakTFLOPS: [.bf16: v(100)],
            memoryGB: v(memoryGB), memoryBandwidthTBps: v(1), interconnectName: "link", interconnectGBps: v(100),
            interconnectLatencyUS: v(10), tdpW: v(500), idleW: v(100), usdPerHour: v(2), efficiency: e)
    }

    /// The shipped h100-sxm profile with the given factors (`EfficiencyFactors` keys) as the
    /// "truth" that synthetic measurements are generated from.
    static func h100(truth factors: KeyValuePairs<String, Double>) throws -> HardwareProfile {
        var p = try shipped("h100-sxm")
        for (key, value) in factors { precondition(p.efficiency.set(key, SourcedValue(value, source: "truth")), "no factor \(key)") }
        return p
    }

    /// A small explicit shape: 2 layers, d 256, 4 heads, 2 KV heads (head dim 64), V 1000, f 512.
    /// Tied embeddings, so every parameter is multiplied (`matmulFraction` 1) and the hand
    /// computations stay 2N FLOPs and N × bytes per pass.
    static let tinyShape = ModelShape(layers: 2, hidden: 256, heads: 4, kvHeads: 2, vocabulary: 1000, intermediate: 512, tiedEmbeddings: true)

    static let llama8B = ModelShape(layers: 32, hidden: 4096, heads: 32, kvHeads: 8, vocabulary: 128_256, intermediate: 14_336)
}
