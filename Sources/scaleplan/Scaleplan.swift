import ArgumentParser
import Foundation
import Planner
import Report
import ScalingLaws
import Scenario

@main
struct Scaleplan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaleplan",
        abstract: "Plan model size, training tokens and serving from fitted scaling laws.",
        discussion: """
            Exit codes: 0 success, 1 no feasible plan or no solution, 2 bad input.
            """,
        version: "0.1.0",
        subcommands: [Init.self, Evaluate.self, FrontierCommand.self, Downscale.self, Pilot.self, Validate.self, Schema.self, Fit.self, Law.self, HardwareCommand.self, Estimate.self, Calibrate.self]
    )

    /// Runs the command and maps every failure to one sentence on stderr and an exit code:
    /// 2 for bad input (files, flags, values), 1 when no solution exists.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(forFailure: error)
            if code != ExitCode.success.rawValue {
                let message = message(for: error)
                FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
            } else {
                exit(withError: error)
            }
            Foundation.exit(code)
        }
    }

    static func message(for error: Error) -> String {
        switch error {
        case let e as InputError: return "error: \(e)"
        case let e as CLIFailure: return "error: \(e.message)"
        case let e as OutputError: return "error: \(e)"
        case let e as LawError: return "error: \(e)"
        case let e as FitError: return "error: \(e)"
        case let e as PlanError: return "error: \(e)"
        default:
            let text = fullMessage(for: error)
            return text.isEmpty ? "error: \(error)" : text
        }
    }

    static func exitCode(forFailure error: Error) -> Int32 {
        switch error {
        case let e as CLIFailure: return e.exitCode
        case is InputError, is OutputError, is LawError: return 2
        case is FitError: return 1
        case let e as PlanError: return e.cliFailure.exitCode
        default:
            let code = exitCode(for: error)
            // Help and version requests succeed; every usage or validation error is bad input.
            if code == .success { return 0 }
            return 2
        }
    }
}

/// A failure the CLI reports with a chosen exit code.
struct CLIFailure: Error {
    let message: String
    let exitCode: Int32
    static func badInput(_ message: String) -> CLIFailure { CLIFailure(message: message, exitCode: 2) }
    static func noSolution(_ message: String) -> CLIFailure { CLIFailure(message: message, exitCode: 1) }
}
