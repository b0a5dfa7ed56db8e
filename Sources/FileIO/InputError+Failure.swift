import Diagnostics

extension InputError: ClassifiedFailure {
    /// Always bad input (exit code 2).
    public var failureKind: FailureKind { .badInput }
}

extension OutputError: ClassifiedFailure {
    /// An output that cannot be written is a bad path, so bad input (exit code 2).
    public var failureKind: FailureKind { .badInput }
}
