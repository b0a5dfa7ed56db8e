import ArgumentParser
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import Report
import ScalingLaws
import Scenario

extension DesignCriterion: ExpressibleByArgument {}
extension PilotSimulationFit: ExpressibleByArgument {}

/// `scaleplan pilot`: design the small runs to train before a big one.
struct Pilot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Design pilot runs (N, D) within a FLOP budget that best pin down the loss at a target run.",
        discussion: """
            A locally optimal design for the nominal law: the runs minimise the variance of the \
            predicted ln L at the target (criterion c, with a small D-optimal weight so every \
            parameter is identifiable), of ln N* (optimum), or the volume of the parameters' \
            confidence region (d), from the Fisher information of a least-squares fit with \
            Gaussian ln L noise sigma. See docs/PILOT.md. CSV output (-o runs.csv) is the run \
            list for a scheduler; the other formats add the 95% intervals at the target and a \
            comparison with an IsoFLOP grid of the same budget.

            Flags override the file's settings. Examples:
              scaleplan pilot scenarios/pilot-7b.yaml
              scaleplan pilot --preset hoffmann2022 --params 7B --tokens 140B \\
                --budget-fraction 0.01 --sigma 0.01 -o runs.csv
            """)

    @Argument(help: "Pilot file (YAML) with 'law' and 'pilot' sections; optional when flags give everything.")
    var file: String?

    @Option(help: "Nominal law: a published preset (\(LawPreset.all.map(\.name).joined(separator: ", "))).",
            completion: .list(LawPreset.all.map(\.name)))
    var preset: String?

    @Option(help: "Nominal law: a law file (YAML or JSON).")
    var law: String?

    @Option(help: "Target training compute C in FLOP; the target run is the law's compute-optimal (N*, D*).")
    var compute: PositiveNumber?

    @Option(help: "Target model size N (with --tokens).")
    var params: PositiveNumber?

    @Option(help: "Target training tokens D (with --params).")
    var tokens: PositiveNumber?

    @Option(help: "Pilot budget in FLOP (6ND summed over the runs).")
    var budget: PositiveNumber?

    @Option(help: "Pilot budget as a fraction of the target's compute (0 to 1).")
    var budgetFraction: Double?

    @Option(help: "Most pilot runs (default \(PilotSettings.defaultMaxRuns)).")
    var maxRuns: Int?

    @Option(help: "Most runs at the same (N, D), differing only in their seed (default: no cap).")
    var maxReplicates: Int?

    @Option(help: "Noise: standard deviation of ln L residuals (0.01 is about 1% of the loss).")
    var sigma: Double?

    @Option(help: "Noise from data: a CSV of runs (params, tokens, loss) to fit, or a law file written by `scaleplan fit`.")
    var noiseFrom: String?

    @Option(help: "Criterion: c (loss at the target), optimum (N* at its compute) or d (all parameters).")
    var criterion: DesignCriterion?

    @Option(help: "Weight of the D-optimal term in the c and optimum criteria, strictly between 0 and 1 (default 0.1).")
    var identifiabilityWeight: Double?

    @Option(help: "Smallest pilot model size (default 10M).")
    var minParams: PositiveNumber?

    @Option(help: "Largest pilot model size (default: the target's).")
    var maxParams: PositiveNumber?

    @Option(help: "Smallest tokens per parameter (default 1).")
    var minTokensPerParam: PositiveNumber?

    @Option(help: "Largest tokens per parameter (default 1000).")
    var maxTokensPerParam: PositiveNumber?

    @Option(help: "Candidate grid points per factor of 10 (1 to 100, default 8).")
    var pointsPerDecade: Int?

    @Option(help: "Prefix of the run names (default: the file's name, else 'pilot').")
    var name: String?

    @Option(help: "Check the design by simulating this many pilots (draw, refit, test the 95% intervals); a multi-start refit takes about 0.2 s of CPU.")
    var simulate: Int?

    @Option(help: "Seed of the simulation.")
    var seed: UInt64?

    @Option(help: "How simulated pilots are fitted: multi-start (as `fit`) or warm-start (from the true law; faster).")
    var simulationFit: PilotSimulationFit?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if preset != nil && law != nil { throw ValidationError("Give --preset or --law, not both.") }
        if let preset, LawPreset.named(preset) == nil {
            throw ValidationError("Unknown preset '\(preset)'; expected one of \(LawPreset.all.map(\.name).joined(separator: ", ")).")
        }
        if compute != nil && (params != nil || tokens != nil) { throw ValidationError("Give --compute, or --params with --tokens, not both.") }
        if (params == nil) != (tokens == nil) { throw ValidationError("Give --params and --tokens together.") }
        if budget != nil && budgetFraction != nil { throw ValidationError("Give --budget or --budget-fraction, not both.") }
        if let f = budgetFraction, !(f > 0 && f <= 1) { throw ValidationError("--budget-fraction must be greater than 0 and at most 1.") }
        if sigma != nil && noiseFrom != nil { throw ValidationError("Give --sigma or --noise-from, not both.") }
        if let s = sigma, !(s > 0 && s <= 1) { throw ValidationError("--sigma must be greater than 0 and at most 1.") }
        if let r = maxRuns, !(1...PilotProblem.maximumRuns).contains(r) { throw ValidationError("--max-runs must be from 1 to \(PilotProblem.maximumRuns).") }
        if let r = maxReplicates, !(1...PilotProblem.maximumRuns).contains(r) { throw ValidationError("--max-replicates must be from 1 to \(PilotProblem.maximumRuns).") }
        if let w = identifiabilityWeight, !(w > 0 && w < 1) { throw ValidationError("--identifiability-weight must be strictly between 0 and 1.") }
        if let p = pointsPerDecade, !(1...100).contains(p) { throw ValidationError("--points-per-decade must be from 1 to 100.") }
        if let n = simulate, !(1...PilotSimulationOptions.maximumRepetitions).contains(n) {
            throw ValidationError("--simulate must be from 1 to \(PilotSimulationOptions.maximumRepetitions).")
        }
    }

    func run() throws {
        var settings = try file.map { path throws(InputError) in try PilotSpec.load(path: path) } ?? PilotSettings()
        settings = settings.overridden(by: try flags(base: settings))
        let resolved = try settings.resolve()
        let design = try PilotDesigner.design(resolved.problem)
        var simulation: PilotSimulationResult?
        if let options = resolved.simulation {
            simulation = try PilotSimulation.run(truth: resolved.problem.law, runs: design.runs, sigma: resolved.problem.sigma,
                                                 target: design.target, options: options)
        }
        let report = PilotReport(design: design, name: resolved.name, lawSource: resolved.lawSource, noiseSource: resolved.noiseSource,
                                 simulation: simulation, simulationOptions: resolved.simulation)
        let format = output.resolvedFormat
        let inputs = [file, law, noiseFrom].compactMap { $0 }
        // The target is a forecast of the prior law: say so where it lies outside the range that
        // law was fitted on (the pilot runs are there to replace that forecast).
        let range: FittedRange? = if let preset { FittedRange.known(forPreset: preset) }
            else if let law { try LawFile.load(path: law).fittedRange }
            else { FittedRange.known(forLawSource: resolved.lawSource) }
        let warnings = [range?.extrapolationWarning(params: design.target.params, tokens: design.target.tokens, subject: "the target")].compactMap { $0 }
        try output.emit(format == .csv ? report.runRows() : report.value(detailed: format != .table), warnings: warnings, inputs: inputs, format: format)
    }

    /// The settings the flags give (ranges and simulation options complete the file's).
    func flags(base: PilotSettings) throws -> PilotSettings {
        var s = PilotSettings()
        s.name = name
        if let preset, let p = LawPreset.named(preset) { s.law = p.law; s.lawSource = p.citation }
        if let law {
            let loaded = try LawFile.load(path: law)
            s.law = loaded.law
            s.lawSource = loaded.source
        }
        if let compute { s.target = .compute(compute.value) }
        if let params, let tokens { s.target = .run(params: params.value, tokens: tokens.value) }
        if let budget { s.budget = .flops(budget.value) }
        if let budgetFraction { s.budget = .fraction(budgetFraction) }
        s.maxRuns = maxRuns
        s.maxReplicates = maxReplicates
        if let sigma { s.noise = .sigma(sigma) }
        if let noiseFrom {
            s.noise = noiseFrom.lowercased().hasSuffix(".csv") ? .fit(path: noiseFrom, columns: RunColumns(), dropHighestLoss: 0) : .lawFile(path: noiseFrom)
        }
        s.criterion = criterion
        s.identifiabilityWeight = identifiabilityWeight
        if minParams != nil || maxParams != nil {
            let lo = minParams?.value ?? base.params?.lowerBound ?? PilotCandidateRanges.defaultMinimumParams
            guard let hi = maxParams?.value ?? base.params?.upperBound else {
                throw CLIFailure.badInput("--min-params needs --max-params when the file gives no 'candidates.params' range")
            }
            guard lo < hi else { throw CLIFailure.badInput("the model-size range is empty: --min-params \(lo) is not below \(hi)") }
            s.params = lo...hi
        }
        if minTokensPerParam != nil || maxTokensPerParam != nil {
            let current = base.tokensPerParam ?? PilotCandidateRanges.defaultTokensPerParam
            let lo = minTokensPerParam?.value ?? current.lowerBound, hi = maxTokensPerParam?.value ?? current.upperBound
            guard lo < hi else { throw CLIFailure.badInput("the tokens-per-parameter range is empty: \(lo) is not below \(hi)") }
            s.tokensPerParam = lo...hi
        }
        s.pointsPerDecade = pointsPerDecade
        if (seed != nil || simulationFit != nil), simulate == nil, base.simulation == nil {
            throw CLIFailure.badInput("--seed and --simulation-fit go with --simulate (or a 'pilot.simulate' section)")
        }
        if simulate != nil || seed != nil || simulationFit != nil {
            var o = base.simulation ?? PilotSimulationOptions()
            if let simulate { o.repetitions = simulate }
            if let seed { o.seed = seed }
            if let simulationFit { o.fit = simulationFit }
            s.simulation = o
        }
        return s
    }
}
