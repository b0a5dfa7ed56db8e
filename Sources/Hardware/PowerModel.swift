/// Board power as a function of achieved compute and memory-bandwidth utilisation.
///
/// Serving: `P = P_idle + (P_TDP − P_idle) × min(1, k_c u_c + k_b u_b)`, with `u_c` the
/// achieved fraction of peak FLOP/s and `u_b` the achieved fraction of peak memory bandwidth
/// over the whole pass (`PhaseCost.computeUtilisation`, `bandwidthUtilisation`: fixed
/// overheads and communication count as time with neither busy). It is the linear
/// utilisation model of Fan, Weber & Barroso, "Power provisioning for a warehouse-sized
/// computer" (ISCA 2007), with one activity term per resource as in counter-based GPU power
/// models (Isci & Martonosi, MICRO 2003; Hong & Kim, "An integrated GPU power and performance
/// model", ISCA 2010: dynamic power is a sum over units of access rate × energy per access).
/// Decode at small batch keeps HBM busy and the tensor cores nearly idle, so it draws
/// `idle + span × k_b u_b`, well below TDP; large batches add compute activity and approach
/// TDP. The factors are fitted per profile on measured board power (`Calibration`).
///
/// Training: `P = P_idle + (P_TDP − P_idle) × min(1, k_t × MFU)` (`trainingWatts`), as no
/// byte count of a training step is modelled. Results are clamped to [idle, TDP].
public enum PowerModel {
    /// Serving power in watts between `idle` and `tdp` (W) at compute utilisation `uc` and
    /// bandwidth utilisation `ub` (fractions of peak) with factors `kc` and `kb`.
    @inline(__always)
    public static func watts(idle: Double, tdp: Double, computeUtilisation uc: Double, bandwidthUtilisation ub: Double,
                             computeFactor kc: Double, bandwidthFactor kb: Double) -> Double {
        idle + (tdp - idle) * min(1, max(0, kc * uc + kb * ub))
    }

    /// Power of one device of `profile` during a phase, W.
    public static func watts(profile: HardwareProfile, phase: PhaseCost) -> Double {
        watts(idle: profile.idleW.value, tdp: profile.tdpW.value, phase: phase, seconds: phase.seconds)
    }

    /// Power in watts between `idle` and `tdp` of a phase's work done in `t` seconds (its own
    /// time, or a measured one), with the phase's factors.
    @inline(__always)
    public static func watts(idle: Double, tdp: Double, phase: PhaseCost, seconds t: Double) -> Double {
        watts(idle: idle, tdp: tdp, computeUtilisation: phase.computeUtilisation(over: t),
              bandwidthUtilisation: phase.bandwidthUtilisation(over: t), computeFactor: phase.computePowerFactor,
              bandwidthFactor: phase.bandwidthPowerFactor)
    }

    /// Power of one device of `profile` running at compute utilisation `u` with no modelled
    /// memory traffic (Sardana et al.'s fixed fractions of peak), W: the compute term only.
    public static func watts(profile: HardwareProfile, computeUtilisation u: Double) -> Double {
        watts(idle: profile.idleW.value, tdp: profile.tdpW.value, computeUtilisation: u, bandwidthUtilisation: 0,
              computeFactor: profile.efficiency.computePowerFactor.value, bandwidthFactor: 0)
    }

    /// Training power of one device of `profile` at model FLOP utilisation `mfu`, W.
    public static func trainingWatts(profile: HardwareProfile, mfu: Double) -> Double {
        trainingWatts(idle: profile.idleW.value, tdp: profile.tdpW.value, mfu: mfu,
                      factor: profile.efficiency.trainingPowerFactor.value)
    }

    /// Training power in watts between `idle` and `tdp` at MFU `mfu` with factor `k_t`.
    @inline(__always)
    public static func trainingWatts(idle: Double, tdp: Double, mfu: Double, factor kt: Double) -> Double {
        idle + (tdp - idle) * min(1, max(0, kt * mfu))
    }
}
