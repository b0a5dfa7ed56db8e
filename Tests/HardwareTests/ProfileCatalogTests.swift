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

    /// The "80 GB" boards report 80 GiB or near it: memory budgets use the driver's total
    /// (nvidia-smi, as collected in modal-labs/modal-client PR #2797), the datasheet figure
    /// stays the headline; GiB-stated TPU memory is converted to GB.
    @Test(arguments: [
        ("h100-sxm", 81559.0), ("a100-80gb", 81920), ("a100-40gb", 40960), ("l40s", 46068), ("l4", 23034),
        ("tpu-v5e", 16 * 1024), ("tpu-v5p", 95 * 1024),
    ] as [(String, Double)])
    func memoryBudgetsUseTheReportedTotal(name: String, mebibytes: Double) throws {
        let p = try TestProfiles.shipped(name)
        let reported = try #require(p.reportedMemoryGB)
        #expect(abs(reported.value * 1e9 - mebibytes * 1_048_576) <= 0.005e9, "\(name): \(reported.value) GB")
        #expect(p.memoryBytes == reported.value * 1e9 && p.memoryBytes > p.memoryGB.value * 1e9)
        #expect(reported.source.contains("https://"))
        #expect(p.figures.contains { $0.label == "reported_memory" && $0.figure == reported })
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
        // Each figure is cited to a public document a user can open, not to a file they lack.
        for figure in [p.peakTFLOPS[.bf16], p.memoryGB, p.memoryBandwidthTBps].compactMap({ $0 }) {
            #expect(figure.source.contains("https://") && !figure.source.contains("ORACLES.md"), "\(name): \(figure.source)")
        }
    }

    /// hardware-profiles/README.md: the NVIDIA data-centre profiles AWS sells share one dated
    /// pricing basis, and every shipped profile states its basis.
    @Test func nvidiaDataCentrePricesShareOneBasis() throws {
        let catalog = try HardwareCatalog.load(directory: TestProfiles.directory)
        for p in catalog.profiles {
            let basis = try #require(p.priceBasis, "\(p.name) states no price.basis")
            #expect(basis.rangeOfCharacter(from: .decimalDigits) != nil || basis.contains("purchase"), "\(p.name): undated basis '\(basis)'")
        }
        let aws = ["a100-40gb", "a100-80gb", "h100-sxm", "h200", "b200", "l4", "l40s"]
        let bases = Set(try aws.map { try #require(try TestProfiles.shipped($0).priceBasis) })
        #expect(bases == ["AWS EC2 on-demand, Linux, us-east-1, read 2026-11"], "\(bases)")
        // Per GPU-hour: the 8-GPU instance price over 8 (p4d, p4de, p5, p5en, p6-b200 in us-east-1).
        for (name, instance) in [("a100-40gb", 21.957642), ("a100-80gb", 27.44705), ("h100-sxm", 55.04), ("h200", 63.296), ("b200", 113.9328)] {
            let p = try TestProfiles.shipped(name)
            #expect(abs(p.usdPerHour.value - instance / 8) < 0.005, "\(name): \(p.usdPerHour.value)")
            #expect(p.usdPerHour.source.contains("https://aws.amazon.com/ec2/"))
        }
        for name in ["h100-pcie", "mi300x"] {
            #expect(try TestProfiles.shipped(name).usdPerHour.source.contains("another basis"), "\(name) must say it is off the AWS basis")
        }
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

    /// The profiles compiled into the binary are exactly the repository's hardware-profiles/
    /// folder: every file is listed in BuiltInProfiles and reads back to the same profile.
    @Test func builtInProfilesAreTheFolder() throws {
        let builtIn = try HardwareCatalog.builtIn()
        let folder = try HardwareCatalog.load(directory: TestProfiles.directory)
        #expect(builtIn.layers == [HardwareCatalog.builtInLayer])
        #expect(builtIn.profiles.map(\.name) == folder.profiles.map(\.name))
        #expect(builtIn.profiles == folder.profiles)
    }

    /// User directories layer over the built-in profiles by name: ./hardware-profiles, then
    /// $SCALEPLAN_PROFILES, then --profiles, each replacing a profile of the same name.
    @Test func userDirectoriesLayerOverTheBuiltInProfiles() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-layers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let local = root.appendingPathComponent("hardware-profiles"), env = root.appendingPathComponent("env"), flag = root.appendingPathComponent("flag")
        for d in [local, env, flag] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        let h100 = try String(contentsOfFile: TestProfiles.directory + "/h100-sxm.yaml", encoding: .utf8)
        func priced(_ usd: String) -> String {
            h100.replacingOccurrences(of: #"usd_per_hour: \{value: [0-9.]+"#, with: "usd_per_hour: {value: \(usd)", options: .regularExpression)
        }
        #expect(priced("1.25") != h100, "the price line was not found")
        try priced("1.25").write(to: local.appendingPathComponent("h100-sxm.yaml"), atomically: true, encoding: .utf8)
        try priced("2.5").write(to: env.appendingPathComponent("h100-sxm.yaml"), atomically: true, encoding: .utf8)
        let mine = h100.replacingOccurrences(of: "name: h100-sxm", with: "name: my-h100")
        try mine.write(to: flag.appendingPathComponent("my-h100.yaml"), atomically: true, encoding: .utf8)

        let builtIn = try HardwareCatalog.builtIn()
        let fromEmpty = try HardwareCatalog.standard(explicit: nil, environment: [:], currentDirectory: "/")
        #expect(fromEmpty.profiles == builtIn.profiles)
        let localOnly = try HardwareCatalog.standard(explicit: nil, environment: [:], currentDirectory: root.path)
        #expect(try localOnly.profile(named: "h100-sxm").usdPerHour.value == 1.25)
        #expect(localOnly.profiles.count == builtIn.profiles.count)
        let all = try HardwareCatalog.standard(explicit: flag.path, environment: ["SCALEPLAN_PROFILES": env.path], currentDirectory: root.path)
        #expect(try all.profile(named: "h100-sxm").usdPerHour.value == 2.5)
        #expect(try all.profile(named: "my-h100").name == "my-h100")
        #expect(all.profiles.count == builtIn.profiles.count + 1)
        #expect(all.layers == [HardwareCatalog.builtInLayer, local.path, env.path, flag.path])
        #expect(try all.profile(named: "a100-80gb") == builtIn.profile(named: "a100-80gb"))

        #expect(throws: InputError(file: "/no/such/dir", "SCALEPLAN_PROFILES names this directory, which does not exist")) {
            try HardwareCatalog.standard(explicit: nil, environment: ["SCALEPLAN_PROFILES": "/no/such/dir"], currentDirectory: "/")
        }
        #expect(throws: InputError(file: "/no/such/dir", "--profiles names this directory, which does not exist")) {
            try HardwareCatalog.standard(explicit: "/no/such/dir", environment: [:], currentDirectory: "/")
        }
    }
}
