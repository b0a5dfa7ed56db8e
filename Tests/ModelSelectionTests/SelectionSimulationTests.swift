import Foundation
import ModelSelection
import Numerics
import Testing

/// Simulated studies with known laws and Gaussian noise on ln L: the reported probabilities
/// are calibrated, flagged runs catch injected divergences, and the trend test tells a law
/// from pure noise. Each study: runs at six sizes from 10M to 400M, two seeds each, noise
/// sigma 1% on ln L, target 7B (17x beyond the largest run).
@Suite("Selection simulation")
struct SelectionSimulationTests {
    static let sizes = [1e7, 2e7, 5e7, 1e8, 2e8, 4e8]

    static func law(_ e: Double, _ a: Double = 400, _ alpha: Double = 0.34) -> (Double) -> Double {
        { n in e + a * pow(n, -alpha) }
    }

    static func runs(_ candidates: [(String, (Double) -> Double)], seeds: Int = 2, sigma: Double = 0.01,
                     rng: inout SeededRandom) -> [SelectionRun] {
        var out: [SelectionRun] = []
        for (name, l) in candidates {
            for n in sizes {
                for s in 0..<seeds {
                    out.append(SelectionRun(candidate: name, params: n, seed: String(s), value: l(n) * exp(sigma * rng.nextGaussian()), row: out.count))
                }
            }
        }
        return out
    }

    /// Over 150 simulated studies whose two candidates' floors E are drawn from U(1.72, 1.88) (so
    /// the true gap at the target ranges from none to about 8%, against a prediction spread of
    /// about 3% each), the mean p_best claimed for the leader is close to how often the leader
    /// is truly best, and confident claims are right more often than hesitant ones. Measured
    /// with this seed: claimed 0.81, right 0.70. The bootstrap is overconfident by about a tenth
    /// (its 95% intervals cover the truth about 88% of the time in this design, because the
    /// extrapolated prediction is biased low; docs/SELECT.md), so the band is ±0.15: 4.4 binomial
    /// standard deviations (0.034 at 150 studies) beyond a perfect calibration. A selector that
    /// always claimed certainty (1.0) or a coin flip (0.5) fails it.
    @Test func probabilitiesAreCalibrated() throws {
        var rng = SeededRandom(seed: 2024)
        var claims: [(claim: Double, right: Bool)] = []
        let studies = 150
        for s in 0..<studies {
            let ea = 1.72 + 0.16 * rng.nextUnit(), eb = 1.72 + 0.16 * rng.nextUnit()
            let runs = Self.runs([("a", Self.law(ea)), ("b", Self.law(eb))], rng: &rng)
            let r = try ModelSelector.select(runs, options: SelectionOptions(target: .point(params: 7e9, tokens: nil), bootstrap: 100,
                                                                             seed: UInt64(s), nextRuns: 0))
            let leader = try #require(r.leader)
            let claim = try #require(r.candidates.first { $0.name == leader }?.pBest)
            claims.append((claim, leader == (ea < eb ? "a" : "b")))
        }
        let meanClaim = claims.map(\.claim).reduce(0, +) / Double(studies)
        let hitRate = Double(claims.filter(\.right).count) / Double(studies)
        #expect(abs(meanClaim - hitRate) < 0.15, "claimed \(meanClaim), right \(hitRate)")
        #expect(meanClaim > 0.6 && meanClaim < 0.97, "claims \(meanClaim) should spread between a coin flip and certainty")
        let sure = claims.filter { $0.claim >= 0.9 }, unsure = claims.filter { $0.claim < 0.7 }
        func rate(_ c: [(claim: Double, right: Bool)]) -> Double { Double(c.filter(\.right).count) / Double(max(c.count, 1)) }
        #expect(sure.count >= 20 && unsure.count >= 20, "\(sure.count) sure and \(unsure.count) unsure studies")
        #expect(rate(sure) > rate(unsure) + 0.2, "right \(rate(sure)) when sure, \(rate(unsure)) when unsure")
    }

