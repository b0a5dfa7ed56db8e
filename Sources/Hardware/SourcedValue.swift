/// A number together with where it came from: a datasheet, a paper, ORACLES.md, or
/// "estimate: reason". Every figure in a hardware profile is one of these.
public struct SourcedValue: Equatable, Sendable {
    /// The number, in the unit stated by the field that holds it.
    public var value: Double
    /// A citation (document name and URL) or an estimate with its reasoning.
    public var source: String

    public init(_ value: Double, source: String) {
        self.value = value
        self.source = source
    }
}
