/// A problem with an input file or value, located as precisely as the input allows.
///
/// It prints as `file:line:column: sentence` (or `file: sentence` without a position),
/// the form editors and terminals recognise, always on one line: control characters and
/// line breaks from the input are shown escaped (`\n`, `\u{1B}`). The CLI exits with code 2 on it.
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
        let file = Self.oneLine(file), message = Self.oneLine(message)
        switch (line, column) {
        case (let l?, let c?): return "\(file):\(l):\(c): \(message)"
        case (let l?, nil): return "\(file):\(l): \(message)"
        default: return "\(file): \(message)"
        }
    }

    /// `text` with line breaks and control characters escaped, so it prints on one line and
    /// cannot drive the terminal.
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for s in text.unicodeScalars {
            switch s {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: if isControl(s) { out += escaped(s) } else { out.unicodeScalars.append(s) }
            }
        }
        return out
    }

    /// A scalar as `U+001B`.
    static func escaped(_ s: Unicode.Scalar) -> String {
        let hex = String(s.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
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
