import ArgumentParser
import Downscale
import ExperimentDesign
import FileIO
import Foundation
import LinearAlgebra
import Numerics
import PlanModel
import PlanSolver
import Report
import ScalingLaws
import Scenario

/// The root command. The executable target only calls `Scaleplan.main()`.
public struct Scaleplan: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "scaleplan",
        abstract: "Plan model size, training tokens and serving from fitted scaling laws.",
        discussion: """
            Exit codes: 0 success, 1 no feasible plan or no solution, 2 bad input, 130 interrupted \
            (Ctrl-C; 143 for SIGTERM). Errors are one line on standard error.
            """,
        version: "0.1.0",
        subcommands: [Init.self, Evaluate.self, FrontierCommand.self, Downscale.self, Pilot.self, Validate.self, Schema.self, Fit.self, FitQuantization.self, Law.self, MoECommand.self, Select.self, HardwareCommand.self, ModelCommand.self, Estimate.self, Calibrate.self]
    )

    public init() {}

    /// Runs the command and maps every failure to one line on stderr and an exit code:
    /// 2 for bad input (files, flags, values), 1 when no solution exists.
    public static func main() {
        Interruption.install()
        BLASThreads.useOne()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(forFailure: error)
            guard code != ExitCode.success.rawValue else { exit(withError: error) }  // --help, --version
            FileHandle.standardError.write(Data((FailureReport.line(failureMessage(for: error)) + "\n").utf8))
            Foundation.exit(code)
        }
    }

    /// The sentence for a failure, without the `error: ` prefix. Argument errors give
    /// ArgumentParser's message without the usage text, so every failure is one line.
    public static func failureMessage(for error: Error, arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> String {
        if let e = error as? CLIFailure { return e.message }
        if let known = FailureReport.describe(error) { return known.message }
        var text = message(for: error)
        if text.hasPrefix("Error: ") { text.removeFirst(7) }
        if text.isEmpty { text = "\(error)" }
        if let better = ArgumentAdvice.refine(text, arguments: arguments) { return better }
        // ArgumentParser's own parse errors are terse; a validation message is already a sentence.
        return text.contains("--help") || text.hasSuffix(".") ? text : text + " (see --help)"
    }

    public static func exitCode(forFailure error: Error) -> Int32 {
        if let e = error as? CLIFailure { return e.exitCode }
        if let known = FailureReport.describe(error) { return known.exitCode }
        // Help and version requests succeed; every usage or validation error is bad input.
        return exitCode(for: error) == .success ? 0 : 2
    }
}

/// A failure the CLI reports with a chosen exit code.
public struct CLIFailure: Error {
    public let message: String
    public let exitCode: Int32
    static func badInput(_ message: String) -> CLIFailure { CLIFailure(message: message, exitCode: 2) }
    static func noSolution(_ message: String) -> CLIFailure { CLIFailure(message: message, exitCode: 1) }
}

extension Scaleplan {
    /// The help text of the command at `path` (["law", "predict"]; [] for the root), as
    /// `--help` prints it, at a fixed width: what the help snapshots record.
    ///
    /// - Returns: nil when `path` names no command.
    public static func helpText(_ path: [String], columns: Int = 100) -> String? {
        var command: ParsableCommand.Type = Scaleplan.self
        for name in path {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == name }) else { return nil }
            command = next
        }
        return helpMessage(for: command, columns: columns)
    }

    /// Every command path, root first, depth first in the order `--help` lists them.
    public static var commandPaths: [[String]] {
        func walk(_ command: ParsableCommand.Type, _ path: [String]) -> [[String]] {
            [path] + command.configuration.subcommands.flatMap { walk($0, path + [$0._commandName]) }
        }
        return walk(Scaleplan.self, [])
    }
}
