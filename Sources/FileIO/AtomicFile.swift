import Foundation

/// Why an output file could not be written.
public struct OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    public var description: String { "\(InputError.oneLine(path)): cannot write the output: \(reason)" }
}

/// Writes files atomically: the text goes to a temporary file in the same directory,
/// which is then renamed over the destination, so readers never see a partial file and an
/// interrupted run leaves the old file (or none) in place.
///
/// Writes are serialised, and `abandon(waitingAtMost:)` (called when the process is
/// interrupted) removes any temporary file still being written and refuses later writes,
/// so a signal never leaves a `.NAME.PID.tmp` behind. A file this process read as an
/// input (`InputFile.wasRead`) is never overwritten.
public enum AtomicFile {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var inFlight = Set<String>()
    nonisolated(unsafe) private static var abandoned = false

    public static func write(_ text: String, to path: String) throws(OutputError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputError(path: path, reason: "the directory \(directory.path) does not exist")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw OutputError(path: path, reason: "it is a directory")
        }
        if InputFile.wasRead(path) {
            throw OutputError(path: path, reason: "it is an input of this run, and scaleplan never writes over an input")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        lock.lock()
        defer { lock.unlock() }
        guard !abandoned else { throw OutputError(path: path, reason: "the run was interrupted") }
        inFlight.insert(temporary.path)
        defer { inFlight.remove(temporary.path) }
        do {
            try Data(text.utf8).write(to: temporary, options: [])
            if rename(temporary.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw OutputError(path: path, reason: reason)
            }
        } catch let error as OutputError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw OutputError(path: path, reason: error.localizedDescription)
        }
    }

    /// The reason `create` gives when the file exists.
    public static let alreadyExists = "it already exists"

    /// Writes a new file atomically and never over an existing one: the text goes to a
    /// temporary file, which is then hard-linked to `path` (link(2) fails if `path` exists,
    /// so a file created meanwhile is not replaced) and removed.
    public static func create(_ text: String, at path: String) throws(OutputError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputError(path: path, reason: "the directory \(directory.path) does not exist")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).new")
        defer { try? FileManager.default.removeItem(at: temporary) }
        do { try Data(text.utf8).write(to: temporary, options: []) } catch {
            throw OutputError(path: path, reason: error.localizedDescription)
        }
        if link(temporary.path, url.path) != 0 {
            let code = errno
            throw OutputError(path: path, reason: code == EEXIST ? alreadyExists : String(cString: strerror(code)))
        }
    }

    /// For an interrupted process about to exit: waits up to `seconds` for a write in
    /// progress to finish (so its file is complete or absent), removes the temporary files of
    /// any write still going, and makes every later `write` fail. Returns the paths removed.
    @discardableResult
    public static func abandon(waitingAtMost seconds: TimeInterval) -> [String] {
        let locked = lock.lock(before: Date().addingTimeInterval(seconds))
        abandoned = true
        let removed = Array(inFlight)
        for path in removed { unlink(path) }
        if locked { lock.unlock() }
        return removed
    }

    /// Temporary files being written now (for tests and diagnostics).
    public static var temporaryFilesInFlight: [String] {
        lock.lock()
        defer { lock.unlock() }
        return Array(inFlight)
    }
}
