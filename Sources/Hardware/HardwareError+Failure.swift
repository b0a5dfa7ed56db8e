import Diagnostics

extension HardwareError: ClassifiedFailure {
    /// A model that does not fit, a missing figure or a bad setting: bad input (exit code 2).
    public var failureKind: FailureKind { .badInput }
}
