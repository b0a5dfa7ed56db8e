import Foundation

/// Reads input files with the checks every loader shares: the file exists, is not too
/// large (so a wrong path cannot make the tool chew on gigabytes), and is UTF-8 text.
public enum InputFile {
    /// Inputs above this many bytes are refused (64 MiB).
    public static let maximumBytes = 64 << 20

    /// The file's text, with a leading UTF-8 byte-order mark removed.
    ///
    /// - Throws: `InputError` naming the file when it is missing, a directory, too large,
    ///   empty, or not valid UTF-8 (with the line and column of the first bad byte).
    public static func text(at path: String) throws(InputError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "the file does not exist")
        }
        guard !isDirectory.boolValue else { throw InputError(file: path, "this is a directory, expected a file") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maximumBytes else {
            throw InputError(file: path, "the file has \(size) bytes, more than the limit of \(maximumBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "the file cannot be read")
        }
        return try decode(data, file: path)
    }

    /// Decodes UTF-8 bytes, locating the first invalid byte.
    public static func decode(_ data: Data, file: String) throws(InputError) -> String {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw InputError(file: file, "the file is empty")
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            if let nul = bytes.firstIndex(of: 0) {
                let (line, column) = position(of: nul, in: bytes)
                throw InputError(file: file, line: line, column: column, "the file contains a NUL byte; expected text")
            }
            return text
        }
        // Find the first byte that breaks UTF-8 decoding.
        var index = 0
        var it = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): index += UTF8.width(s)
            case .emptyInput: break loop
            case .error: break loop
            }
        }
        let (line, column) = position(of: index, in: bytes)
        throw InputError(file: file, line: line, column: column, "the file is not valid UTF-8 text")
    }

    private static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, column = 1
        for b in bytes.prefix(offset) {
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }
}