    /// A divergence injected into one run (its loss 15% high, 14 sigma) is flagged and left
    /// out: the refit is the fit of the other runs. Clean runs flag nothing in most studies.
    @Test func injectedDivergenceIsFlagged() throws {
        var rng = SeededRandom(seed: 7)
        var cleanFlags = 0
        for s in 0..<20 {
            var runs = Self.runs([("a", Self.law(1.8))], rng: &rng)
            let clean = try ModelSelector.select(runs, options: SelectionOptions(target: .point(params: 7e9, tokens: nil), bootstrap: 20, seed: UInt64(s), nextRuns: 0))
            cleanFlags += clean.flagged.count
            let hit = 3 + s % 6
            runs[hit].value *= 1.15
            let r = try ModelSelector.select(runs, options: SelectionOptions(target: .point(params: 7e9, tokens: nil), bootstrap: 20, seed: UInt64(s), nextRuns: 0))
            #expect(r.flagged.map(\.run.row).contains(hit), "study \(s): run \(hit) not flagged (flagged \(r.flagged.map(\.run.row)))")
            #expect(r.flagged.first { $0.run.row == hit }.map { $0.residualSigma > 5 } ?? false)
            if r.flagged.count == 1 {
                var others = runs
                others.remove(at: hit)
                let without = try ModelSelector.select(others, options: SelectionOptions(target: .point(params: 7e9, tokens: nil), bootstrap: 20, seed: UInt64(s), nextRuns: 0))
                if without.flagged.isEmpty { #expect(abs(r.candidates[0].predicted / without.candidates[0].predicted - 1) < 1e-9) }
            }
            #expect(r.warnings.contains { $0.code == .flaggedRuns })
        }
        #expect(cleanFlags <= 3, "\(cleanFlags) runs flagged in 20 clean studies")
    }

    /// Pure noise around a constant: no scaling trend, not ranked, and a warning says so; the
    /// same noise around a real law shows the law.
    @Test func noTrendOnNoiseAndTrendOnALaw() throws {
        var rng = SeededRandom(seed: 11)
        var noneOnNoise = 0, lawOnLaw = 0
        for s in 0..<10 {
            let runs = Self.runs([("flat", { _ in 2.5 }), ("law", Self.law(1.8))], rng: &rng)
            let r = try ModelSelector.select(runs, options: SelectionOptions(target: .point(params: 7e9, tokens: nil), bootstrap: 20, seed: UInt64(s), nextRuns: 0))
            let flat = try #require(r.candidates.first { $0.name == "flat" })
            let law = try #require(r.candidates.first { $0.name == "law" })
            if flat.verdict == .none { noneOnNoise += 1; #expect(flat.status == .unranked && flat.pBest == nil) }
            if law.verdict == .law { lawOnLaw += 1; #expect(r.leader == "law") }
        }
        #expect(noneOnNoise >= 9, "no trend found in \(noneOnNoise) of 10 noise candidates")
        #expect(lawOnLaw == 10, "the law found in \(lawOnLaw) of 10")
    }

    /// The same seed gives the same answer; another seed moves the intervals but not the fit.
    @Test func deterministicUnderASeed() throws {
        var rng = SeededRandom(seed: 3)
        let runs = Self.runs([("a", Self.law(1.8)), ("b", Self.law(1.82))], rng: &rng)
        let o = SelectionOptions(target: .point(params: 7e9, tokens: nil), bootstrap: 200, seed: 5)
        let one = try ModelSelector.select(runs, options: o), two = try ModelSelector.select(runs, options: o)
        #expect(one.candidates.map(\.low) == two.candidates.map(\.low))
        #expect(one.candidates.map(\.pBest) == two.candidates.map(\.pBest))
        #expect(one.nextRuns.map(\.pWrongAfter) == two.nextRuns.map(\.pWrongAfter))
        var other = o
        other.seed = 6
        let three = try ModelSelector.select(runs, options: other)
        #expect(three.candidates.map(\.predicted) == one.candidates.map(\.predicted))
        #expect(three.candidates.map(\.low) != one.candidates.map(\.low))
    }

    /// An accuracy (higher is better) gives the mirror image of its error.
    @Test func higherIsBetterMirrorsTheError() throws {
        var rng = SeededRandom(seed: 9)
        let errors = Self.runs([("a", Self.law(0.3, 3, 0.15)), ("b", Self.law(0.32, 3, 0.15))], rng: &rng)
        let accuracies = errors.map { r -> SelectionRun in var a = r; a.value = 1 - r.value; return a }
        let target = SelectionTarget.point(params: 7e9, tokens: nil)
        let e = try ModelSelector.select(errors, options: SelectionOptions(target: target, bootstrap: 50, nextRuns: 0))
        let a = try ModelSelector.select(accuracies, options: SelectionOptions(target: target, bootstrap: 50, higherIsBetter: true, nextRuns: 0))
        #expect(e.leader == a.leader)
        for (x, y) in zip(e.candidates, a.candidates) {
            #expect(abs(x.predicted - (1 - y.predicted)) < 1e-9)
            #expect(abs(x.low - (1 - y.high)) < 1e-9 && abs(x.high - (1 - y.low)) < 1e-9)
            #expect(x.pBest == y.pBest)
        }
        let bad = accuracies.map { r -> SelectionRun in var b = r; b.value = 1 - r.value; return b } + [SelectionRun(candidate: "a", params: 1e9, value: 1.2, row: 99)]
        #expect(throws: SelectionError.self) { try ModelSelector.select(bad, options: SelectionOptions(target: target, bootstrap: 20, higherIsBetter: true)) }
    }

    /// More seeds at a size lower the chance of a wrong choice further, and the proposals are
    /// a Pareto set: none is both dearer and less informative than another.
    @Test func nextRunsBuyInformation() throws {
        var rng = SeededRandom(seed: 21)
        let runs = Self.runs([("a", Self.law(1.8)), ("b", Self.law(1.81))], rng: &rng)
        let r = try ModelSelector.select(runs, options: SelectionOptions(target: .point(params: 7e9, tokens: nil), bootstrap: 200, nextRuns: 20))
        #expect(!r.nextRuns.isEmpty)
        for x in r.nextRuns {
            #expect(x.pWrongAfter < x.pWrongBefore)
            #expect(x.tokensAssumed, "the runs give no tokens: 20 per parameter is assumed")
            #expect(abs(x.flops - 6 * x.params * 20 * x.params * Double(x.seeds)) < 1e-6 * x.flops)
            for y in r.nextRuns where y.flops < x.flops {
                #expect(y.pWrongAfter > x.pWrongAfter, "a cheaper run \(y) buys at least as much as \(x)")
            }
        }
        let single = try ModelSelector.select(Array(runs.prefix(12)), options: SelectionOptions(target: .point(params: 7e9, tokens: nil), bootstrap: 20))
        #expect(single.nextRuns.isEmpty, "one candidate has nothing to choose between")
    }
}
