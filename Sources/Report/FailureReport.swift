import Diagnostics
import ExperimentDesign
import FileIO
import Foundation
import Numerics

/// How a failure thrown by the library is reported: the exit code (2 bad input, 1 no
/// solution) and the one line printed on standard error. The CLI and the fuzzing harness
/// share it, so a harness that runs the library in-process sees what a user would.
public enum FailureReport {
    /// The exit code and message for an error the library throws (every library error type
    /// is a `ClassifiedFailure`), or nil for an error it does not know (argument parsing,
    /// which the CLI reports itself).
    public static func describe(_ error: Error) -> (exitCode: Int32, message: String)? {
        guard let e = error as? any ClassifiedFailure else { return nil }
        return (e.failureKind.exitCode, e.failureMessage)
    }

    /// `error: MESSAGE` on one line (line breaks and control characters escaped).
    public static func line(_ message: String) -> String {
        "error: " + InputError.oneLine(message.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
