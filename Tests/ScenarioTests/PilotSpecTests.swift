import ExperimentDesign
import FileIO
import Foundation
import ScalingLaws
import Scenario
import Testing
import TestSupport

/// Pilot files: the example decodes to the intended problem, flags override it, noise
/// sources resolve, and bad files get one located sentence.
@Suite("Pilot files")
struct PilotSpecTests {
    func decode(_ text: String, file: String = "p.yaml") throws(InputError) -> PilotSettings {
        try PilotSpec.decode(try YAMLValue.parse(text, file: file))
    }

    static let minimal = "law: { preset: hoffmann2022 }\npilot:\n  target: { compute: 1e22 }\n  budget: 1e20\n  noise: 0.01\n"

    @Test func minimalFileResolvesWithDefaults() throws {
        let r = try decode(Self.minimal).resolve()
        #expect(r.problem.target == .compute(1e22))
        #expect(r.problem.budget == 1e20)
        #expect(r.problem.sigma == 0.01)
        #expect(r.problem.maxRuns == PilotSettings.defaultMaxRuns && r.problem.maxReplicates == nil)
        #expect(r.problem.criterion == .c && r.problem.identifiabilityWeight == PilotProblem.defaultIdentifiabilityWeight)
        #expect(r.problem.candidates == PilotCandidateRanges())
        #expect(r.name == "p" && r.noiseSource == "given" && r.simulation == nil)
    }

