import Foundation
import Fuzzing
import Hardware
import PlanModel
import PlanSolver
import Scenario
import Testing
import TestSupport

/// A scenario with a prefix-cache hit rate (`inference.prefix_cache_hit_rate`): replicas
/// compute only the uncached part of each prompt, and inference FLOPs count it.
@Suite("Prefix caching in plans")
struct PrefixCachePlanningTests {
    static let catalog = try! HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))

    static func spec() throws -> ScenarioSpec {
        try ScenarioSpec.load(path: Fixtures.path("Tests/Fixtures/scenarios/prefix-cache.yaml"), catalog: Self.catalog)
    }

    @Test func theScenarioCarriesTheRate() throws {
        let inference = try #require(try Self.spec().problem.inference)
        #expect(inference.prefixCacheHitRate == 0.7)
    }

    /// The plan passes the independent check (which re-evaluates every replica with the same
    /// rate, and inference FLOPs as 2N per computed token), costs less than the same demand
    /// uncached, and warns that the rate is an assumption; the check of the same plan against
    /// the uncached problem fails (its replica figures no longer match).
    @Test func thePlanIsCheckedAndCheaperThanUncached() throws {
        let spec = try Self.spec()
        let outcome = try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 2)
        try #require(outcome.status == .optimal)
        #expect(PlanCheck.problems(outcome, spec.problem) == [])
        #expect(outcome.warnings.contains { $0.code == .prefixCacheAssumed })
        var uncached = spec.problem
        uncached.inference!.prefixCacheHitRate = 0
        let plain = try PlanOutcome.solve(uncached, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 2)
        let a = try #require(outcome.recommended), b = try #require(plain.recommended)
        #expect(a.inferenceCost < b.inferenceCost, "\(a.inferenceCost) vs \(b.inferenceCost)")
        #expect(a.totalCost < b.totalCost)
        #expect(!plain.warnings.contains { $0.code == .prefixCacheAssumed })
        #expect(!PlanCheck.problems(outcome, uncached).isEmpty)
        // 2N FLOPs per computed token: 600 of each request's 2,000 prompt tokens, and its 300
        // output tokens, over the forecast's requests.
        guard case .forecast(let f) = spec.problem.inference!.demand else { Issue.record("not a forecast"); return }
        let requests = f.series().reduce(0.0) { $0 + $1.requests }
        #expect(relativeDifference(a.inferenceFLOPs, 2 * a.params * requests * (2000 * 0.3 + 300)) < 1e-9)
    }

    /// At every size a higher hit rate never makes a replica dearer per request, beyond 0.1%:
    /// a small model's replica is bound by reading its KV cache, which the hit rate does not
    /// change, and the steady state caps a step's prefill at the token budget, so that the
    /// prefix reads of long uncached prompts cut off there weigh a hair less than those of
    /// short computed parts that are not (0.04% at 1B). Where prefill matters (20B and 2,000
    /// prompt tokens) a 95% hit rate halves the price of every option at least.
    @Test func aHigherRateNeverMakesAReplicaDearer() throws {
        let inference = try #require(try Self.spec().problem.inference)
        for option in inference.options {
            for params in [1e9, 5e9, 2e10] {
                var last = Double.infinity, first = Double.nan
                for hit in [0, 0.3, 0.7, 0.95] {
                    let r = try #require(ServingModel.replica(option: option, params: params, prompt: 2000, output: 300, slo: inference.slo,
                                                              fixedUtilisation: nil, pue: 1, prefixCacheHitRate: hit))
                    #expect(r.deviceSecondsPerRequest <= last * (1 + 1e-3), "\(option.label) N \(params) h \(hit)")
                    if hit == 0 { first = r.deviceSecondsPerRequest }
                    last = r.deviceSecondsPerRequest
                }
                if params == 2e10 { #expect(last < first / 2, "\(option.label): \(last) vs \(first)") }
            }
        }
    }
}
