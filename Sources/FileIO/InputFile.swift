import Foundation

/// Reads input files with the checks every loader shares: the file exists, is not too
/// large (so a wrong path cannot make the tool chew on gigabytes), and is UTF-8 text without
/// control characters. It also remembers every file it read, so an output is never written
/// over an input (see `wasRead(_:)`).
public enum InputFile {
    /// Inputs above this many bytes are refused: 10 MiB, a hundred times the largest input
    /// scaleplan ships (a scenario is a few hundred bytes, a table of 300 runs 20 KB).
    public static let maximumBytes = 10 << 20

    /// The file's text, with a leading UTF-8 byte-order mark removed (YAML allows one; so
    /// do spreadsheet exports of CSV).
    ///
    /// - Throws: `InputError` naming the file when it is missing, a directory, too large,
    ///   empty, or not UTF-8 text (with the line and column of the first bad byte).
    public static func text(at path: String) throws(InputError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "the file does not exist")
        }
        guard !isDirectory.boolValue else { throw InputError(file: path, "this is a directory, expected a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw InputError(file: path, "the file cannot be read") }
        defer { try? handle.close() }
        // Read at most one byte past the limit, so a device or pipe cannot stream forever.
        var data = Data()
        while data.count <= maximumBytes {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: min(1 << 20, maximumBytes + 1 - data.count)) } catch {
                throw InputError(file: path, "the file cannot be read")
            }
            guard let chunk, !chunk.isEmpty else { break }
            data.append(chunk)
        }
        guard data.count <= maximumBytes else {
            throw InputError(file: path, "the file is larger than \(maximumBytes >> 20) MiB, the most scaleplan reads")
        }
        record(path)
        return try decode(data, file: path)
    }

    /// Decodes UTF-8 bytes, locating the first invalid byte or control character.
    public static func decode(_ data: Data, file: String) throws(InputError) -> String {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE, 0, 0]) || bytes.starts(with: [0, 0, 0xFE, 0xFF]) {
            throw InputError(file: file, "the file is UTF-32 text (it starts with a UTF-32 byte-order mark); save it as UTF-8")
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw InputError(file: file, "the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw InputError(file: file, "the file is empty")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            // Find the first byte that breaks UTF-8 decoding.
            var index = 0
            var it = bytes.makeIterator()
            var decoder = UTF8()
            loop: while true {
                switch decoder.decode(&it) {
                case .scalarValue(let s): index += UTF8.width(s)
                case .emptyInput, .error: break loop
                }
            }
            let (line, column) = position(of: index, in: bytes)
            throw InputError(file: file, line: line, column: column, "the file is not valid UTF-8 text")
        }
        // Line breaks are LF, CR LF or a lone CR, as YAML and the CSV reader count them.
        var line = 1, column = 1
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            if scalar == "\n" { if !afterCR { line += 1 }; column = 1; continue }
            if scalar == "\r" { line += 1; column = 1; continue }
            if scalar.value == 0x2028 || scalar.value == 0x2029 {
                throw InputError(file: file, line: line, column: column,
                                 "the file contains the separator \(InputError.escaped(scalar)), which YAML reads as a line break; use a plain line break")
            }
            if isControl(scalar) {
                if scalar.value == 0 {
                    throw InputError(file: file, line: line, column: column,
                                     "the file contains a NUL byte; expected UTF-8 text (is it binary, or UTF-16?)")
                }
                throw InputError(file: file, line: line, column: column,
                                 "the file contains the control character \(InputError.escaped(scalar)); expected text")
            }
            column += 1
        }
        return text
    }

    /// Control characters no input may hold: C0 except tab, LF and CR; DEL; C1 (NEL too: YAML
    /// reads it as a line break, editors do not, so positions would disagree).
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0D: false
        case 0...0x1F, 0x7F...0x9F: true
        default: false
        }
    }

    /// One-based line and column (in characters) of a byte offset into UTF-8 bytes; line
    /// breaks are LF, CR LF or a lone CR.
    public static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, column = 1
        var previous: UInt8 = 0
        for b in bytes.prefix(offset) {
            if b == 0x0A { if previous != 0x0D { line += 1 }; column = 1 }
            else if b == 0x0D { line += 1; column = 1 }
            else if b & 0xC0 != 0x80 { column += 1 }
            previous = b
        }
        return (line, column)
    }

    // MARK: Files read

    nonisolated(unsafe) private static var read = Set<String>()
    private static let lock = NSLock()

    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    private static func record(_ path: String) {
        let key = canonical(path)
        lock.lock()
        read.insert(key)
        lock.unlock()
    }

    /// Whether this process has read `path` as an input (symbolic links resolved), so a
    /// writer can refuse to replace it.
    public static func wasRead(_ path: String) -> Bool {
        let key = canonical(path)
        lock.lock()
        defer { lock.unlock() }
        return read.contains(key)
    }
}
