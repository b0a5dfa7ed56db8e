import Foundation
import TestSupport
import Testing

/// Ctrl-C and SIGTERM during a run leave neither the output nor a temporary file, exit with
/// 128 + the signal number, and say so in one line.
@Suite("Interrupts")
struct InterruptTests {
    static let fit = ["fit", "data/epoch-chinchilla.csv", "--params-column", "Model Size", "--compute-column", "Training FLOP",
                      "--loss-column", "loss", "--holdout-fraction", "0"]

    /// Starts the binary, runs `during` with its process id, waits for it to end.
    func run(_ arguments: [String], during: (Int32) throws -> Void) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixtures.executable)
        process.arguments = arguments
        process.currentDirectoryURL = Fixtures.root
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try during(process.processIdentifier)
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return CommandResult(status: process.terminationStatus, stdout: "", stderr: stderr,
                             signalled: process.terminationReason == .uncaughtSignal)
    }

    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-interrupt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test(arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
    func aSignalDuringALongFitLeavesNoFile(signal: Int32, code: Int32, name: String) throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("law.json").path
        // 100,000 bootstrap fits take minutes; the signal comes after 1.5 s.
        let r = try run(Self.fit + ["--bootstrap", "100000", "--seed", "1", "-o", out]) { pid in
            usleep(1_500_000)
            kill(pid, signal)
        }
        #expect(!r.signalled, "the handler, not the signal, must end the process")
        #expect(r.status == code)
        #expect(r.stderr == "error: interrupted by \(name); no partial output file was left\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    /// The signal arrives while the temporary file is being written: a FIFO stands in its
    /// place (the name is `.NAME.PID.tmp`), so the write blocks until the signal. The handler
    /// must remove the temporary file and exit.
    @Test func aSignalDuringTheWriteRemovesTheTemporaryFile() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("law.json").path
        var fifo = ""
        let r = try run(Self.fit + ["-o", out]) { pid in
            fifo = dir.appendingPathComponent(".law.json.\(pid).tmp").path
            #expect(mkfifo(fifo, 0o600) == 0)
            // Wait until the fit is done and the writer is blocked opening the FIFO.
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, !writerIsWaiting(pid: pid, on: fifo) { usleep(20_000) }
            kill(pid, SIGINT)
        }
        #expect(r.status == 130, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fifo), "the temporary file is left")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Whether the main thread of `pid` is blocked opening a FIFO that has no reader
    /// (the kernel's wait channel for that is `wait_for_partner`).
    func writerIsWaiting(pid: Int32, on path: String) -> Bool {
        guard let channel = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/wchan", encoding: .utf8) else { return false }
        return channel.hasPrefix("wait_for_partner") || channel.hasPrefix("fifo_open")
    }
}
