import Downscale
import ExperimentDesign
import FileIO
import Foundation
import Hardware
import Numerics
import PlanModel
import PlanSolver
import Report
import ScalingLaws
import Scenario
import ValueTree

/// What one case did, and what was wrong with it.
public struct FuzzResult: Sendable {
    /// The exit code the CLI gives: 0 success, 1 no solution, 2 bad input.
    public let exitCode: Int32
    /// The line the CLI prints on standard error (nil on success).
    public let errorLine: String?
    /// Broken invariants, one sentence each; empty when the case passes.
    public let problems: [String]
    /// Wall-clock seconds the case took in-process.
    public let seconds: Double
}

/// Runs mutated inputs through the same library calls the CLI makes, in-process, and checks
/// the invariants: every failure is a typed error that `FailureReport` renders as one line,
/// every printed number is finite, and every optimal plan passes `PlanCheck`.
///
/// A runner writes its case to one scratch file, so use one runner per thread.
public final class FuzzRunner: @unchecked Sendable {
    /// How much work a case may do.
    public struct Budget: Sendable {
        /// Frontier points per scenario (as `--points`).
        public var frontierPoints: Int
        /// Fit starts per axis of the law's start grid (3 of the 5 to 9 the CLI uses).
        public var startsPerAxis: Int
        public init(frontierPoints: Int = 4, startsPerAxis: Int = 3) {
            self.frontierPoints = frontierPoints
            self.startsPerAxis = startsPerAxis
        }
    }

    public let budget: Budget
    let catalog: HardwareCatalog
    let calibrationProfile: HardwareProfile
    let scratch: String

    /// - Parameters:
    ///   - profiles: the hardware profile directory scenarios resolve names against.
    ///   - scratch: a directory for the case files.
    public init(profiles: String, scratch: String, budget: Budget = Budget()) throws(InputError) {
        catalog = try HardwareCatalog.load(directory: profiles)
        calibrationProfile = try catalog.profile(named: "h100-sxm")
        self.scratch = scratch
        self.budget = budget
    }

    /// The path a case of `kind` is written to.
    public func path(for kind: FuzzKind) -> String {
        (scratch as NSString).appendingPathComponent("case.\(kind.fileExtension)")
    }

    /// The CLI arguments that read the case file the way `run` does (for cross-checks).
    public func arguments(for kind: FuzzKind, seedName: String) -> [String] {
        let file = path(for: kind)
        switch kind {
        case .scenario: return ["evaluate", file, "--points", "\(budget.frontierPoints)", "--format", "json"]
        case .law: return ["law", "optimum", "--law", file, "--compute", "5.76e23", "--format", "json"]
        case .hardware: return ["estimate", "--hardware", file, "--params", "8B", "--batch", "8", "--prompt-tokens", "512",
                                "--output-tokens", "128", "--format", "json"]
        case .runs: return ["fit", file, "--holdout-fraction", "0", "--format", "json"] + Self.fitArguments(seedName)
        case .measurements: return ["calibrate", "--hardware", "h100-sxm", file, "--format", "json"]
        }
    }

    static func fitArguments(_ seedName: String) -> [String] {
        seedName.contains("unique") ? ["--form", "data-constrained", "--unique-tokens-column", "unique"] : []
    }

    /// Writes `bytes` as a case of `kind` and runs it.
    public func run(_ bytes: [UInt8], kind: FuzzKind, seedName: String) -> FuzzResult {
        let file = path(for: kind)
        try? Data(bytes).write(to: URL(fileURLWithPath: file))
        let start = Date()
        var problems: [String] = []
        var exitCode: Int32 = 0
        var line: String?
        do {
            switch kind {
            case .scenario:
                (exitCode, problems) = try scenario(file)
                if exitCode == 2 {
                    line = FailureReport.line("\(file) has no 'objectives' (it only asks a downscaling question): run `scaleplan downscale \(file)`, or add objectives")
                }
            case .law: problems = try law(file)
            case .hardware: problems = try hardware(file)
            case .runs: problems = try runs(file, seedName: seedName)
            case .measurements: problems = try measurements(file)
            }
            if exitCode == 1 { line = FailureReport.line("\(file): no plan meets every constraint") }
        } catch {
            if let (code, message) = FailureReport.describe(error) {
                exitCode = code
                line = FailureReport.line(message)
                problems += Self.messageProblems(message, error: error, bytes: bytes)
            } else {
                exitCode = 2
                problems.append("an untyped error escaped: \(type(of: error)): \(error)")
            }
        }
        return FuzzResult(exitCode: exitCode, errorLine: line, problems: problems, seconds: Date().timeIntervalSince(start))
    }

    /// A message must be one sentence: no line breaks, no Swift debug text, a location inside the file.
    static func messageProblems(_ message: String, error: Error, bytes: [UInt8]) -> [String] {
        var out: [String] = []
        if message.isEmpty { out.append("an empty error message") }
        if message.contains("\n") { out.append("a message with a line break: \(message.debugDescription)") }
        if message.contains("Optional(") { out.append("a message with Swift debug text: \(message)") }
        if message.utf8.count > 800 { out.append("a message of \(message.utf8.count) bytes") }
        if let e = error as? InputError, let l = e.line {
            // Line breaks are LF, CR LF or a lone CR (as YAML counts them).
            let lines = 1 + bytes.indices.filter { bytes[$0] == 0x0A ? ($0 == 0 || bytes[$0 - 1] != 0x0D) : bytes[$0] == 0x0D }.count
            if l < 1 || l > lines + 1 { out.append("the error points at line \(l) of a \(lines)-line file") }
            if let c = e.column, c < 1 { out.append("the error points at column \(c)") }
        }
        return out
    }

