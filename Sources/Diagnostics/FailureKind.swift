/// What a failure means to the person who ran the tool, and so its exit code: the one rule
/// the CLI and the fuzzing harness share (through `FailureReport` in Report).
public enum FailureKind: Int32, Sendable {
    /// No solution exists, or a solver could not find one (exit code 1).
    case noSolution = 1
    /// The input is wrong: a file, a flag or a value (exit code 2).
    case badInput = 2

    /// The exit code of a process that failed this way.
    public var exitCode: Int32 { rawValue }
}

/// An error thrown by a library module that knows what kind of failure it is. Each module's
/// error type conforms; the CLI asks it instead of listing error types.
public protocol ClassifiedFailure: Error, CustomStringConvertible {
    /// Bad input or no solution.
    var failureKind: FailureKind { get }
    /// The one sentence to show (the error's description unless it wants a prefix).
    var failureMessage: String { get }
}

extension ClassifiedFailure {
    public var failureMessage: String { description }
}