    /// scenarios/pilot-*.yaml decode, and the 7B example means what its comment says.
    @Test func theExamplesDecode() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("scenarios")).filter { $0.hasPrefix("pilot-") && $0.hasSuffix(".yaml") }
        #expect(!files.isEmpty)
        for f in files { _ = try PilotSpec.load(path: Fixtures.path("scenarios/\(f)")).resolve() }

        let path = Fixtures.path("scenarios/pilot-7b.yaml")
        let r = try PilotSpec.load(path: path).resolve()
        #expect(r.name == "pilot-7b")
        #expect(r.problem.law == LawPreset.epoch2024.law)
        #expect(r.problem.target == .run(params: 7e9, tokens: 1.4e11))
        #expect(relativeDifference(r.problem.budget, 0.01 * 6 * 7e9 * 1.4e11) < 1e-15)
        #expect(r.problem.maxRuns == 20)
        #expect(r.problem.candidates.params == 1e7...7e9 && r.problem.candidates.tokensPerParam == 1...1000)
        // The noise is the residual sd of a least-squares fit to the same runs, done here directly.
        let runs = try RunTable.load(path: Fixtures.path("data/epoch-chinchilla.csv"),
                                     columns: RunColumns(params: "Model Size", tokens: nil, compute: "Training FLOP", loss: "loss"),
                                     dropHighestLoss: 5)
        let fit = try LawFitter.fit(runs, options: FitOptions(huberDelta: PilotSimulation.leastSquaresDelta))
        #expect(r.problem.sigma == (try PilotNoise.fromFit(fit)))
        #expect(r.problem.sigma > 0.005 && r.problem.sigma < 0.01)
        #expect(r.noiseSource.contains("240 runs"))
    }

    @Test func flagsOverrideTheFile() throws {
        var flags = PilotSettings()
        flags.budget = .fraction(0.05)
        flags.noise = .sigma(0.02)
        flags.maxRuns = 8
        flags.law = LawPreset.epoch2024.law
        flags.lawSource = "flag"
        let r = try decode(Self.minimal).overridden(by: flags).resolve()
        #expect(r.problem.budget == 0.05 * 1e22)
        #expect(r.problem.sigma == 0.02 && r.problem.maxRuns == 8)
        #expect(r.problem.law == LawPreset.epoch2024.law && r.lawSource == "flag")
        #expect(r.problem.target == .compute(1e22))
    }

    @Test func missingPiecesAreNamed() {
        var s = PilotSettings()
        s.law = LawPreset.hoffmann2022.law
        #expect(throws: InputError(file: "scaleplan pilot", "no target: give 'pilot.target' or --compute, or --params with --tokens")) {
            try s.resolve()
        }
        s.target = .compute(1e22)
        s.budget = .flops(1e20)
        do { _ = try s.resolve(); Issue.record("expected a missing-noise error") } catch {
            #expect(error.message.hasPrefix("no noise level"))
        }
    }

    /// Noise from a law file written by `scaleplan fit`: its residuals, or its rmse and run count.
    @Test func noiseFromALawFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-pilot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let law = "form: chinchilla\nparameters: { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 }\nrows_used: 6\n"
        try (law + "fit_quality:\n  rmse_log: 0.3\n  residuals_log: [0.1, -0.2, 0.3, -0.4, 0.5, -0.6]\n")
            .write(to: dir.appendingPathComponent("residuals.yaml"), atomically: true, encoding: .utf8)
        try (law + "fit_quality: { rmse_log: 0.389444, max_abs_residual_log: 0.6 }\n")
            .write(to: dir.appendingPathComponent("rmse.yaml"), atomically: true, encoding: .utf8)
        try law.write(to: dir.appendingPathComponent("bare.yaml"), atomically: true, encoding: .utf8)
        let pilot = "law: { file: residuals.yaml }\npilot:\n  target: { compute: 1e22 }\n  budget: 1e20\n  noise: { law_file: %@ }\n"
        for (file, sigma) in [("residuals.yaml", 0.91.squareRoot()), ("rmse.yaml", 0.389444 * 6.0.squareRoot())] {
            let path = dir.appendingPathComponent("p.yaml").path
            try String(format: pilot, file).write(toFile: path, atomically: true, encoding: .utf8)
            let r = try PilotSpec.load(path: path).resolve()
            #expect(abs(r.problem.sigma - sigma) < 1e-12, "\(file): \(r.problem.sigma)")
            #expect(r.problem.law == (try ScalingLaw(form: .chinchilla, parameters: ["E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28])))
        }
        let path = dir.appendingPathComponent("p.yaml").path
        try String(format: pilot, "bare.yaml").write(toFile: path, atomically: true, encoding: .utf8)
        do { _ = try PilotSpec.load(path: path).resolve(); Issue.record("expected an error") } catch {
            #expect(error.file.hasSuffix("bare.yaml") && error.line == 1 && error.message.contains("records no fit residuals"), "\(error)")
        }
    }

    @Test(arguments: [
        ("law: { preset: hoffmann2022 }\npilot:\n  target: { compute: 1e22 }\n  budjet: 1e20\n  noise: 0.01\n", 4, 3,
         "unknown key 'budjet' in 'pilot' (did you mean 'budget'?)"),
        ("law: { preset: hoffmann2022 }\npilot:\n  target: { compute: 1e22 }\n  budget: 1e20\n  budget_fraction: 0.01\n  noise: 0.01\n", 5, 20,
         "give one of 'budget' (FLOP) or 'budget_fraction', not both"),
        ("law: { preset: hoffmann2022 }\npilot:\n  target: { compute: 1e22 }\n  budget_fraction: 2\n  noise: 0.01\n", 4, 20, "at most 1; found 2"),
        ("law: { preset: hoffmann2022 }\npilot:\n  target: { compute: 1e22 }\n  budget: 1e20\n  noise: -0.1\n", 5, 10, "must be greater than 0"),
        ("law: { preset: hoffmann2022 }\npilot:\n  target: { compute: 1e22 }\n  budget: 1e20\n  noise: { sigma: 0.01, fit: r.csv }\n", 5, 10,
         "give one of 'sigma', 'fit' or 'law_file' in 'noise', found sigma and fit"),
        ("law: { preset: hoffmann2022 }\npilot:\n  target: { compute: 1e22 }\n  budget: 1e20\n  noise: { sigma: 0.01, loss_column: l }\n", 5, 38,
         "'loss_column' goes with 'fit' in 'noise'"),
        ("law: { preset: hoffmann2022 }\npilot:\n  target: { params: 7B }\n  budget: 1e20\n  noise: 0.01\n", 3, 11, "give the target as 'compute', or as 'params' with 'tokens'"),
        ("law: { preset: muennighoff2023-c4 }\npilot:\n  target: { compute: 1e22 }\n  budget: 1e20\n  noise: 0.01\n", 1, 6, "not data-constrained"),
        ("law: { preset: hoffmann2022 }\npilot:\n  target: { compute: 1e22 }\n  budget: 1e20\n  noise: 0.01\n  criterion: e\n", 6, 14, "'pilot.criterion' is 'e'"),
        ("law: { preset: hoffmann2022 }\npilot:\n  target: { compute: 1e22 }\n  budget: 1e20\n  noise: 0.01\n  identifiability_weight: 1\n", 6, 27,
         "strictly between 0 and 1"),
        ("law: { preset: hoffmann2022 }\npilot:\n  target: { compute: 1e22 }\n  budget: 1e20\n  noise: 0.01\n  candidates: { params: [1B, 10M] }\n", 6, 25,
         "a range needs low < high"),
        ("law: { preset: hoffmann2022 }\npilot:\n  target: { compute: 1e22 }\n  budget: 1e20\n  noise: 0.01\n  max_runs: 0\n", 6, 13, "whole number from 1 to 1000"),
        ("law: { preset: hoffmann2022 }\n", 1, 1, "missing the required key 'pilot'"),
        ("scenario: x\nlaw: { preset: hoffmann2022 }\npilot: {}\n", 1, 1, "unknown key 'scenario' in the document"),
    ])
    func badFilesAreLocated(text: String, line: Int, column: Int, fragment: String) {
        do {
            _ = try decode(text)
            Issue.record("expected an error containing \(fragment)")
        } catch {
            #expect(error.file == "p.yaml" && error.line == line && error.column == column, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        }
    }
}
