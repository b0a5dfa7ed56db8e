import Diagnostics
import Foundation
import Hardware
import PlanModel
import Scenario
import Testing
import TestSupport

/// `default_efficiency`: a figure that leans on an efficiency its hardware profile does not
/// state (the generic default, not a fit to the accelerator) says so, in `estimate` and in
/// plans, and only then.
@Suite("Default-efficiency warning")
struct DefaultEfficiencyWarningTests {
    static let catalog = try! HardwareCatalog.builtIn()

    static func profile(_ name: String) throws -> HardwareProfile { try catalog.profile(named: name) }

    /// The defaulted keys read from the shipped files: hardware-profiles/h100-sxm.yaml states
    /// prefill compute and bandwidth, decode bandwidth, both overheads and the bandwidth power
    /// factor; b200.yaml states only its bandwidth power factor. A factor stated at the
    /// default's value with a source of its own counts as stated.
    @Test func defaultedKeysAreTheOnesAProfileLeavesOut() throws {
        #expect(EfficiencyFactors.defaults.defaultedKeys == EfficiencyFactors.keys)
        #expect(try Self.profile("h100-sxm").efficiency.defaultedKeys
            == ["decode_compute", "compute_power_factor", "training_power_factor", "training_mfu"])
        #expect(try Self.profile("b200").efficiency.defaultedKeys == EfficiencyFactors.keys.filter { $0 != "bandwidth_power_factor" })
        var stated = EfficiencyFactors.defaults
        stated.set("decode_bandwidth", SourcedValue(0.6, source: "measured on our cluster"))
        #expect(!stated.defaultedKeys.contains("decode_bandwidth"))
        #expect(stated.defaultedKeys.count == EfficiencyFactors.keys.count - 1)
    }

    /// Which factor a pass's time leans on at each bound (Roofline: a mixed step reads memory
    /// at the decode bandwidth and adds decode and prefill FLOPs at their own efficiencies).
    @Test func passesLeanOnTheFactorOfTheirBound() {
        #expect(EfficiencyFactors.timeKeys(.prefill, bound: .compute) == ["prefill_compute"])
        #expect(EfficiencyFactors.timeKeys(.prefill, bound: .memory) == ["prefill_bandwidth"])
        #expect(EfficiencyFactors.timeKeys(.decode, bound: .compute) == ["decode_compute"])
        #expect(EfficiencyFactors.timeKeys(.decode, bound: .memory) == ["decode_bandwidth"])
        #expect(EfficiencyFactors.timeKeys(.mixed, bound: .memory) == ["decode_bandwidth"])
        #expect(EfficiencyFactors.timeKeys(.mixed, bound: .compute) == ["prefill_compute", "decode_compute"])
    }

    /// Llama 3.1 70B in bf16 at batch 32, 1,024-token prompts: the prefill (32K tokens) is
    /// compute-bound, a decode step memory-bound (141 GB of weights read for 32 tokens), on
    /// any of these boards. On the B200 both factors are defaults, and so is the overhead; on
    /// the H100 (two devices) both are calibrated, so nothing is said.
    @Test func estimateWarnsOnlyForUnstatedFactors() throws {
        func warnings(_ hardware: String, devices: Int) throws -> [[String: Any]] {
            let r = try runScaleplan(["estimate", "--hardware", hardware, "--model", "llama-3.1-70b", "--devices", "\(devices)", "--batch", "32",
                                      "--prompt-tokens", "1024", "--output-tokens", "256", "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            return try #require(jsonObject(r.stdout)?["warnings"] as? [[String: Any]])
        }
        let b200 = try warnings("b200", devices: 1).filter { $0["code"] as? String == "default_efficiency" }
        #expect(b200.count == 1 && b200.first?["subject"] as? String == "b200", "\(b200)")
        let message = try #require(b200.first?["message"] as? String)
        #expect(message.contains("prefill_compute 0.55 and decode_bandwidth 0.6 of peak"), "\(message)")
        #expect(message.contains("no per-step decode overhead"), "\(message)")
        #expect(try warnings("h100-sxm", devices: 2).allSatisfy { $0["code"] as? String != "default_efficiency" })
        // Llama 3.1 8B at batch 512 on one H100: 512 tokens a decode step make it compute-bound,
        // and the H100's decode compute is not stated.
        let r = try runScaleplan(["estimate", "--hardware", "h100-sxm", "--model", "llama-3.1-8b", "--batch", "512",
                                  "--prompt-tokens", "128", "--output-tokens", "256"])
        #expect(r.stdout.contains("default_efficiency: h100-sxm: The h100-sxm figures lean on"), "\(r.stdout)")
        #expect(r.stderr.contains("warning: default_efficiency: h100-sxm: The h100-sxm figures lean on efficiencies its profile does not state: decode_compute 0.5 of peak"), "\(r.stderr)")
    }

    /// Stating the factors in the profile (the remedy the message gives) silences it.
    @Test func statedFactorsSilenceIt() throws {
        var b200 = try Self.profile("b200")
        let keys = ["prefill_compute", "decode_bandwidth"]
        #expect(b200.defaultEfficiencyWarning(leaningOn: keys) != nil)
        for key in keys { b200.efficiency.set(key, SourcedValue(0.7, source: "measured")) }
        #expect(b200.defaultEfficiencyWarning(leaningOn: keys) == nil)
        #expect(b200.defaultEfficiencyWarning(leaningOn: ["decode_compute"])?.message.contains("decode_compute 0.5") == true)
        #expect(b200.defaultEfficiencyWarning(leaningOn: []) == nil)
    }

    /// In a plan: one warning per accelerator the fleet runs in some month, none for an option
    /// that never runs, none for an accelerator whose leaned factors are stated.
    @Test func planWarnsPerAcceleratorTheFleetRuns() throws {
        func replica(_ hardware: String) throws -> ReplicaSpec {
            let option = ServingOption(hardware: try Self.profile(hardware), precision: .bf16)
            return try #require(ServingModel.replica(option: option, params: 8e9, prompt: 1024, output: 256,
                                                     slo: LatencySLO(tpotSeconds: 0.05), fixedUtilisation: nil, pue: 1))
        }
        let b200 = try replica("b200"), h100 = try replica("h100-sxm")
        #expect(!b200.leanedEfficiencyKeys.isEmpty)
        func fleet(_ parts: [(ReplicaSpec, [Int])]) -> Fleet {
            Fleet(assignments: parts.map { FleetAssignment(replica: $0.0, replicasByMonth: $0.1) })
        }
        #expect(PlanWarnings.defaultEfficiency(fleet([(b200, [0, 0])])).isEmpty)
        let both = PlanWarnings.defaultEfficiency(fleet([(b200, [0, 1]), (b200, [2, 0])]), subject: "x")
        #expect(both.count == 1 && both[0].code == .defaultEfficiency && both[0].subject == "x")
        #expect(both[0].message.hasPrefix("The b200 figures lean on"), "\(both[0].message)")
        // The H100 replica of an 8B model at a 50 ms TPOT: whatever its bound, the warning names
        // exactly the leaned factors the h100-sxm file leaves out (only decode_compute).
        let h100Warnings = PlanWarnings.defaultEfficiency(fleet([(h100, [1, 1])]))
        #expect(h100Warnings.isEmpty == !h100.leanedEfficiencyKeys.contains("decode_compute"), "\(h100.leanedEfficiencyKeys)")
        // Fixed fractions of peak (Sardana et al.) use no efficiency factor.
        let fixed = try #require(ServingModel.replica(option: ServingOption(hardware: try Self.profile("b200"), precision: .bf16), params: 8e9,
                                                      prompt: 1024, output: 256, slo: LatencySLO(), fixedUtilisation: (0.5, 0.1), pue: 1))
        #expect(fixed.leanedEfficiencyKeys.isEmpty && PlanWarnings.defaultEfficiency(fleet([(fixed, [3])])).isEmpty)
    }
}
