import Foundation
import TestSupport
import Testing

/// Golden outputs: the table, JSON and CSV of one scenario, committed under
/// Tests/Fixtures/golden/. Tables must match byte for byte; JSON and CSV must match
/// structure and text exactly and numbers to 1e-9 relative (the last bits of a float may
/// differ between libm builds, and the test should not break on that).
///
/// To regenerate after an intended change:
///     SCALEPLAN_UPDATE_GOLDEN=1 swift test -c release --skip-build --filter GoldenOutputTests
/// then review the diff (`git diff Tests/Fixtures/golden`) before committing.
@Suite("Golden outputs")
struct GoldenOutputTests {
    static let scenario = "scenarios/chat-assistant.yaml"
    static let cases: [(file: String, arguments: [String])] = [
        ("evaluate.txt", ["evaluate", scenario]),
        ("evaluate.json", ["evaluate", scenario, "--format", "json"]),
        ("evaluate.csv", ["evaluate", scenario, "--format", "csv"]),
        ("frontier.txt", ["frontier", scenario]),
        ("frontier.csv", ["frontier", scenario, "--format", "csv"]),
    ]

    static var updating: Bool { ProcessInfo.processInfo.environment["SCALEPLAN_UPDATE_GOLDEN"] == "1" }

    @Test(arguments: cases.map(\.file))
    func matchesGolden(_ file: String) throws {
        let arguments = try #require(Self.cases.first { $0.file == file }).arguments
        let r = try runScaleplan(arguments)
        #expect(r.status == 0, "\(r.stderr)")
        let path = Fixtures.path("Tests/Fixtures/golden/\(file)")
        if Self.updating {
            try r.stdout.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOfFile: path, encoding: .utf8)
        switch (file as NSString).pathExtension {
        case "json":
            let a = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)), b = try JSONSerialization.jsonObject(with: Data(golden.utf8))
            let diffs = Self.differences(a, b, at: "$")
            #expect(diffs.isEmpty, "\(file) differs from the golden file: \(diffs.prefix(5))")
        case "csv":
            let a = Self.cells(r.stdout), b = Self.cells(golden)
            #expect(a.count == b.count && zip(a, b).allSatisfy { $0.count == $1.count }, "\(file): shape changed")
            var diffs: [String] = []
            for (i, (ra, rb)) in zip(a, b).enumerated() {
                for (j, (x, y)) in zip(ra, rb).enumerated() where !Self.same(x, y) { diffs.append("row \(i) col \(j): \(x) vs \(y)") }
            }
            #expect(diffs.isEmpty, "\(file) differs from the golden file: \(diffs.prefix(5))")
        default:
            #expect(r.stdout == golden, "\(file) differs from the golden file; see the doc comment to regenerate")
        }
    }

    @Test func repeatedRunsAreIdentical() throws {
        for (_, arguments) in Self.cases {
            let a = try runScaleplan(arguments), b = try runScaleplan(arguments)
            #expect(a.stdout == b.stdout, "\(arguments)")
        }
    }

    /// Whether two CSV cells or JSON strings agree: equal text, or numbers within 1e-9 relative.
    static func same(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let x = Double(a), let y = Double(b) else { return false }
        return relativeDifference(x, y) <= 1e-9
    }

    static func cells(_ csv: String) -> [[String]] {
        // The outputs quote no field with an embedded newline, so lines are rows; quoted
        // commas are kept together.
        csv.split(separator: "\n").map { line in
            var out: [String] = [], cell = "", quoted = false
            for ch in line {
                if ch == "\"" { quoted.toggle() } else if ch == ",", !quoted { out.append(cell); cell = "" } else { cell.append(ch) }
            }
            out.append(cell)
            return out
        }
    }

    static func differences(_ a: Any, _ b: Any, at path: String) -> [String] {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            guard Set(x.keys) == Set(y.keys) else { return ["\(path): keys \(x.keys.sorted()) vs \(y.keys.sorted())"] }
            return x.keys.sorted().flatMap { differences(x[$0]!, y[$0]!, at: "\(path).\($0)") }
        case let (x as [Any], y as [Any]):
            guard x.count == y.count else { return ["\(path): \(x.count) items vs \(y.count)"] }
            return zip(x, y).enumerated().flatMap { differences($1.0, $1.1, at: "\(path)[\($0)]") }
        case let (x as NSNumber, y as NSNumber):
            return relativeDifference(x.doubleValue, y.doubleValue) <= 1e-9 ? [] : ["\(path): \(x) vs \(y)"]
        case let (x as String, y as String):
            return x == y ? [] : ["\(path): \(x) vs \(y)"]
        case (is NSNull, is NSNull):
            return []
        default:
            return ["\(path): \(a) vs \(b)"]
        }
    }
}
