import Demand
import FileIO
import Foundation
import Scenario
import Testing
import TestSupport

@Suite struct DemandForecastTests {
    let days = 365.25 / 12

    @Test func constantTotalsAreVolumeTimesHorizon() throws {
        let d = try DemandForecast(requestsPerDay: 1e6, promptTokens: 800, outputTokens: 300, horizonMonths: 24, peakToMean: 2.5)
        let t = d.totals
        #expect(relativeDifference(t.requests, 1e6 * days * 24) < 1e-12)
        #expect(relativeDifference(t.promptTokens, 800 * t.requests) < 1e-12)
        #expect(relativeDifference(t.outputTokens, 300 * t.requests) < 1e-12)
        #expect(relativeDifference(t.peakRequestsPerSecond, 1e6 / 86_400 * 2.5) < 1e-12)
    }

    /// Exponential growth g per month: sum over m = 0..H-1 of r (1+g)^m = r ((1+g)^H - 1) / g.
    @Test func exponentialTotalsAreAGeometricSeries() throws {
        let g = 0.05, h = 24
        let d = try DemandForecast(requestsPerDay: 5e7, promptTokens: 800, outputTokens: 300,
                                   growth: .exponential(perMonth: g), horizonMonths: h)
        let closed = 5e7 * days * (pow(1 + g, Double(h)) - 1) / g
        #expect(relativeDifference(d.totals.requests, closed) < 1e-12)
        let s = d.series()
        #expect(s.count == h && s[0].month == 1)
        #expect(relativeDifference(s[23].requestsPerDay, 5e7 * pow(1.05, 23)) < 1e-12)
    }

    /// Linear growth: sum of r (1 + g m) = r (H + g H (H - 1) / 2).
    @Test func linearTotalsAreAnArithmeticSeries() throws {
        let d = try DemandForecast(requestsPerDay: 1e5, promptTokens: 100, outputTokens: 50,
                                   growth: .linear(perMonth: 0.1), horizonMonths: 12)
        #expect(relativeDifference(d.totals.requests, 1e5 * days * (12 + 0.1 * 12 * 11 / 2)) < 1e-12)
        #expect(throws: DemandError.self) {
            try DemandForecast(requestsPerDay: 1, promptTokens: 1, outputTokens: 1, growth: .linear(perMonth: -0.2), horizonMonths: 12)
        }
    }

    @Test func tokenVolumesConvertToRequests() throws {
        let perDay = try DemandForecast.tokensPerDay(1.1e9, promptTokens: 800, outputTokens: 300, horizonMonths: 1)
        #expect(relativeDifference(perDay.requestsPerDay, 1e6) < 1e-12)
        let total = try DemandForecast.totalTokens(2e12, promptTokens: 800, outputTokens: 200, horizonMonths: 24)
        #expect(relativeDifference(total.totals.tokens, 2e12) < 1e-12)
    }

    @Test func invalidValuesThrow() {
        #expect(throws: DemandError.self) { try DemandForecast(requestsPerDay: -1, promptTokens: 1, outputTokens: 1, horizonMonths: 1) }
        #expect(throws: DemandError.self) { try DemandForecast(requestsPerDay: 1, promptTokens: 1, outputTokens: 1, horizonMonths: 0) }
        #expect(throws: DemandError.self) {
            try DemandForecast(requestsPerDay: 1, promptTokens: 1, outputTokens: 1, horizonMonths: 1, peakToMean: 0.5)
        }
        #expect(throws: DemandError.self) {
            try DemandForecast(requestsPerDay: 1, promptTokens: 1, outputTokens: 1, growth: .monthly(requests: [1]), horizonMonths: 2)
        }
    }
}
