import Foundation
import Hardware
import Scenario
import Testing
import TestSupport

/// The shipped GPU profiles' `efficiency:` blocks are what `Calibration` fits on the committed
/// public measurements (bench/calibrate_profiles.py wrote them): the vendor and
/// reference-decoder sets are fitted for the time factors, the vLLM CI runs held out; the
/// power factors are fitted on the InferenceX board-power rows on top of those time factors.
@Suite struct ShippedCalibrationTests {
    static let directory = "hardware-profiles/measurements/"
    static let fit = ["serving-nim.csv", "serving-tensorrt-llm.csv", "serving-gpt-fast.csv"]
    static let check = ["serving-vllm-ci.csv"]
    static let power = ["power-inferencex.csv"]
    static let powerKeys: Set<String> = ["compute_power_factor", "bandwidth_power_factor"]

    static func rows(_ files: [String], for name: String) throws -> [ServingMeasurement] {
        try files.flatMap { try MeasurementTable.rows(path: Fixtures.path(directory + $0), for: name).rows }
    }

    @Test(arguments: ["h100-sxm", "a100-80gb", "h200", "l40s"])
    func calibrationReproducesTheShippedProfile(name: String) throws {
        let shipped = try TestProfiles.shipped(name)
        let base = try TestProfiles.uncalibrated(name)
        let result = try Calibration.calibrate(profile: base, measurements: try Self.rows(Self.fit, for: name),
                                               heldOut: try Self.rows(Self.check, for: name), source: Self.fit.joined(separator: ", "))
        try #require(!result.fittedKeys.isEmpty)
        for (key, _, figure) in shipped.efficiency.figures where !Self.powerKeys.contains(key) {
            let fitted = try #require(result.after.efficiency.figures.first { $0.key == key }).figure.value
            if result.fittedKeys.contains(key) {
                // The profile holds the fit rounded to 4 significant figures.
                #expect(abs(figure.value - fitted) <= 1e-3 * max(abs(fitted), 1e-3), "\(name) \(key): shipped \(figure.value), fit \(fitted)")
                #expect(figure.source.contains("calibrate: bounded least squares") && figure.source.contains("held out: serving-vllm-ci.csv"))
                #expect(figure.source.contains("at the bound") == result.keysAtBound.contains(key), "\(name) \(key)")
            } else {
                let defaults = try #require(EfficiencyFactors.defaults.figures.first { $0.key == key }).figure
                #expect(figure == defaults, "\(name) \(key) was not fitted but differs from the default")
            }
        }
        // Fitting lowers the error on the fitted rows, and the held-out vLLM runs stay within 10%.
        let fitted = try #require(CalibrationResult.ErrorSummary(result.comparisons))
        #expect(fitted.medianAfter < fitted.medianBefore, "\(name): \(fitted)")
        if let held = CalibrationResult.ErrorSummary(result.heldOut) {
            #expect(held.maxAfter < 0.15 && held.medianAfter < 0.10, "\(name) held out: \(held)")
        }
    }

    /// The power factors: fitted on the board-power rows from the profile's shipped time
    /// factors (the order bench/calibrate_profiles.py fits in); profiles without power rows keep
    /// the defaults.
    @Test(arguments: ["h100-sxm", "a100-80gb", "h200", "l40s", "b200"])
    func powerCalibrationReproducesTheShippedProfile(name: String) throws {
        let shipped = try TestProfiles.shipped(name)
        var base = shipped
        for key in Self.powerKeys {
            base.efficiency.set(key, try #require(EfficiencyFactors.defaults.figures.first { $0.key == key }).figure)
        }
        let rows = try Self.rows(Self.power, for: name)
        if rows.isEmpty {
            #expect(shipped.efficiency == base.efficiency, "\(name) has fitted power factors but no power rows")
            return
        }
        let result = try Calibration.calibrate(profile: base, measurements: rows, source: Self.power[0], scope: .power)
        #expect(Set(result.fittedKeys).isSubset(of: Self.powerKeys) && !result.fittedKeys.isEmpty, "\(result.fittedKeys)")
        for key in Self.powerKeys {
            let figure = try #require(shipped.efficiency.figures.first { $0.key == key }).figure
            let fitted = try #require(result.after.efficiency.figures.first { $0.key == key }).figure
            if result.fittedKeys.contains(key) {
                #expect(abs(figure.value - fitted.value) <= 1e-3 * fitted.value, "\(name) \(key): shipped \(figure.value), fit \(fitted.value)")
                #expect(figure.source.contains("board-power rows of power-inferencex.csv"))
            } else {
                #expect(figure == fitted, "\(name) \(key) was not fitted but differs from the default")
            }
        }
        // The fit (at the measured times) lowers the median power error below 20%.
        let power = try #require(CalibrationResult.ErrorSummary(result.comparisons.filter { $0.quantity == .power }))
        #expect(power.medianAfter <= power.medianBefore + 1e-9 && power.medianAfter < 0.2, "\(name): \(power)")
    }

    /// Profiles without public rows keep the defaults, and say so by having no calibrated figure.
    @Test func profilesWithoutMeasurementsKeepTheDefaults() throws {
        for name in ["h100-pcie", "a100-40gb", "l4", "mi300x"] {
            let p = try TestProfiles.shipped(name)
            #expect(p.efficiency == EfficiencyFactors.defaults, "\(name)")
            #expect(try Self.rows(Self.fit + Self.check + Self.power, for: name).isEmpty, "\(name) has rows: calibrate it")
        }
        // B200 has board-power rows but no latency row with a known batch: only its power is fitted.
        var b200 = try TestProfiles.shipped("b200").efficiency
        #expect(try Self.rows(Self.fit + Self.check, for: "b200").isEmpty)
        b200.bandwidthPowerFactor = EfficiencyFactors.defaults.bandwidthPowerFactor
        #expect(b200 == EfficiencyFactors.defaults)
    }
}
