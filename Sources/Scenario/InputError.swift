/// A problem with an input file or value, located as precisely as the input allows.
///
/// It prints as `file:line:column: sentence` (or `file: sentence` without a position),
/// the form editors and terminals recognise. The CLI exits with code 2 on it.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file, as the user named it (or a label such as `--params` for a flag).
    public let file: String
    /// One-based line, when known.
    public let line: Int?
    /// One-based column, when known.
    public let column: Int?
    /// One sentence saying what is wrong and what was expected.
    public let message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public init(at location: SourceLocation, _ message: String) {
        self.init(file: location.file, line: location.line, column: location.column, message)
    }

    public var description: String {
        switch (line, column) {
        case (let l?, let c?): "\(file):\(l):\(c): \(message)"
        case (let l?, nil): "\(file):\(l): \(message)"
        default: "\(file): \(message)"
        }
    }
}

/// A position in an input file (one-based line and column).
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}
