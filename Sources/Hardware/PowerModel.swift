/// Board power as a function of utilisation.
///
/// `P(u) = P_idle + (P_TDP − P_idle) × min(1, k u)`: the linear server power model of
/// Fan, Weber & Barroso, "Power provisioning for a warehouse-sized computer" (ISCA 2007),
/// with utilisation u the achieved fraction of peak of the binding roofline resource
/// (`PhaseCost.utilisation`) and a power factor k ≥ 0 (`EfficiencyFactors`) because boards
/// reach their power limit well before 100% of peak. The result is clamped to [idle, TDP].
public enum PowerModel {
    /// Power of one device in watts at utilisation `u` ∈ [0, 1] with power factor `k`.
    public static func watts(profile: HardwareProfile, utilisation u: Double, powerFactor k: Double) -> Double {
        watts(idle: profile.idleW.value, tdp: profile.tdpW.value, utilisation: u, powerFactor: k)
    }

    /// Power in watts between `idle` and `tdp` (W) at utilisation `u` with power factor `k`.
    @inline(__always)
    public static func watts(idle: Double, tdp: Double, utilisation u: Double, powerFactor k: Double) -> Double {
        idle + (tdp - idle) * min(1, max(0, k * u))
    }

    /// Power of one device during a phase, W.
    public static func watts(profile: HardwareProfile, phase: PhaseCost) -> Double {
        watts(profile: profile, utilisation: phase.utilisation, powerFactor: phase.powerFactor)
    }
}
