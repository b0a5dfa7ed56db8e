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

    /// The fixture with a shared prefix of `shared` tokens (line 15) and the rate line (14)
    /// replaced by `rate` (removed when nil), loaded from a temporary file.
    static func sharedSpec(shared: String, rate: String? = "0.7") throws -> ScenarioSpec {
        var lines = try String(contentsOfFile: Fixtures.path("Tests/Fixtures/scenarios/prefix-cache.yaml"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let at = try #require(lines.firstIndex { $0.hasPrefix("  prefix_cache_hit_rate:") })
        lines[at] = rate.map { "  prefix_cache_hit_rate: \($0)" } ?? "  # no rate"
        lines.insert("  shared_prefix_tokens: \(shared)", at: at + 1)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shared-prefix-\(UInt32.random(in: 0...UInt32.max)).yaml").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ScenarioSpec.load(path: path, catalog: Self.catalog)
    }

    /// `shared_prefix_tokens` (`Tests/Fixtures/scenarios/shared-prefix.yaml`): a 1,400-token
    /// system prompt shared by every request lets each
    /// replica hold more sequences, so the plan (checked independently, with the same prefix)
    /// costs no more than with the hit rate alone and runs a larger batch; the rate defaults
    /// to the prefix's share of the prompt; a prefix as long as the prompt, or a rate below its
    /// share, is an error at its line and column.
    @Test func aSharedPrefixIsHeldOnce() throws {
        let spec = try ScenarioSpec.load(path: Fixtures.path("Tests/Fixtures/scenarios/shared-prefix.yaml"), catalog: Self.catalog)
        // The fixture is prefix-cache.yaml with the shared prefix: the same as adding the key.
        #expect(try Self.sharedSpec(shared: "1400").problem.inference?.sharedPrefixTokens == 1400)
        #expect(spec.problem.inference?.sharedPrefixTokens == 1400 && spec.problem.inference?.prefixCacheHitRate == 0.7)
        let outcome = try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 2)
        try #require(outcome.status == .optimal)
        #expect(PlanCheck.problems(outcome, spec.problem) == [])
        let plain = try Self.spec()
        let base = try PlanOutcome.solve(plain.problem, frontierX: plain.frontier.x, frontierY: plain.frontier.y, points: 2)
        let a = try #require(outcome.recommended), b = try #require(base.recommended)
        #expect(a.inferenceCost < b.inferenceCost, "\(a.inferenceCost) vs \(b.inferenceCost)")
        let batch = { (m: PlanMetrics) in m.fleet.assignments.map(\.replica.runningBatch).max() ?? 0 }
        #expect(batch(a) > batch(b))
        // Checked against the problem without the prefix, the replicas' figures no longer match.
        var unshared = spec.problem
        unshared.inference!.sharedPrefixTokens = 0
        #expect(!PlanCheck.problems(outcome, unshared).isEmpty)

        #expect(try Self.sharedSpec(shared: "500", rate: nil).problem.inference?.prefixCacheHitRate == 0.25)
        expectInputError(line: 15, column: 25, containing: "shared_prefix_tokens") { _ = try Self.sharedSpec(shared: "2000") }
        expectInputError(line: 14, column: 26, containing: "below the shared prefix's share of the prompt") {
            _ = try Self.sharedSpec(shared: "1600", rate: "0.7")
        }
    }
}
