import FileIO
import Foundation
import Hardware
import Scenario
import Testing
import TestSupport

@Suite struct ProfileCatalogTests {
    @Test func everyShippedProfileLoadsAndCitesEveryFigure() throws {
        let catalog = try HardwareCatalog.load(directory: TestProfiles.directory)
        #expect(catalog.profiles.count >= 12)
        for required in ["a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie", "h200", "b200", "l4", "l40s", "mi300x",
                         "tpu-v5e", "tpu-v5p"] {
            #expect(catalog.profiles.contains { $0.name == required }, "missing profile \(required)")
        }
        #expect(catalog.profiles.filter { $0.kind == .soc || $0.kind == .cpu }.count >= 2, "need two edge targets")
        for p in catalog.profiles {
            #expect(p.peakTFLOPS[.bf16] != nil, "\(p.name) lacks a bf16 peak")
            for item in p.figures {
                #expect(item.figure.source.count >= 10, "\(p.name).\(item.label) has no real source")
                #expect(item.figure.value.isFinite && item.figure.value >= 0)
            }
            #expect(p.idleW.value < p.tdpW.value)
        }
    }

    /// ORACLES.md "Hardware facts (dense, no sparsity)": BF16 TFLOP/s, FP8 TFLOP/s, GB, TB/s, TDP W.
    @Test(arguments: [
        ("a100-80gb", 312.0, nil, 80.0, 2.039, 400.0),
        ("h100-sxm", 989, 1979, 80, 3.35, 700),
        ("h200", 989, 1979, 141, 4.8, 700),
        ("b200", 2250, 4500, 180, 8.0, 1000),
        ("l4", 121, 242, 24, 0.30, 72),
        ("l40s", 362, 733, 48, 0.864, 350),
        ("mi300x", 1307, 2615, 192, 5.3, 750),
        ("tpu-v5e", 197, nil, 16, 0.819, nil),
        ("tpu-v5p", 459, nil, 95, 2.765, nil),
    ] as [(String, Double, Double?, Double, Double, Double?)])
    func matchesOraclesTable(name: String, bf16: Double, fp8: Double?, gb: Double, tbps: Double, tdp: Double?) throws {
        let p = try TestProfiles.shipped(name)
        #expect(p.peakTFLOPS[.bf16]?.value == bf16)
        #expect(p.peakTFLOPS[.fp8]?.value == fp8)
        #expect(p.memoryGB.value == gb)
        #expect(p.memoryBandwidthTBps.value == tbps)
        if let tdp { #expect(p.tdpW.value == tdp) }
        #expect(p.peakTFLOPS[.bf16]?.source.contains("ORACLES.md") == true)
    }

    @Test func writtenProfileReadsBackUnchanged() throws {
        for name in ["h100-sxm", "apple-m3-max"] {
            let p = try TestProfiles.shipped(name)
            let text = p.yamlText(comment: ["round trip"])
            let again = try HardwareProfile.parse(try YAMLValue.parse(text, file: "roundtrip.yaml"))
            #expect(again == p)
        }
    }

    @Test func unknownHardwareNamesTheKnownOnes() throws {
        let catalog = try HardwareCatalog.load(directory: TestProfiles.directory)
        #expect(throws: InputError.self) { try catalog.profile(named: "h100") }
        do {
            _ = try catalog.profile(named: "h100")
        } catch {
            #expect(error.message.contains("h100-sxm"))
        }
    }

    @Test func directoryIsFoundFromTheExecutablePath() {
        let found = HardwareCatalog.locateDirectory(
            explicit: nil, environment: [:], executable: Fixtures.path(".build/debug/scaleplan"), currentDirectory: "/")
        #expect(found == Fixtures.path("hardware-profiles"))
        #expect(HardwareCatalog.locateDirectory(explicit: nil, environment: ["SCALEPLAN_PROFILES": "/x"]) == "/x")
        #expect(HardwareCatalog.locateDirectory(explicit: "/y", environment: ["SCALEPLAN_PROFILES": "/x"]) == "/y")
    }
}
