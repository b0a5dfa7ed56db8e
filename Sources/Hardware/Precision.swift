/// Number formats for weights, math and the KV cache.
///
/// `bytesPerValue` is the storage width: fp32 4, bf16 2, fp8 1, int8 1, int4 0.5, and the two
/// block-scaled 4-bit floating-point formats with their scales counted: MXFP4 0.53125 (E2M1
/// values with one 8-bit E8M0 scale per 32, OCP Microscaling Formats Specification v1.0,
/// 2023: 4.25 bits per value; gpt-oss ships its experts in it) and NVFP4 0.5625 (E2M1 values
/// with one FP8 E4M3 scale per 16, NVIDIA Blackwell; 4.5 bits per value).
/// int4 is always weight-only (weights stored in 4 bits, math in bf16), so its effect is on
/// memory traffic and capacity, not on peak FLOP/s. A precision for which a profile lists no
/// peak is also run weight-only (see `HardwareProfile.peakFLOPS(for:)`): MXFP4 on Hopper, which
/// has no FP4 tensor cores, is run that way; B200 lists FP4 peaks.
public enum Precision: String, CaseIterable, Sendable, Codable, Comparable {
    case fp32, bf16, fp8, int8, int4, mxfp4, nvfp4

    /// Bytes per stored value, block scales included.
    public var bytesPerValue: Double {
        switch self {
        case .fp32: 4
        case .bf16: 2
        case .fp8, .int8: 1
        case .int4: 0.5
        case .mxfp4: 4.25 / 8
        case .nvfp4: 4.5 / 8
        }
    }

    /// Bits per stored weight value, scales not counted: fp32 32, bf16 16, fp8 and int8 8,
    /// int4, MXFP4 and NVFP4 4. The quantisation laws take the bit width alone (Kumar et al.
    /// 2024 fit integer rounding; the floating-point formats are treated as that many bits).
    public var bits: Double {
        switch self {
        case .mxfp4, .nvfp4: 4
        default: bytesPerValue * 8
        }
    }

    /// Whether the KV cache can be kept in this format (not in the 4-bit weight formats).
    public var storesKVCache: Bool { bits >= 8 }

    /// The KV-cache precision used with these weights unless overridden: fp8 weights keep an
    /// fp8 cache (as vLLM's `kv_cache_dtype=fp8` does), fp32 keeps fp32, everything else bf16.
    public var defaultKVCache: Precision {
        switch self {
        case .fp8: .fp8
        case .fp32: .fp32
        default: .bf16
        }
    }

    /// Precisions that can carry a compute peak in a profile (int4 cannot: weight-only; the
    /// FP4 formats only on hardware with FP4 tensor cores, such as B200).
    public static let computeFormats: [Precision] = [.fp32, .bf16, .fp8, .int8, .mxfp4, .nvfp4]

    public static func < (a: Precision, b: Precision) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
