import Demand
import FileIO
import Foundation
import Scenario
import Testing
import TestSupport

@Suite struct DemandYAMLTests {
    func parse(_ text: String, base: String? = nil) throws -> DemandForecast {
        try DemandForecast.parse(try YAMLValue.parse(text, file: "demand.yaml"), baseDirectory: base)
    }

    @Test func scenarioContractExampleParses() throws {
        let d = try parse("""
            { requests_per_day: 50M, growth_per_month: 0.05, horizon_months: 24,
              prompt_tokens: 800, output_tokens: 300, peak_to_mean: 2.5 }
            """)
        #expect(d.requestsPerDay == 5e7)
        #expect(d.growth == .exponential(perMonth: 0.05))
        #expect(d.horizonMonths == 24 && d.peakToMean == 2.5)
    }

    @Test func totalTokensParse() throws {
        let d = try parse("{ tokens: 2T, horizon_months: 12, prompt_tokens: 800, output_tokens: 200 }")
        #expect(relativeDifference(d.totals.tokens, 2e12) < 1e-12)
    }

    @Test func errorsAreLocated() throws {
        func error(_ text: String) -> InputError? {
            do { _ = try parse(text); return nil } catch let e as InputError { return e } catch { return nil }
        }
        let unknown = try #require(error("requests_per_day: 1M\nhorizon_months: 2\nprompt_tokens: 1\noutput_tokens: 1\ngrowth_rate: 0.1\n"))
        #expect(unknown.line == 5 && unknown.column == 1)
        let negative = try #require(error("requests_per_day: -5\nhorizon_months: 2\nprompt_tokens: 1\noutput_tokens: 1\n"))
        #expect(negative.line == 1 && negative.column == 19)
        let constant = try #require(error("requests_per_day: 5\nhorizon_months: 2\nprompt_tokens: 1\noutput_tokens: 1\ngrowth: constant\ngrowth_per_month: 0.1\n"))
        #expect(constant.line == 6)
        let two = try #require(error("requests_per_day: 5\ntokens: 1T\nhorizon_months: 2\nprompt_tokens: 1\noutput_tokens: 1\n"))
        #expect(two.message.contains("exactly one"))
    }

    @Test func monthlyTableIsRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("demand-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "month,requests\n1,100\n2,250\n3,400\n".write(to: dir.appendingPathComponent("v.csv"), atomically: true, encoding: .utf8)
        let d = try parse("{ volumes: v.csv, prompt_tokens: 10, output_tokens: 5 }", base: dir.path)
        #expect(d.horizonMonths == 3)
        #expect(d.totals.requests == 750)
        #expect(d.totals.outputTokens == 3750)
        try "month,requests\n1,100\n3,250\n".write(to: dir.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        do {
            _ = try parse("{ volumes: bad.csv, prompt_tokens: 10, output_tokens: 5 }", base: dir.path)
            Issue.record("expected an error")
        } catch let e as InputError {
            #expect(e.line == 3 && e.column == 1)
        }
    }
}
