/// Achieved fractions of peak per phase, fixed per-step overheads and power factors.
///
/// The roofline time of a phase is `max(FLOPs / (compute × peak), bytes / (bandwidth × BW))`
/// plus the phase's fixed overhead. Serving power is
/// `P = idle + (TDP − idle) × min(1, k_c u_c + k_b u_b)`, with `u_c` and `u_b` the achieved
/// compute and memory-bandwidth utilisations of the pass (see `PowerModel`); training power is
/// `idle + (TDP − idle) × min(1, k_t × MFU)`. All factors can be calibrated from measurements
/// (`Calibration`) and overridden per profile and per scenario.
public struct EfficiencyFactors: Equatable, Sendable {
    /// Achieved fraction of peak FLOP/s in prefill, (0, 1].
    public var prefillCompute: SourcedValue
    /// Achieved fraction of peak memory bandwidth in prefill, (0, 1].
    public var prefillBandwidth: SourcedValue
    /// Achieved fraction of peak FLOP/s in decode, (0, 1].
    public var decodeCompute: SourcedValue
    /// Achieved fraction of peak memory bandwidth in decode, (0, 1].
    public var decodeBandwidth: SourcedValue
    /// Fixed time added to each prefill forward pass, ms (kernel launches, scheduling).
    public var prefillOverheadMS: SourcedValue
    /// Fixed time added to each decode step, ms.
    public var decodeOverheadMS: SourcedValue
    /// Serving power factor k_c of achieved compute utilisation (FLOP/s over peak): the
    /// dynamic power fraction is min(1, k_c u_c + k_b u_b).
    public var computePowerFactor: SourcedValue
    /// Serving power factor k_b of achieved memory-bandwidth utilisation (bytes/s over peak).
    public var bandwidthPowerFactor: SourcedValue
    /// Training power factor k_t of MFU: the dynamic power fraction is min(1, k_t × MFU).
    public var trainingPowerFactor: SourcedValue
    /// Model FLOP utilisation of training (6ND FLOPs / (devices × peak bf16 × time)).
    public var trainingMFU: SourcedValue

    public init(
        prefillCompute: SourcedValue, prefillBandwidth: SourcedValue, decodeCompute: SourcedValue,
        decodeBandwidth: SourcedValue, prefillOverheadMS: SourcedValue, decodeOverheadMS: SourcedValue,
        computePowerFactor: SourcedValue, bandwidthPowerFactor: SourcedValue, trainingPowerFactor: SourcedValue,
        trainingMFU: SourcedValue
    ) {
        self.prefillCompute = prefillCompute
        self.prefillBandwidth = prefillBandwidth
        self.decodeCompute = decodeCompute
        self.decodeBandwidth = decodeBandwidth
        self.prefillOverheadMS = prefillOverheadMS
        self.decodeOverheadMS = decodeOverheadMS
        self.computePowerFactor = computePowerFactor
        self.bandwidthPowerFactor = bandwidthPowerFactor
        self.trainingPowerFactor = trainingPowerFactor
        self.trainingMFU = trainingMFU
    }

    /// Defaults for datacenter GPUs running a modern serving stack (vLLM-class), each with
    /// its reasoning. They are deliberately below the best kernel benchmarks: whole-system
    /// serving loses time to scheduling, sampling and non-GEMM kernels.
    public static let defaults = EfficiencyFactors(
        prefillCompute: SourcedValue(0.55, source: "estimate: prefill GEMMs in serving stacks reach about 50-60% of dense peak (comparable to the 38-55% MFU of large training runs, ORACLES.md, with less communication)"),
        prefillBandwidth: SourcedValue(0.6, source: "estimate: same achieved bandwidth as decode"),
        decodeCompute: SourcedValue(0.5, source: "estimate: decode GEMMs at large batch are skinny and reach less of peak than prefill"),
        decodeBandwidth: SourcedValue(0.6, source: "estimate: streaming benchmarks reach ~90% of peak HBM bandwidth, but decode kernels plus attention and scheduling gaps give ~55-70% end to end; chosen so Llama-3.1-8B on H100 at batch 64 lands in ML.ENERGY's 0.12-0.20 J/token (ORACLES.md)"),
        prefillOverheadMS: SourcedValue(0, source: "roofline default: no fixed overhead until calibrated"),
        decodeOverheadMS: SourcedValue(0, source: "roofline default: no fixed overhead until calibrated"),
        computePowerFactor: SourcedValue(1.5, source: "estimate: boards reach their power limit at about two thirds of peak FLOP/s (H100 SXM draws ~700 W in dense GEMMs near 65% of peak); no public board-power measurement committed here runs compute-bound long enough to fit it"),
        bandwidthPowerFactor: SourcedValue(1.5, source: "estimate: as compute (memory-bound kernels keep HBM and the SMs busy); the boards with measured power fit lower (H100 SXM 0.92, B200 0.75 on InferenceX board power, power-inferencex.csv), while ORACLES.md's A100 figure (about 4 J per output token for a 7B model at batch 1) needs about 1.4 on the A100, so no fit is carried to other boards"),
        trainingPowerFactor: SourcedValue(1.5, source: "estimate: boards reach their power limit at about two thirds of peak utilisation (H100 SXM draws ~700 W in dense GEMMs near 65% of peak)"),
        trainingMFU: SourcedValue(0.45, source: "ORACLES.md: training MFU of large runs is usually 38-55%; 0.45 is the middle")
    )

