/// Number formats for weights, math and the KV cache.
///
/// `bytesPerValue` is the storage width: fp32 4, bf16 2, fp8 1, int8 1, int4 0.5.
/// int4 is always weight-only (weights stored in 4 bits, math in bf16), so its effect is on
/// memory traffic and capacity, not on peak FLOP/s. A precision for which a profile lists no
/// peak is also run weight-only (see `HardwareProfile.peakFLOPS(for:)`).
public enum Precision: String, CaseIterable, Sendable, Codable, Comparable {
    case fp32, bf16, fp8, int8, int4

    /// Bytes per stored value.
    public var bytesPerValue: Double {
        switch self {
        case .fp32: 4
        case .bf16: 2
        case .fp8, .int8: 1
        case .int4: 0.5
        }
    }

    /// Bits per stored weight: fp32 32, bf16 16, fp8 and int8 8, int4 4. The quantisation laws
    /// take the bit width alone (Kumar et al. 2024 fit integer rounding; fp8 is treated as 8 bits).
    public var bits: Double { bytesPerValue * 8 }

    /// The KV-cache precision used with these weights unless overridden: fp8 weights keep an
    /// fp8 cache (as vLLM's `kv_cache_dtype=fp8` does), fp32 keeps fp32, everything else bf16.
    public var defaultKVCache: Precision {
        switch self {
        case .fp8: .fp8
        case .fp32: .fp32
        default: .bf16
        }
    }

    /// Precisions that can carry a compute peak in a profile (int4 cannot: weight-only).
    public static let computeFormats: [Precision] = [.fp32, .bf16, .fp8, .int8]

    public static func < (a: Precision, b: Precision) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
