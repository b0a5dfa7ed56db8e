/// Why a demand forecast is invalid. `description` is one sentence quoting the value.
public struct DemandError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field at fault ("requests_per_day", "growth_per_month", ...).
    public let field: String
    /// What is wrong, quoting the value.
    public let message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
