import Diagnostics
import Downscale
import FileIO
import Foundation
import PlanModel
import PlanSolver
import Report
import ScalingLaws
import Scenario
import Testing
import TestSupport

/// Checks on the HTML report of real scenarios, solved end to end.
@Suite("HTML report")
struct HTMLReportTests {
    static func solve(_ scenario: String) throws -> (ScenarioSpec, PlanOutcome) {
        let catalog = try HardwareCatalog.load(directory: Fixtures.path("hardware-profiles"))
        let spec = try ScenarioSpec.load(path: Fixtures.path(scenario), catalog: catalog)
        let outcome = try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 8)
        return (spec, outcome)
    }

    /// Every place a page could load something from elsewhere.
    static func externalReferences(_ html: String) -> [String] {
        let patterns = [
            #"(?i)\b(src|href|xlink:href|action|poster|data)\s*=\s*["']?\s*(?!#)[^"'\s>]+"#,  // any non-fragment reference
            #"(?i)@import"#,
            #"(?i)url\(\s*["']?\s*(?!#)"#,                                                 // url(...) other than url(#id)
            #"(?i)<\s*(script|link|iframe|object|embed|img|image|use)\b"#,
        ]
        return patterns.flatMap { p -> [String] in
            let re = try! NSRegularExpression(pattern: p)
            return re.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { String(html[Range($0.range, in: html)!]) }
        }
    }

    @Test func checkerFindsWhatItShould() {
        // The checker itself must be able to fail.
        #expect(!Self.externalReferences(#"<img src="https://x/y.png">"#).isEmpty)
        #expect(!Self.externalReferences(#"<style>@import "x.css";</style>"#).isEmpty)
        #expect(!Self.externalReferences(#"<div style="background:url(http://x)">"#).isEmpty)
        #expect(!Self.externalReferences(#"<a href="http://x">"#).isEmpty)
        #expect(Self.externalReferences(#"<g clip-path="url(#a-area)"><p>see https://example.org</p>"#).isEmpty)
    }

    @Test func chatAssistantReportIsSelfContainedWithPlotsAndWarnings() throws {
        let (spec, outcome) = try Self.solve("scenarios/chat-assistant.yaml")
        let report = PlanHTMLReport(spec: PlanHTMLReport.Inputs(file: spec.file, problem: spec.problem, lawSource: spec.lawSource, lawSampleCount: spec.lawSamples.count), outcome: outcome)
        let html = report.html()
        #expect(Self.externalReferences(html) == [])
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>scaleplan report: chat-assistant</title>"))
        // Two inline charts, each well-formed XML with the frontier's points.
        let svgs = html.components(separatedBy: "<svg ").dropFirst().map { "<svg " + $0.components(separatedBy: "</svg>")[0] + "</svg>" }
        #expect(svgs.count == 2)
        let frontier = try #require(outcome.frontier)
        let (root, error) = XMLTree.parse(svgs[0])
        let chart = try #require(root, "\(String(describing: error))")
        #expect(chart.elements(withClass: "frontier-point").count == frontier.points.count)
        #expect(chart.elements(withClass: "knee").count == 1)
        let (budgetRoot, _) = XMLTree.parse(svgs[1])
        #expect(try #require(budgetRoot).elements(withClass: "month-point").count == 25)
        // Assumptions: the law's citation and hardware figures with their sources.
        #expect(html.contains("arXiv:2203.15556"))
        let h100 = try #require(spec.problem.inference?.options.first { $0.hardware.name == "h100-sxm" }?.hardware)
        #expect(html.contains(XMLTextEscaped(h100.memoryBandwidthTBps.source)))
        // The plan trains 4.6T tokens, far beyond Hoffmann et al.'s 500B: the warning shows, each
        // warning the report carries with its code.
        let kinds = report.warnings.map(\.code)
        #expect(kinds.contains(.extrapolation))
        for code in kinds { #expect(html.contains("Warning (\(code.rawValue))")) }
        // The frontier table has one row per point.
        #expect(html.components(separatedBy: "<tr class=\"knee\">").count == 2)
    }

    @Test func dataRepetitionIsWarned() throws {
        let (spec, outcome) = try Self.solve("scenarios/code-model-data-constrained.yaml")
        let plan = try #require(outcome.recommended)
        let unique = try #require(spec.problem.training.uniqueTokens)
        #expect(PlanWarnings.check(plan, problem: spec.problem).contains { $0.code == .dataRepeated } == (plan.tokens > unique))
        // Independent of the planner's choice: the same plan with more tokens than unique data.
        let repeated = PlanEvaluator.evaluate(spec.problem, params: plan.params, tokens: unique * 3, fleet: plan.fleet)
        #expect(PlanWarnings.check(repeated, problem: spec.problem).first { $0.code == .dataRepeated }?.message.contains("3.00 epochs") == true)
    }

    /// A prefix-cache hit rate shows in the report's inputs, and its warning in the warnings.
    @Test func prefixCacheRateIsShownAndWarned() throws {
        let (spec, outcome) = try Self.solve("Tests/Fixtures/scenarios/prefix-cache.yaml")
        let html = PlanHTMLReport(spec: PlanHTMLReport.Inputs(file: spec.file, problem: spec.problem, lawSource: spec.lawSource,
                                                              lawSampleCount: spec.lawSamples.count), outcome: outcome).html()
        #expect(html.contains("prefix-cache hit rate") && html.contains("70% of prompt tokens"))
        #expect(html.contains("prefix_cache_assumed"))
    }

    @Test func extrapolationNeedsAKnownRange() throws {
        let (spec, outcome) = try Self.solve("scenarios/chat-assistant.yaml")
        let plan = try #require(outcome.recommended)
        #expect(outcome.warnings.contains { $0.code == .extrapolation }, "the preset's range is known and the plan is outside it")
        var unknown = spec.problem
        unknown.fittedRange = nil
        let unranged = PlanEvaluator.evaluate(unknown, params: plan.params, tokens: plan.tokens, fleet: plan.fleet)
        #expect(!PlanWarnings.check(unranged, problem: unknown).contains { $0.code == .extrapolation })
        var wide = spec.problem
        wide.fittedRange = FittedRange(params: 1...1e15, tokens: 1...1e16, source: "test")
        let inside = PlanEvaluator.evaluate(wide, params: plan.params, tokens: plan.tokens, fleet: plan.fleet)
        #expect(!PlanWarnings.check(inside, problem: wide).contains { $0.code == .extrapolation })
        #expect(FittedRange.known(forLawSource: LawPreset.hoffmann2022.citation)?.params.upperBound == 16e9)
        #expect(FittedRange.known(forLawSource: "fitted to runs.csv") == nil)
    }

    @Test func lossBandsComeFromBootstrapLaws() throws {
        let (spec, plain) = try Self.solve("scenarios/chat-assistant.yaml")
        #expect(LossBands.of(try #require(plain.frontier?.points)) == nil)
        // Synthetic samples: the preset law with E shifted by -0.05 ... +0.05; the 5% and 95%
        // nearest-rank quantiles of 11 are the extremes, so each band is loss -/+ 0.05.
        guard case .chinchilla(let base) = spec.problem.law else { Issue.record("expected a chinchilla law"); return }
        let samples = try (0...10).map { k in
            ScalingLaw.chinchilla(try ChinchillaLaw(E: base.E + 0.01 * Double(k - 5), A: base.A, B: base.B, alpha: base.alpha, beta: base.beta))
        }
        var problem = spec.problem
        problem.lossUncertainty = LossUncertainty(samples: samples, confidence: nil)
        let outcome = try PlanOutcome.solve(problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y, points: 6)
        let points = try #require(outcome.frontier?.points)
        let bands = try #require(LossBands.of(points))
        for (p, b) in zip(points, bands) {
            let band = try #require(b)
            #expect(abs(band.lowerBound - (p.loss - 0.05)) < 1e-9 && abs(band.upperBound - (p.loss + 0.05)) < 1e-9)
        }
        let html = PlanHTMLReport(spec: PlanHTMLReport.Inputs(file: spec.file, problem: spec.problem, lawSource: spec.lawSource, lawSampleCount: spec.lawSamples.count), outcome: outcome, lossBands: bands).html()
        let chart = html.components(separatedBy: "<svg ")[1].components(separatedBy: "</svg>")[0]
        let (root, _) = XMLTree.parse("<svg " + chart + "</svg>")
        #expect(try #require(root).elements(withClass: "band").count == 1)
    }

    @Test func fitPlotShowsEveryRunAndTheLaw() throws {
        let runs = (0..<24).map { i -> TrainingRun in
            let n = [1e8, 3e8, 1e9, 3e9][i % 4], d = n * [5.0, 10, 20, 40, 80, 160][i / 4]
            return TrainingRun(params: n, tokens: d, loss: LawPreset.hoffmann2022.law.unsafeLoss(params: n, tokens: d))
        }
        let plot = FitPlot(runs: runs, law: LawPreset.hoffmann2022.law)
        #expect(plot.curveSizes == [1e8, 3e8, 1e9, 3e9])
        let (root, error) = XMLTree.parse(svgFile(plot.svg()))
        let svg = try #require(root, "\(String(describing: error))")
        #expect(svg.elements(withClass: "run-point").count == 24)
        #expect(svg.elements(withClass: "law-curve").count == 4)
        #expect(svg.elements(withClass: "optimum-curve").count == 1)
        let x = svg.elements(withClass: "tick-label").filter { ($0.attributes["class"] ?? "").hasSuffix(" x") }.map(\.text)
        #expect(!x.isEmpty && x.allSatisfy { $0.hasPrefix("1e") })  // decades of FLOP on a log axis
    }
}

/// The text as it appears escaped in HTML.
func XMLTextEscaped(_ s: String) -> String { XMLText.escape(s, quotes: false) }
