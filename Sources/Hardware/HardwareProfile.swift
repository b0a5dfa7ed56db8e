/// One accelerator: its peaks, memory, interconnect, power, price and efficiency factors.
///
/// Figures are stored in the units the profile files use (TFLOP/s, GB, TB/s, GB/s, W,
/// USD per hour), each with its source; the computed properties convert to SI units
/// (FLOP/s, bytes, bytes/s). GB and TB are decimal (1 GB = 1e9 bytes), as in datasheets.
public struct HardwareProfile: Equatable, Sendable {
    /// What kind of device this is.
    public enum Kind: String, CaseIterable, Sendable {
        /// A datacenter or workstation GPU.
        case gpu
        /// A Google TPU chip.
        case tpu
        /// A server CPU socket.
        case cpu
        /// A system-on-chip with unified memory (edge boards, laptops).
        case soc
    }

    /// Short identifier used on the command line and in scenarios ("h100-sxm").
    public var name: String
    /// Human-readable name ("NVIDIA H100 SXM5 80GB").
    public var displayName: String
    public var kind: Kind
    public var vendor: String
    /// Dense peak TFLOP/s (TOP/s for int8) per math precision, without sparsity.
    public var peakTFLOPS: [Precision: SourcedValue]
    /// Device memory capacity as the datasheet states it, GB.
    public var memoryGB: SourcedValue
    /// Device memory the driver reports as the total (nvidia-smi, `cudaMemGetInfo`), GB, when
    /// known: "80 GB" boards report 80 GiB or near it (H100 SXM 81,559 MiB = 85.52 GB). Serving
    /// runtimes size their caches as a fraction of this total (vLLM's
    /// `gpu_memory_utilization`), so memory budgets use it (`memoryBytes`) when it is given.
    public var reportedMemoryGB: SourcedValue?
    /// Peak memory bandwidth, TB/s.
    public var memoryBandwidthTBps: SourcedValue
    /// Name of the link used for tensor parallelism ("NVLink 4", "PCIe Gen4 x16").
    public var interconnectName: String
    /// Per-device, per-direction bandwidth of that link, GB/s.
    public var interconnectGBps: SourcedValue
    /// Latency of one small collective (all-reduce) over that link, microseconds.
    public var interconnectLatencyUS: SourcedValue
    /// Thermal design power (maximum board power), W.
    public var tdpW: SourcedValue
    /// Power drawn when powered on but idle, W.
    public var idleW: SourcedValue
    /// On-demand list price per device-hour, USD.
    public var usdPerHour: SourcedValue
    /// The pricing basis `usdPerHour` belongs to: provider, purchase option, region and the
    /// date the price was read ("AWS on-demand, us-east-1, 2026-11"); nil when unstated.
    /// Prices compare fairly only within one basis (hardware-profiles/README.md).
    public var priceBasis: String?
    /// Fraction off `usdPerHour` for devices committed for a term, by term length in months
    /// (1-120; clouds sell 12 and 36), each with its source; empty when the profile states
    /// none. A scenario's `purchasing.reserved` without a `discount` reads it from here.
    public var reservedDiscounts: [Int: SourcedValue]
    /// Achieved fractions of peak and the power model's factors.
    public var efficiency: EfficiencyFactors

    public init(
        name: String, displayName: String, kind: Kind, vendor: String,
        peakTFLOPS: [Precision: SourcedValue], memoryGB: SourcedValue, memoryBandwidthTBps: SourcedValue,
        interconnectName: String, interconnectGBps: SourcedValue, interconnectLatencyUS: SourcedValue,
        tdpW: SourcedValue, idleW: SourcedValue, usdPerHour: SourcedValue, priceBasis: String? = nil,
        efficiency: EfficiencyFactors = .defaults, reportedMemoryGB: SourcedValue? = nil,
        reservedDiscounts: [Int: SourcedValue] = [:]
    ) {
        self.name = name
        self.displayName = displayName
        self.kind = kind
        self.vendor = vendor
        self.peakTFLOPS = peakTFLOPS
        self.memoryGB = memoryGB
        self.reportedMemoryGB = reportedMemoryGB
        self.memoryBandwidthTBps = memoryBandwidthTBps
        self.interconnectName = interconnectName
        self.interconnectGBps = interconnectGBps
        self.interconnectLatencyUS = interconnectLatencyUS
        self.tdpW = tdpW
        self.idleW = idleW
        self.usdPerHour = usdPerHour
        self.priceBasis = priceBasis
        self.reservedDiscounts = reservedDiscounts
        self.efficiency = efficiency
    }

    /// Memory capacity in bytes that budgets use: the reported total when given, else the
    /// datasheet capacity.
    public var memoryBytes: Double { (reportedMemoryGB ?? memoryGB).value * 1e9 }
    /// Peak memory bandwidth in bytes/s.
    public var memoryBandwidth: Double { memoryBandwidthTBps.value * 1e12 }
    /// Interconnect bandwidth in bytes/s per direction.
    public var interconnectBandwidth: Double { interconnectGBps.value * 1e9 }
    /// Collective latency in seconds.
    public var interconnectLatency: Double { interconnectLatencyUS.value * 1e-6 }

    /// The precision whose peak the math runs at when weights are stored in `precision`:
    /// the precision itself when the profile lists a peak for it, otherwise bf16, then fp32
    /// (weight-only: narrow weights are widened before the matrix multiply).
    /// Nil when the profile lists none of these.
    public func mathPrecision(for precision: Precision) -> Precision? {
        if peakTFLOPS[precision] != nil { return precision }
        if peakTFLOPS[.bf16] != nil { return .bf16 }
        return peakTFLOPS[.fp32] != nil ? .fp32 : nil
    }

    /// Dense peak FLOP/s for weights stored in `precision` (see `mathPrecision(for:)`).
    public func peakFLOPS(for precision: Precision) -> Double? {
        // The same order as mathPrecision(for:), without its lookups twice (the planner's
        // innermost loop asks this for every probe).
        (peakTFLOPS[precision] ?? peakTFLOPS[.bf16] ?? peakTFLOPS[.fp32]).map { $0.value * 1e12 }
    }

    /// Every figure with a label and unit, in a fixed order, for listings and checks.
    public var figures: [(label: String, unit: String, figure: SourcedValue)] {
        var out: [(String, String, SourcedValue)] = Precision.computeFormats.compactMap { p in
            peakTFLOPS[p].map { ("peak_\(p.rawValue)", p == .int8 ? "TOP/s" : "TFLOP/s", $0) }
        }
        out += [
            ("memory", "GB", memoryGB),
        ]
        if let reportedMemoryGB { out.append(("reported_memory", "GB", reportedMemoryGB)) }
        out += [
            ("memory_bandwidth", "TB/s", memoryBandwidthTBps), ("interconnect_bandwidth", "GB/s", interconnectGBps), ("interconnect_latency", "us", interconnectLatencyUS),
            ("tdp", "W", tdpW), ("idle_power", "W", idleW), ("price", "USD/h", usdPerHour),
        ]
        out += reservedDiscounts.keys.sorted().map { ("reserved_\($0)_months_discount", "fraction", reservedDiscounts[$0]!) }
        return out + efficiency.figures.map { ($0.key, $0.unit, $0.figure) }
    }
}
