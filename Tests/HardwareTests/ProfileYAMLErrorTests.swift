import FileIO
import Hardware
import Scenario
import Testing

/// Bad profile files give `InputError`s located at the offending node.
@Suite struct ProfileYAMLErrorTests {
    static let valid = """
        name: test-gpu
        display_name: "Test GPU"
        kind: gpu
        vendor: Test
        peak_tflops:
          bf16: {value: 100, source: "test datasheet"}
        memory:
          capacity_gb: {value: 10, source: "test datasheet"}
          bandwidth_tb_per_s: {value: 1, source: "test datasheet"}
        interconnect:
          name: "link"
          bandwidth_gb_per_s: {value: 100, source: "test datasheet"}
          latency_us: {value: 10, source: "estimate: test"}
        power:
          tdp_w: {value: 500, source: "test datasheet"}
          idle_w: {value: 100, source: "estimate: test"}
        price:
          usd_per_hour: {value: 2, source: "test price list"}
        """

    func parse(_ text: String) throws -> HardwareProfile {
        try HardwareProfile.parse(try YAMLValue.parse(text, file: "bad.yaml"))
    }

    func error(_ text: String) -> InputError? {
        do {
            _ = try parse(text)
            return nil
        } catch let e as InputError {
            return e
        } catch {
            return nil
        }
    }

    @Test func validProfileParses() throws {
        let p = try parse(Self.valid)
        #expect(p.name == "test-gpu")
        #expect(p.efficiency == .defaults)
        #expect(p.memoryBandwidth == 1e12)
    }

    @Test func unknownKeyIsLocated() throws {
        let text = Self.valid.replacingOccurrences(of: "  capacity_gb:", with: "  capacity_gib:")
        let e = try #require(error(text))
        #expect(e.line == 8 && e.column == 3)
        #expect(e.message.contains("unknown key 'capacity_gib'"))
    }

    @Test func figureWithoutSourceIsRejected() throws {
        let text = Self.valid.replacingOccurrences(of: #"tdp_w: {value: 500, source: "test datasheet"}"#, with: "tdp_w: {value: 500}")
        let e = try #require(error(text))
        #expect(e.line == 15 && e.column == 10)
        #expect(e.message.contains("missing the required key 'source'"))
    }

    @Test func bareNumberIsRejected() throws {
        let text = Self.valid.replacingOccurrences(of: #"{value: 500, source: "test datasheet"}"#, with: "500")
        let e = try #require(error(text))
        #expect(e.line == 15 && e.column == 10)
        #expect(e.message.contains("must be a mapping"))
    }

    @Test func negativeNumberIsLocatedAtTheValue() throws {
        let text = Self.valid.replacingOccurrences(of: "{value: 10, source", with: "{value: -10, source")
        let e = try #require(error(text))
        #expect(e.line == 8 && e.column == 24)
        #expect(e.message.contains("must be between 0.001 and 1000000, found -10"))
    }

    @Test func idleAboveTDPIsRejected() throws {
        let text = Self.valid.replacingOccurrences(of: "{value: 100, source: \"estimate: test\"}", with: "{value: 600, source: \"estimate: test\"}")
        let e = try #require(error(text))
        #expect(e.line == 16)
        #expect(e.message.contains("below"))
    }

    @Test func efficiencyOutOfRangeIsRejected() throws {
        let text = Self.valid + "\nefficiency:\n  decode_bandwidth: {value: 1.5, source: \"x measured\"}\n"
        let e = try #require(error(text))
        #expect(e.line == 20)
        #expect(e.message.contains("between"))
    }

    @Test func efficiencyOverrideIsApplied() throws {
        let text = Self.valid + "\nefficiency:\n  decode_bandwidth: {value: 0.8, source: \"measured\"}\n"
        let p = try parse(text)
        #expect(p.efficiency.decodeBandwidth == SourcedValue(0.8, source: "measured"))
        #expect(p.efficiency.prefillCompute == EfficiencyFactors.defaults.prefillCompute)
    }
}
