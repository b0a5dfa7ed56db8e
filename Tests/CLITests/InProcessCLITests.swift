import ArgumentParser
import Foundation
import ScaleplanCLI
import Testing
import TestSupport

/// The command line parsed and validated in-process, in swift-argument-parser's own test
/// style: `parseAsRoot` on an argument list, then the message and exit code the executable
/// would print and return (`Scaleplan.failureMessage`, `exitCode(forFailure:)`).
@Suite("CLI in process")
struct InProcessCLITests {
    /// The exit code and one-line message for `arguments`, or nil when they parse.
    static func failure(_ arguments: [String]) -> (code: Int32, message: String)? {
        do {
            _ = try Scaleplan.parseAsRoot(arguments)
            return nil
        } catch {
            return (Scaleplan.exitCode(forFailure: error), Scaleplan.failureMessage(for: error))
        }
    }

    @Test func validCommandsParse() {
        #expect(Self.failure(["evaluate", "scenarios/chat-assistant.yaml", "--points", "40", "--format", "json"]) == nil)
        #expect(Self.failure(["law", "optimum", "--preset", "hoffmann2022", "--compute", "5.76e23"]) == nil)
        #expect(Self.failure(["estimate", "--hardware", "h100-sxm", "--params", "8B", "--batch", "1", "--prompt-tokens", "8", "--output-tokens", "8"]) == nil)
    }

    @Test(arguments: [
        (["evaluate"], "Missing expected argument '<scenario>'"),
        (["frontier", "s.yaml", "--points", "1"], "--points must be from 2 to 500."),
        (["evaluate", "s.yaml", "--html", "r.json", "-o", "r.json"], "-o and --html/--svg must name different files."),
        (["evaluate", "s.yaml", "--format", "xml"], "The value 'xml' is invalid for '--format <format>'"),
        (["law", "optimum", "--preset", "hoffmann2022", "--compute", "abc"], "The value 'abc' is invalid for '--compute <compute>'"),
    ] as [([String], String)])
    func badArgumentsAreBadInput(_ arguments: [String], _ fragment: String) throws {
        let f = try #require(Self.failure(arguments), "\(arguments) parsed")
        #expect(f.code == 2)
        #expect(f.message.contains(fragment), "\(f.message)")
        #expect(!f.message.contains("\n"), "the message must be one line: \(f.message)")
    }
}

/// The help text of every command, snapshotted in Tests/CLITests/Snapshots/help-PATH.txt at
/// 100 columns, so a change to a flag or its help shows up in review. To regenerate:
///     SCALEPLAN_UPDATE_SNAPSHOTS=1 swift test -c release --skip-build --filter HelpSnapshotTests
@Suite("Help snapshots")
struct HelpSnapshotTests {
    static var updating: Bool { ProcessInfo.processInfo.environment["SCALEPLAN_UPDATE_SNAPSHOTS"] == "1" }

    static func file(_ path: [String]) -> String {
        Fixtures.path("Tests/CLITests/Snapshots/help-\((["scaleplan"] + path).joined(separator: "-")).txt")
    }

    @Test(arguments: Scaleplan.commandPaths)
    func helpMatchesItsSnapshot(_ path: [String]) throws {
        let text = try #require(Scaleplan.helpText(path), "no command \(path)")
        if Self.updating {
            try text.write(toFile: Self.file(path), atomically: true, encoding: .utf8)
            return
        }
        let snapshot = try String(contentsOfFile: Self.file(path), encoding: .utf8)
        #expect(text == snapshot, "the help of \(path) changed; regenerate the snapshot (see the suite's doc comment) and review it")
    }

    /// Every snapshot belongs to a command (a removed command's file must go too).
    @Test func everySnapshotHasACommand() throws {
        let names = Set(Scaleplan.commandPaths.map { URL(fileURLWithPath: Self.file($0)).lastPathComponent })
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("Tests/CLITests/Snapshots")).filter { $0.hasSuffix(".txt") }
        #expect(Set(files) == names)
        #expect(names.count >= 15)
    }
}