    // MARK: The commands

    private func scenario(_ file: String) throws -> (Int32, [String]) {
        let spec = try ScenarioSpec.load(path: file, catalog: catalog)
        // As `evaluate` refuses it (ScenarioInput.load): a downscale-only scenario plans nothing.
        guard !spec.problem.objectives.isEmpty else { return (2, []) }
        let outcome = try PlanOutcome.solve(spec.problem, frontierX: spec.frontier.x, frontierY: spec.frontier.y,
                                            points: min(spec.frontier.points, budget.frontierPoints))
        let value = PlanReport.outcome(outcome, scenario: spec.problem.name, problem: spec.problem, lawSource: spec.lawSource)
        var problems = Self.nonFinite(value, ignoring: ["ttft_ms", "tpot_ms", "latency_ms", "needed"])
        problems += PlanCheck.problems(outcome, spec.problem)
        problems += Self.rendering(value)
        return (outcome.status == .infeasible ? 1 : 0, problems)
    }

    private func law(_ file: String) throws -> [String] {
        let loaded = try LawFile.load(path: file)
        let a = try loaded.law.computeOptimal(compute: 5.76e23)
        let loss = try loaded.law.loss(params: 7e10, tokens: 1.4e12)
        return Self.nonFinite(LawReport.allocation(a), ignoring: []) + (loss.isFinite ? [] : ["the predicted loss is \(loss)"])
    }

    private func hardware(_ file: String) throws -> [String] {
        let profile = try HardwareProfile.load(path: file)
        let workload = ServingWorkload(shape: try ModelShape.llama(parameters: 8e9), parameters: 8e9, precision: .bf16,
                                       batch: 8, promptTokens: 512, outputTokens: 128, devices: 1)
        let e = try ServingEstimate(profile: profile, workload: workload)
        _ = try BatchSearch.largestBatch(profile: profile, workload: workload)
        let numbers = [("ttft", e.ttftSeconds), ("tpot", e.tpotSeconds), ("J/token", e.joulesPerToken),
                       ("USD/M tokens", e.usdPerMillionTokens), ("tokens/s", e.tokensPerSecond)]
        return numbers.filter { !$0.1.isFinite || $0.1 < 0 }.map { "the estimate's \($0.0) is \($0.1)" }
    }

    private func runs(_ file: String, seedName: String) throws -> [String] {
        let unique = seedName.contains("unique")
        let runs = try RunTable.load(path: file, columns: RunColumns(uniqueTokens: unique ? "unique" : nil))
        let form: LawForm = unique ? .dataConstrained : .chinchilla
        let grid = StartGrid.default(for: form)
        let coarse = StartGrid(axes: grid.axes.map { axis in
            (0..<budget.startsPerAxis).map { axis[$0 * (axis.count - 1) / max(1, budget.startsPerAxis - 1)] }
        })
        let fit = try LawFitter.fit(runs, options: FitOptions(form: form, starts: coarse, finalists: 2))
        let reference = 100 * (runs.map(\.compute).max() ?? 1)
        let value = FitReport(fit: fit, dataFile: file, referenceCompute: reference, holdout: nil, bootstrap: nil).value(detailed: true)
        return Self.nonFinite(value, ignoring: ["compute_optimal"]) + Self.rendering(value)
    }

    private func measurements(_ file: String) throws -> [String] {
        let rows = try MeasurementTable.load(path: file)
        let r = try Calibration.calibrate(profile: calibrationProfile, measurements: rows, source: "fuzz")
        var out: [String] = []
        for item in r.after.efficiency.figures where !item.figure.value.isFinite {
            out.append("calibrated \(item.key) is \(item.figure.value)")
        }
        for c in r.comparisons where !(c.after.isFinite && c.before.isFinite) {
            out.append("the \(c.quantity.rawValue) prediction for \(c.label) is \(c.after)")
        }
        return out
    }

    // MARK: Output checks

    /// Non-finite numbers in a report, by key path (keys in `ignoring` may be absent-as-NaN).
    static func nonFinite(_ value: ReportValue, ignoring: Set<String>, path: String = "") -> [String] {
        switch value {
        case .number(let v): return v.isFinite ? [] : ["the output has \(path.isEmpty ? "a number" : path) = \(v)"]
        case .list(let items): return items.enumerated().flatMap { nonFinite($1, ignoring: ignoring, path: "\(path)[\($0)]") }
        case .object(let pairs):
            return pairs.flatMap { key, v in ignoring.contains(key) ? [] : nonFinite(v, ignoring: ignoring, path: path.isEmpty ? key : "\(path).\(key)") }
        default: return []
        }
    }

    /// The JSON rendering must parse back.
    static func rendering(_ value: ReportValue) -> [String] {
        let json = value.rendered(as: .json)
        guard (try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil else { return ["the JSON output does not parse"] }
        return []
    }
}