    /// The factors with a key, unit and value, in a fixed order (profile-file key names).
    public var figures: [(key: String, unit: String, figure: SourcedValue)] {
        [
            ("prefill_compute", "fraction", prefillCompute), ("prefill_bandwidth", "fraction", prefillBandwidth),
            ("decode_compute", "fraction", decodeCompute), ("decode_bandwidth", "fraction", decodeBandwidth),
            ("prefill_overhead_ms", "ms", prefillOverheadMS), ("decode_overhead_ms", "ms", decodeOverheadMS),
            ("compute_power_factor", "factor", computePowerFactor), ("bandwidth_power_factor", "factor", bandwidthPowerFactor),
            ("training_power_factor", "factor", trainingPowerFactor),
            ("training_mfu", "fraction", trainingMFU),
        ]
    }

    /// The profile-file keys of the factors, in order.
    public static let keys: [String] = defaults.figures.map(\.key)

    /// Replaces the factor named by `key` (one of `keys`); returns false for an unknown key.
    @discardableResult
    public mutating func set(_ key: String, _ value: SourcedValue) -> Bool {
        switch key {
        case "prefill_compute": prefillCompute = value
        case "prefill_bandwidth": prefillBandwidth = value
        case "decode_compute": decodeCompute = value
        case "decode_bandwidth": decodeBandwidth = value
        case "prefill_overhead_ms": prefillOverheadMS = value
        case "decode_overhead_ms": decodeOverheadMS = value
        case "compute_power_factor": computePowerFactor = value
        case "bandwidth_power_factor": bandwidthPowerFactor = value
        case "training_power_factor": trainingPowerFactor = value
        case "training_mfu": trainingMFU = value
        default: return false
        }
        return true
    }

    /// The keys of the factors left at `defaults` (the same value and source): neither stated
    /// by the profile nor fitted by `calibrate`, in `figures` order.
    public var defaultedKeys: [String] {
        zip(figures, Self.defaults.figures).compactMap { own, generic in own.figure == generic.figure ? own.key : nil }
    }

    /// A serving pass, for the factors its time leans on (`timeKeys`).
    public enum ServingPass: Sendable {
        /// A static prefill pass (`Roofline.prefill`).
        case prefill
        /// A static decode step (`Roofline.decodeStep`).
        case decode
        /// A continuous-batching step of decodes and chunked prefill (`Roofline.mixedStep`).
        case mixed
    }

    /// The time factors a pass leans on at its bound: prefill compute or bandwidth for a
    /// prefill pass, decode compute or bandwidth for a decode step; a mixed step reads memory
    /// at the decode bandwidth and adds its decode and prefill FLOPs at their own compute
    /// efficiencies, so it leans on decode bandwidth when memory-bound and on both compute
    /// factors when compute-bound.
    public static func timeKeys(_ pass: ServingPass, bound: Bound) -> [String] {
        switch (pass, bound) {
        case (.prefill, .compute): ["prefill_compute"]
        case (.prefill, .memory): ["prefill_bandwidth"]
        case (.decode, .compute): ["decode_compute"]
        case (.decode, .memory), (.mixed, .memory): ["decode_bandwidth"]
        case (.mixed, .compute): ["prefill_compute", "decode_compute"]
        }
    }

    /// The valid range of the factor named by `key`.
    public static func range(of key: String) -> ClosedRange<Double> {
        switch key {
        case "prefill_overhead_ms", "decode_overhead_ms": 0...10_000
        case "compute_power_factor", "bandwidth_power_factor": 0...10
        case "training_power_factor": 0.01...100
        default: 0.001...1
        }
    }
}
