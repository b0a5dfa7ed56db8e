import ArgumentParser
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import ScalingLaws

extension OutputOptions {
    /// A progress bar labelled `label`, drawn only when standard error is a terminal and
    /// --quiet is not given; nil otherwise, so the library does no progress work at all.
    func bar(_ label: String) -> ProgressBar? {
        guard !quiet, isatty(STDERR_FILENO) == 1 else { return nil }
        return ProgressBar(label: label)
    }
}

/// A one-line progress bar on standard error, redrawn in place with a carriage return.
/// Thread-safe: the library may report from worker threads.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    private var lastDrawn = -1
    private var finished = false
    static let width = 30

    init(label: String) { self.label = label }

    /// The handler to pass to the library.
    var handler: ProgressHandler { { [self] done, total in update(done, total) } }

    func update(_ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        guard !finished, total > 0 else { return }
        let filled = min(Self.width, Self.width * done / total)
        let percent = min(100, 100 * done / total)
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: Self.width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
    }

    /// Clears the line (call once the work is done, before printing anything else).
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        if lastDrawn >= 0 { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}

/// Runs `body` with a progress bar (when there is one), clearing it afterwards.
func withProgress<T>(_ options: OutputOptions, _ label: String, _ body: (ProgressHandler?) throws -> T) rethrows -> T {
    let bar = options.bar(label)
    defer { bar?.finish() }
    return try body(bar?.handler)
}
