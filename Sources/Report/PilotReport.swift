import Diagnostics
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import ScalingLaws
import ValueTree

/// The output of `scaleplan pilot`: the run list (the CSV a cluster scheduler reads) and,
/// in the other formats, what the runs buy at the target.
public struct PilotReport {
    public let design: PilotDesign
    /// Run-name prefix.
    public let name: String
    public let lawSource: String
    public let noiseSource: String
    public let simulation: PilotSimulationResult?
    public let simulationOptions: PilotSimulationOptions?

    public init(design: PilotDesign, name: String, lawSource: String, noiseSource: String,
                simulation: PilotSimulationResult? = nil, simulationOptions: PilotSimulationOptions? = nil) {
        self.design = design
        self.name = name
        self.lawSource = lawSource
        self.noiseSource = noiseSource
        self.simulation = simulation
        self.simulationOptions = simulationOptions
    }

    /// One row per run, replicates expanded: name, params, tokens, tokens_per_param, flops,
    /// replicate (1, 2, ... for repeated (N, D); replicates differ only in their seed).
    public func runRows() -> ReportValue {
        let total = design.runCount
        let width = String(total).count
        var rows: [ReportValue] = []
        var index = 0
        for point in design.points {
            for r in 1...point.replicates {
                index += 1
                let number = String(repeating: "0", count: width - String(index).count) + String(index)
                rows.append(Self.run(point.run, name: "\(name)-\(number)", replicate: r))
            }
        }
        return .list(rows)
    }

    static func run(_ r: PilotRun, name: String?, replicate: Int?) -> ReportValue {
        reportObject([
            ("name", name.map { .string($0) }),
            ("params", .number(r.params)),
            ("tokens", .number(r.tokens)),
            ("tokens_per_param", .number(r.tokensPerParam)),
            ("flops", .number(r.flops)),
            ("replicate", replicate.map { .integer($0) }),
        ])
    }

    /// The whole report. `detailed` adds the baseline grid's runs (for files and pipes).
    public func value(detailed: Bool) -> ReportValue {
        let d = design, p = design.precision, problem = design.problem
        let loss = p.lossInterval(), nOpt = p.optimalParamsInterval(), dOpt = p.optimalTokensInterval()
        var pairs: [(String, ReportValue?)] = [
            ("name", .string(name)),
            ("law", LawReport.law(problem.law)),
            ("law_source", .string(lawSource)),
            ("target", reportObject([
                ("params", .number(d.target.params)),
                ("tokens", .number(d.target.tokens)),
                ("tokens_per_param", .number(d.target.tokensPerParam)),
                ("compute", .number(d.target.flops)),
                ("given_as", .string(Self.isComputeTarget(problem.target) ? "compute" : "run")),
            ])),
            ("budget_flops", .number(problem.budget)),
            ("max_runs", .integer(problem.maxRuns)),
            ("max_replicates", problem.maxReplicates.map { .integer($0) }),
            ("noise_sigma_log", .number(problem.sigma)),
            ("noise_source", .string(noiseSource)),
            ("criterion", .string(problem.criterion.rawValue)),
            ("identifiability_weight", problem.criterion == .d ? nil : .number(problem.identifiabilityWeight)),
            ("design", reportObject([
                ("runs", .integer(d.runCount)),
                ("distinct_runs", .integer(d.points.count)),
                ("flops", .number(d.totalFLOPs)),
                ("budget_used", .number(d.totalFLOPs / problem.budget)),
                ("candidates", .integer(d.candidatesConsidered)),
                ("efficiency_lower_bound", .number(d.efficiencyLowerBound)),
            ])),
            ("prediction", reportObject([
                ("loss", .number(p.loss)),
                ("sigma_log", .number(p.sigmaLogLoss)),
                ("loss_low", .number(loss.lowerBound)),
                ("loss_high", .number(loss.upperBound)),
                ("confidence", .number(0.95)),
            ])),
            ("compute_optimal", reportObject([
                ("compute", .number(d.target.flops)),
                ("params", .number(p.optimalParams)),
                ("params_low", .number(nOpt.lowerBound)),
                ("params_high", .number(nOpt.upperBound)),
                ("tokens", .number(p.optimalTokens)),
                ("tokens_low", .number(dOpt.lowerBound)),
                ("tokens_high", .number(dOpt.upperBound)),
                ("sigma_log", .number(p.sigmaLogOptimum)),
            ])),
            ("baseline", baseline(detailed: detailed)),
        ]
        if let s = simulation { pairs.append(("simulation", simulationValue(s))) }
        pairs.append(("runs", runRows()))
        return reportObject(pairs)
    }

    static func isComputeTarget(_ t: PilotTarget) -> Bool {
        if case .compute = t { return true }
        return false
    }

    func baseline(detailed: Bool) -> ReportValue {
        let b = design.baseline
        var pairs: [(String, ReportValue?)] = [
            ("design", .string("IsoFLOP grid: \(PilotBaseline.levels) compute levels a factor 10 apart x \(PilotBaseline.sizes) model sizes a factor 2 apart around N*")),
            ("runs", .integer(b.runs.count)),
            ("flops", .number(b.runs.reduce(0) { $0 + $1.flops })),
        ]
        if let bp = b.precision {
            let interval = bp.lossInterval()
            pairs += [
                ("sigma_log", .number(bp.sigmaLogLoss)),
                ("loss_low", .number(interval.lowerBound)),
                ("loss_high", .number(interval.upperBound)),
                ("width_ratio", .number(bp.sigmaLogLoss / design.precision.sigmaLogLoss)),
                ("params_sigma_log", .number(bp.sigmaLogOptimum)),
            ]
        } else {
            pairs.append(("sigma_log", .null))
        }
        if detailed { pairs.append(("grid", .list(b.runs.map { Self.run($0, name: nil, replicate: nil) }))) }
        return reportObject(pairs)
    }

    func simulationValue(_ s: PilotSimulationResult) -> ReportValue {
        reportObject([
            ("repetitions", .integer(s.repetitions)),
            ("seed", simulationOptions.map { .integer(Int(truncatingIfNeeded: $0.seed)) }),
            ("fit", simulationOptions.map { .string($0.fit.rawValue) }),
            ("failed", .integer(s.failures)),
            ("loss_coverage", .number(s.lossCoverage)),
            ("params_coverage", .number(s.optimumCoverage)),
            ("mean_sigma_log", .number(s.meanSigmaLogLoss)),
            ("rms_error_log", .number(s.rmsErrorLogLoss)),
        ])
    }
}
