import Dispatch
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import Report

/// Ctrl-C (SIGINT) and SIGTERM: remove any output file still being written, say so on one
/// line, and exit with 128 + the signal number (130, 143), the shell convention.
enum Interruption {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Replaces the default action of SIGINT and SIGTERM (immediate death, which could leave
    /// a temporary output file) by a handler on a dispatch queue, so it runs outside the
    /// signal context and may take locks and remove files.
    static func install() {
        for (signalNumber, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global(qos: .userInteractive))
            source.setEventHandler {
                AtomicFile.abandon(waitingAtMost: 2)
                FileHandle.standardError.write(Data("error: interrupted by \(name); no partial output file was left\n".utf8))
                _exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}
