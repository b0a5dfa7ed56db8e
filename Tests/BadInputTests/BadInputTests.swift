import Foundation
import TestSupport
import Testing

/// One row of Tests/Fixtures/bad-inputs/MANIFEST.tsv: a bad input, the command that reads
/// it, the exit code it must give, where its error must point and a fragment of the sentence.
struct BadInputCase: Sendable, CustomTestStringConvertible {
    /// The file, relative to the corpus folder.
    let file: String
    let exitCode: Int32
    /// `$F:line:column`, `$F`, another path, or empty: what follows `error: ` on stderr.
    let location: String
    /// Text the error line must contain.
    let message: String
    /// The command's arguments, with `$F` for the file's path.
    let arguments: [String]

    static let folder = "Tests/Fixtures/bad-inputs"

    /// The path as the command receives it (relative to the repository root).
    var path: String { "\(Self.folder)/\(file)" }
    var expectedLocation: String { location.replacingOccurrences(of: "$F", with: path) }
    var testDescription: String { file }

    /// Every row of the manifest, in file order.
    static let all: [BadInputCase] = {
        let text = (try? String(contentsOfFile: Fixtures.path("\(folder)/MANIFEST.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line -> BadInputCase? in
            guard !line.hasPrefix("#") else { return nil }
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 6, let code = Int32(cells[1]) else { return nil }
            let path = "\(folder)/\(cells[0])"
            return BadInputCase(file: cells[0], exitCode: code, location: cells[2], message: cells[3],
                                arguments: cells[4].split(separator: " ").map { $0 == "$F" ? path : String($0) })
        }
    }()
}

/// Checks what every failure must look like: the exit code, no signal, one line on stderr
/// that starts `error: LOCATION: ` and contains the expected words, nothing on stdout for
/// bad input, and well within the time limit.
func expectOneLineFailure(_ r: CommandResult, exitCode: Int32, location: String, message: String,
                          sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!r.signalled, "ended by signal \(r.status)\(r.timedOut ? " (time limit)" : "")", sourceLocation: sourceLocation)
    #expect(r.status == exitCode, "exit \(r.status), expected \(exitCode); stderr: \(r.stderr.prefix(500))", sourceLocation: sourceLocation)
    let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 2 && lines[1].isEmpty, "stderr must be one line, found: \(r.stderr.prefix(2000))", sourceLocation: sourceLocation)
    let prefix = location.isEmpty ? "error: " : "error: \(location): "
    #expect(r.stderr.hasPrefix(prefix), "stderr \(r.stderr.prefix(500)) does not start with '\(prefix)'", sourceLocation: sourceLocation)
    #expect(r.stderr.contains(message), "stderr \(r.stderr.prefix(500)) lacks '\(message)'", sourceLocation: sourceLocation)
    #expect(r.stderr.utf8.count < 1000, "the sentence is \(r.stderr.utf8.count) bytes long", sourceLocation: sourceLocation)
    if exitCode == 2 { #expect(r.stdout.isEmpty, "bad input printed output: \(r.stdout.prefix(200))", sourceLocation: sourceLocation) }
    // Bad input is rejected while reading, in well under a second of work; the margin is for
    // a loaded machine (the cases run two at a time).
    #expect(r.seconds < 5, "took \(r.seconds) s", sourceLocation: sourceLocation)
}

/// Runs every case of the bad-input corpus through the built binary. Swift Testing runs the
/// cases concurrently (as wide as the machine's cores).
@Suite("Bad-input corpus")
struct BadInputTests {
    /// The time limit a case runs under; a case that needs it has hung.
    static let timeLimit: TimeInterval = 20

    @Test func theManifestHasTheCorpus() throws {
        let cases = BadInputCase.all
        #expect(cases.count >= 200)
        #expect(Set(cases.map(\.file)).count == cases.count, "a file is listed twice")
        let kinds = Set(cases.map { $0.file.split(separator: "/")[0] })
        #expect(kinds == ["scenario", "law", "hardware", "runs", "measurements", "selection", "moe"])
        #expect(cases.contains { $0.exitCode == 1 }, "valid-but-infeasible cases are part of the corpus")
        #expect(cases.allSatisfy { !$0.location.contains("?") }, "every location is known")
    }

    /// RELIABILITY.md and the README state the corpus's size; they drifted once (383 stated,
    /// 456 held), so the numbers they print are read back and compared with the manifest.
    @Test func theDocumentsStateTheCorpus() throws {
        let cases = BadInputCase.all
        func count(_ kind: String) -> Int { cases.filter { $0.file.hasPrefix("\(kind)/") }.count }
        func prose(_ file: String) throws -> String {
            try String(contentsOfFile: Fixtures.path(file), encoding: .utf8)
                .replacingOccurrences(of: "\n", with: " ")
        }
        func number(in text: String, before words: String) -> Int? {
            guard let range = text.range(of: #"(\d+) "# + NSRegularExpression.escapedPattern(for: words),
                                         options: .regularExpression) else { return nil }
            return Int(text[range].prefix { $0.isNumber })
        }
        let reliability = try prose("RELIABILITY.md")
        let stated: [(String, Int)] = [
            ("bad inputs:", cases.count),
            ("scenarios (", count("scenario")),
            ("of them valid but infeasible", cases.filter { $0.exitCode == 1 }.count),
            ("law files", count("law")),
            ("hardware profiles", count("hardware")),
            ("run tables for `fit`", count("runs")),
            ("measurement tables for `calibrate`", count("measurements")),
            ("mixture-of-experts inputs", count("moe")),
            ("run tables for `select`", count("selection")),
        ]
        for (words, held) in stated {
            #expect(number(in: reliability, before: words) == held, "RELIABILITY.md: '\(words)' should be \(held)")
        }
        #expect(number(in: try prose("README.md"), before: "bad inputs (") == cases.count, "README.md: the corpus holds \(cases.count)")
    }

    @Test(arguments: BadInputCase.all)
    func badInputGivesOneLocatedSentence(_ c: BadInputCase) throws {
        let r = try runScaleplan(c.arguments, timeout: Self.timeLimit)
        expectOneLineFailure(r, exitCode: c.exitCode, location: c.expectedLocation, message: c.message)
    }
}
