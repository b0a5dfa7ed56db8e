import ExperimentDesign
import FileIO
import Numerics

/// The kinds of input the harness mutates, each read the way one CLI command reads it.
public enum FuzzKind: String, CaseIterable, Sendable {
    /// A scenario (`scaleplan evaluate`).
    case scenario
    /// A law file (`scaleplan law predict` and `law optimum`).
    case law
    /// A hardware profile (`scaleplan estimate --hardware FILE`).
    case hardware
    /// Training runs (`scaleplan fit`).
    case runs
    /// Serving measurements (`scaleplan calibrate`).
    case measurements

    /// The file extension the case is written with.
    public var fileExtension: String { self == .runs || self == .measurements ? "csv" : "yaml" }
}

/// One seed file: the text mutations start from.
public struct FuzzSeed: Sendable {
    public let kind: FuzzKind
    /// Where it came from (repository-relative), for reports.
    public let name: String
    public let bytes: [UInt8]

    public init(kind: FuzzKind, name: String, bytes: [UInt8]) {
        self.kind = kind
        self.name = name
        self.bytes = bytes
    }
}
