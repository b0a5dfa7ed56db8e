import Diagnostics

extension DemandError: ClassifiedFailure {
    /// A demand forecast out of range: bad input (exit code 2).
    public var failureKind: FailureKind { .badInput }
}
