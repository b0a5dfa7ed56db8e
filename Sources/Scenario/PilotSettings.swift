import ExperimentDesign
import FileIO
import Foundation
import Numerics
import ScalingLaws

/// The pilot budget: absolute, or a fraction of the target's training compute.
public enum PilotBudget: Equatable, Sendable {
    /// FLOP.
    case flops(Double)
    /// Of the target's compute (C, or 6 N D).
    case fraction(Double)
}

/// Where the noise sigma (standard deviation of ln L residuals) comes from.
public enum PilotNoiseSource: Sendable {
    /// A value given by the user.
    case sigma(Double)
    /// Fit the nominal law's family by least squares to runs in a CSV file, and take
    /// sqrt(SSR / (n - p)) of its residuals.
    case fit(path: String, columns: RunColumns, dropHighestLoss: Int)
    /// A law file written by `scaleplan fit`: its `fit_quality.residuals_log`, or
    /// `rmse_log` with `rows_used`.
    case lawFile(path: String)
}

/// Everything `scaleplan pilot` needs, each piece optional so that a file and command-line
/// flags can be merged (flags win) before the problem is built.
public struct PilotSettings: Sendable {
    /// Prefix of the run names.
    public var name: String?
    public var law: ScalingLaw?
    /// Where the law came from (citation, file), for the report.
    public var lawSource: String?
    public var target: PilotTarget?
    public var budget: PilotBudget?
    public var maxRuns: Int?
    public var maxReplicates: Int?
    public var noise: PilotNoiseSource?
    public var criterion: DesignCriterion?
    public var identifiabilityWeight: Double?
    public var params: ClosedRange<Double>?
    public var tokensPerParam: ClosedRange<Double>?
    public var pointsPerDecade: Int?
    /// Run a coverage simulation of the design.
    public var simulation: PilotSimulationOptions?
    /// The file the settings came from, for messages.
    public var file: String?

    public init() {}

    /// These settings with every piece `other` sets replacing this one's.
    public func overridden(by other: PilotSettings) -> PilotSettings {
        var s = self
        if let v = other.name { s.name = v }
        if let v = other.law { s.law = v; s.lawSource = other.lawSource }
        if let v = other.target { s.target = v }
        if let v = other.budget { s.budget = v }
        if let v = other.maxRuns { s.maxRuns = v }
        if let v = other.maxReplicates { s.maxReplicates = v }
        if let v = other.noise { s.noise = v }
        if let v = other.criterion { s.criterion = v }
        if let v = other.identifiabilityWeight { s.identifiabilityWeight = v }
        if let v = other.params { s.params = v }
        if let v = other.tokensPerParam { s.tokensPerParam = v }
        if let v = other.pointsPerDecade { s.pointsPerDecade = v }
        if let v = other.simulation { s.simulation = v }
        return s
    }

    /// The default maximum number of pilot runs.
    public static let defaultMaxRuns = 20

    /// A complete, checked pilot problem with what the report says about its inputs.
    public struct Resolved: Sendable {
        public let problem: PilotProblem
        public let name: String
        public let lawSource: String
        /// How sigma was obtained, in words.
        public let noiseSource: String
        public let simulation: PilotSimulationOptions?
    }

    /// Builds the problem: loads and fits noise sources, turns a budget fraction into FLOPs.
    ///
    /// - Throws: `InputError` naming what is missing (`label` names the command when no file
    ///   was read), or the file and line of a bad noise source.
    public func resolve(label: String = "scaleplan pilot") throws(InputError) -> Resolved {
        let at = file ?? label
        guard let law else { throw InputError(file: at, "no law: give a 'law' section or --preset / --law") }
        guard let target else { throw InputError(file: at, "no target: give 'pilot.target' or --compute, or --params with --tokens") }
        guard let budget else { throw InputError(file: at, "no pilot budget: give 'pilot.budget' or 'pilot.budget_fraction', or --budget / --budget-fraction") }
        guard let noise else { throw InputError(file: at, "no noise level: give 'pilot.noise' or --sigma / --noise-from") }
        let targetCompute: Double
        switch target {
        case .compute(let c): targetCompute = c
        case .run(let n, let d): targetCompute = trainingFLOPs(params: n, tokens: d)
        }
        let flops: Double
        switch budget {
        case .flops(let f): flops = f
        case .fraction(let f): flops = f * targetCompute
        }
        let (sigma, noiseText) = try Self.sigma(noise, form: law.form)
        var ranges = PilotCandidateRanges(params: params)
        if let t = tokensPerParam { ranges.tokensPerParam = t }
        if let p = pointsPerDecade { ranges.pointsPerDecade = p }
        let problem = PilotProblem(
            law: law, target: target, budget: flops, maxRuns: maxRuns ?? Self.defaultMaxRuns, maxReplicates: maxReplicates, sigma: sigma,
            criterion: criterion ?? .c, identifiabilityWeight: identifiabilityWeight ?? PilotProblem.defaultIdentifiabilityWeight,
            candidates: ranges)
        let fallbackName = file.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension } ?? "pilot"
        return Resolved(problem: problem, name: name ?? fallbackName, lawSource: lawSource ?? "given", noiseSource: noiseText, simulation: simulation)
    }

    /// Sigma and a sentence on where it came from.
    static func sigma(_ source: PilotNoiseSource, form: LawForm) throws(InputError) -> (Double, String) {
        switch source {
        case .sigma(let s):
            return (s, "given")
        case .fit(let path, let columns, let drop):
            let runs = try RunTable.load(path: path, columns: columns, dropHighestLoss: drop)
            do {
                let fit = try LawFitter.fit(runs, options: FitOptions(form: form, huberDelta: PilotSimulation.leastSquaresDelta))
                let s = try PilotNoise.fromFit(fit)
                return (s, "residuals of a least-squares \(form.rawValue) fit to \(path) (\(runs.count) runs): sqrt(SSR / (n - p))")
            } catch {
                throw InputError(file: path, "cannot estimate the noise from these runs: \(error)")
            }
        case .lawFile(let path):
            return try PilotSpec.noise(fromLawFile: path)
        }
    }
}
