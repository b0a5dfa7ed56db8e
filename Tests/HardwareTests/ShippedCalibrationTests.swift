import Foundation
import Hardware
import Scenario
import Testing
import TestSupport

/// The shipped GPU profiles' `efficiency:` blocks are what `Calibration` fits on the committed
/// public measurements (bench/calibrate_profiles.py wrote them): the vendor and
/// reference-decoder sets are fitted, the vLLM CI runs held out.
@Suite struct ShippedCalibrationTests {
    static let directory = "hardware-profiles/measurements/"
    static let fit = ["serving-nim.csv", "serving-tensorrt-llm.csv", "serving-gpt-fast.csv"]
    static let check = ["serving-vllm-ci.csv"]

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
        for (key, _, figure) in shipped.efficiency.figures {
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

    /// B200 has no public row with a known batch: its profile keeps the defaults, and says so
    /// by having no calibrated figure.
    @Test func profilesWithoutMeasurementsKeepTheDefaults() throws {
        for name in ["b200", "h100-pcie", "a100-40gb", "l4", "mi300x"] {
            let p = try TestProfiles.shipped(name)
            #expect(p.efficiency == EfficiencyFactors.defaults, "\(name)")
            #expect(try Self.rows(Self.fit + Self.check, for: name).isEmpty, "\(name) has rows: calibrate it")
        }
    }
}
