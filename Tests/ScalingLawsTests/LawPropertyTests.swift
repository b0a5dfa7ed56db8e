import Foundation
import PropertyBased
import ScalingLaws
import TestSupport
import Testing

@Suite("Law properties")
struct LawPropertyTests {
    static let laws: [ScalingLaw] = LawPreset.all.map(\.law)

    /// Along C = 6ND, moving N away from the optimum in either direction raises the loss.
    @Test func computeOptimumIsAMinimumAlongTheBudget() async {
        await propertyCheck(input: Gen.double(in: 18...26), Gen.int(in: 0...5)) { logC, which in
            let law = Self.laws[which]
            let c = pow(10, logC)
            guard let best = try? law.computeOptimal(compute: c) else { Issue.record("no optimum"); return }
            for factor in [0.8, 1.25] {
                let n = best.params * factor
                let other = law.unsafeLoss(params: n, tokens: c / (6 * n))
                #expect(other > best.loss, "\(law.form) at C=\(c)")
            }
        }
    }

    /// The iso-loss curve reaches its loss: L(N, D(l, N)) = l.
    @Test func isoLossTokensReachTheTarget() async {
        await propertyCheck(input: Gen.double(in: 0.02...0.5), Gen.double(in: 0.5...3), Gen.int(in: 0...5)) { gap, logMult, which in
            let law = Self.laws[which]
            let target = law.irreducibleLoss + gap + (law.form == .kaplan ? 1.5 : 0)
            guard let nMin = law.minimumParams(forLoss: target) else { Issue.record("unreachable"); return }
            let n = nMin * pow(10, logMult)
            guard let d = law.tokens(toReachLoss: target, params: n) else { Issue.record("no tokens"); return }
            #expect(abs(law.unsafeLoss(params: n, tokens: d) - target) < 1e-9 * target)
            #expect(law.tokens(toReachLoss: target, params: nMin * 0.99) == nil)
        }
    }

    /// Analytic gradients agree with central differences.
    @Test func gradientsMatchFiniteDifferences() async {
        await propertyCheck(input: Gen.double(in: 7...12), Gen.double(in: 9...13), Gen.int(in: 0...5)) { logN, logD, which in
            let law = Self.laws[which]
            let n = pow(10, logN), d = pow(10, logD), u = 2e10
            let g = law.gradient(params: n, tokens: d, uniqueTokens: u)
            let h = 1e-6
            let fdN = (law.unsafeLoss(params: n * (1 + h), tokens: d, uniqueTokens: u) - law.unsafeLoss(params: n * (1 - h), tokens: d, uniqueTokens: u)) / (2 * h * n)
            let fdD = (law.unsafeLoss(params: n, tokens: d * (1 + h), uniqueTokens: u) - law.unsafeLoss(params: n, tokens: d * (1 - h), uniqueTokens: u)) / (2 * h * d)
            #expect(abs(g.dParams * n - fdN * n) < 1e-6)
            #expect(abs(g.dTokens * d - fdD * d) < 1e-6)
        }
    }

    /// Kaplan's closed-form optimum agrees with a brute-force scan of the budget line.
    @Test func kaplanClosedFormMatchesScan() throws {
        let law = LawPreset.kaplan2020.law
        let c = 1e22
        let a = try law.computeOptimal(compute: c)
        let scan = stride(from: 6.0, through: 14.0, by: 0.0005).map { pow(10, $0) }
            .min { law.unsafeLoss(params: $0, tokens: c / (6 * $0)) < law.unsafeLoss(params: $1, tokens: c / (6 * $1)) }!
        #expect(relativeDifference(a.params, scan) < 0.003)
    }

    /// Repetition has diminishing returns: with U fixed, extra epochs help less and less,
    /// and without a unique-token limit the law is the base Chinchilla law.
    @Test func dataConstrainedRepetitionHasDiminishingReturns() throws {
        let law = LawPreset.muennighoff2023C4.law
        guard case .dataConstrained(let dc) = law else { Issue.record("wrong family"); return }
        let u = 1e10, n = 1e9
        let losses = [1.0, 2, 4, 8, 16, 32, 64].map { dc.loss(params: n, tokens: $0 * u, uniqueTokens: u) }
        let gains = zip(losses, losses.dropFirst()).map { $0 - $1 }
        #expect(gains.allSatisfy { $0 > 0 })
        #expect(zip(gains, gains.dropFirst()).allSatisfy { $0 > $1 })
        #expect(losses.last! > dc.lossFloor(params: n, uniqueTokens: u))
        #expect(dc.loss(params: n, tokens: 5e9, uniqueTokens: nil) == dc.base.loss(params: n, tokens: 5e9))
        // A target below the repetition floor is unreachable at this size.
        #expect(dc.tokens(toReachLoss: dc.lossFloor(params: n, uniqueTokens: u) - 1e-3, params: n, uniqueTokens: u) == nil)
        let reachable = losses[3]
        let d = try #require(dc.tokens(toReachLoss: reachable, params: n, uniqueTokens: u))
        #expect(relativeDifference(d, 8 * u) < 1e-9)
    }

    /// The data-constrained optimum with plenty of unique data equals the base law's.
    @Test func dataConstrainedOptimumWithAmpleDataIsChinchilla() throws {
        guard case .dataConstrained(let dc) = LawPreset.muennighoff2023C4.law else {
            Issue.record("the muennighoff2023-c4 preset is not a data-constrained law")
            return
        }
        let c = 1e21
        let base = try dc.base.computeOptimal(compute: c)
        let limited = try dc.computeOptimal(compute: c, uniqueTokens: 1e15)
        #expect(relativeDifference(base.params, limited.params) < 1e-6)
        let scarce = try dc.computeOptimal(compute: c, uniqueTokens: base.tokens / 20)
        #expect(scarce.loss > base.loss)
        // Excess parameters lose value faster than repeated data (R*_N < R*_D), so with scarce
        // data the optimum is a smaller model trained for more epochs (Muennighoff et al. 2023, sec. 5).
        #expect(scarce.params < base.params)
        #expect(scarce.tokens > base.tokens)
    }

    @Test func invalidInputsThrow() {
        let law = LawPreset.hoffmann2022.law
        #expect(throws: LawError.invalidInput(quantity: "params", value: -1)) { try law.loss(params: -1, tokens: 1e9) }
        #expect(throws: LawError.self) { try law.loss(params: 1e9, tokens: .nan) }
        #expect(throws: LawError.self) { try law.computeOptimal(compute: 0) }
        #expect(throws: LawError.self) { try ChinchillaLaw(E: 1, A: 1, B: 1, alpha: -0.3, beta: 0.3) }
        #expect(law.minimumParams(forLoss: 1.0) == nil)
    }
}
