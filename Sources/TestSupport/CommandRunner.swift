import Foundation

/// The outcome of running the `scaleplan` executable.
public struct CommandResult: Sendable {
    /// The exit code, or the signal number when `signalled`.
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// Whether the process was ended by a signal (a crash, a trap, or the time limit).
    public var signalled: Bool = false
    /// Whether the time limit ended it.
    public var timedOut: Bool = false
    /// Wall-clock seconds from start to exit.
    public var seconds: Double = 0

    public init(status: Int32, stdout: String, stderr: String, signalled: Bool = false, timedOut: Bool = false, seconds: Double = 0) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.signalled = signalled
        self.timedOut = timedOut
        self.seconds = seconds
    }
}

/// Runs the built `scaleplan` with `arguments` from the repository root, with a time
/// limit so a hang fails the test instead of stalling the suite.
public func runScaleplan(_ arguments: [String], timeout: TimeInterval = 120) throws -> CommandResult {
    try runProgram(Fixtures.executable, arguments, timeout: timeout)
}

/// Runs any executable with `arguments`, with a time limit (seconds), from `directory` (the
/// repository root by default) and with `environment` (this process's by default).
public func runProgram(_ path: String, _ arguments: [String], timeout: TimeInterval = 120,
                       directory: URL = Fixtures.root, environment: [String: String]? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    let start = Date()
    try process.run()
    // Drain both pipes while the process runs so a large output cannot block it.
    nonisolated(unsafe) var outData = Data(), errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    let timedOut = process.isRunning
    if timedOut { process.terminate() }
    process.waitUntilExit()
    let seconds = Date().timeIntervalSince(start)
    group.wait()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self),
                         signalled: process.terminationReason == .uncaughtSignal, timedOut: timedOut, seconds: seconds)
}

/// Parses JSON text into a dictionary (nil if it is not a JSON object).
public func jsonObject(_ text: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}
