import Demand
import Hardware
import Planner
import ScalingLaws
import Scenario

/// How a failure thrown by the library is reported: the exit code (2 bad input, 1 no
/// solution) and the one line printed on standard error. The CLI and the fuzzing harness
/// share it, so a harness that runs the library in-process sees what a user would.
public enum FailureReport {
    /// The exit code and message for an error the library throws, or nil for an error it
    /// does not know (argument parsing, which the CLI reports itself).
    public static func describe(_ error: Error) -> (exitCode: Int32, message: String)? {
        switch error {
        case let e as InputError: (2, e.description)
        case let e as OutputError: (2, e.description)
        case let e as LawError: (2, e.description)
        case let e as FitError:
            if case .noConvergence = e { (1, e.description) } else { (2, e.description) }
        case let e as PlanError:
            if case .unsupported = e { (2, e.description) } else { (1, e.description) }
        case let e as HardwareError: (2, e.description)
        case let e as DemandError: (2, e.description)
        case let e as GLPKError: (1, "solver failure: \(e.description)")
        default: nil
        }
    }

    /// `error: MESSAGE` on one line (line breaks and control characters escaped).
    public static func line(_ message: String) -> String {
        "error: " + InputError.oneLine(message.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
