import Diagnostics
import FileIO
import Foundation
import Report
import Testing
import ValueTree

@Suite("Writers")
struct WriterTests {
    static let sample = reportObject([
        ("form", .string("chinchilla")),
        ("parameters", .object([("E", .number(1.8172)), ("alpha", .number(0.34731))])),
        ("rows_used", .integer(240)),
        ("note", .string("quote \" and\nnewline")),
        ("missing", nil),
        ("bad", .number(.nan)),
        ("list", .list([.number(1), .number(2.5)])),
    ])

    @Test func jsonIsValidOrderedAndRoundTrips() throws {
        let text = Self.sample.rendered(as: .json)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(parsed["form"] as? String == "chinchilla")
        #expect((parsed["parameters"] as? [String: Double])?["alpha"] == 0.34731)
        #expect(parsed["note"] as? String == "quote \" and\nnewline")
        #expect(parsed["bad"] is NSNull)
        #expect(parsed["missing"] == nil)
        // Insertion order is kept.
        let order = ["form", "parameters", "rows_used", "note", "bad", "list"].map { text.range(of: "\"\($0)\"")!.lowerBound }
        #expect(order == order.sorted())
        #expect(Self.sample.rendered(as: .json) == text)
    }

    @Test func csvHasAHeaderAndFlattensNestedKeys() {
        let rows = ReportValue.list([
            reportObject([("params", .number(1e9)), ("name", .string("a,b"))]),
            reportObject([("params", .number(2e9)), ("name", .string("c"))]),
        ])
        let text = rows.rendered(as: .csv)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "params,name")
        #expect(lines[1] == "1000000000,\"a,b\"")
        #expect(Self.sample.rendered(as: .csv).hasPrefix("form,parameters.E,parameters.alpha,rows_used"))
    }

    @Test func yamlQuotesStrings() {
        let text = Self.sample.rendered(as: .yaml)
        #expect(text.contains("form: \"chinchilla\"\n"))
        #expect(text.contains("parameters:\n  E: 1.8172\n  alpha: 0.34731\n"))
        #expect(text.contains("bad: .nan\n"))
    }

    @Test func tableUsesHumanNumbers() {
        let text = reportObject([("params", .number(7.0e10)), ("loss", .number(1.95312345))]).rendered(as: .table)
        #expect(text == "params  70B\nloss    1.953\n")
    }

    @Test func atomicWriteReplacesWholeFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.json").path
        try AtomicFile.write("one", to: path)
        try AtomicFile.write("two", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.json"])
        #expect(throws: OutputError.self) { try AtomicFile.write("x", to: dir.appendingPathComponent("no/such/dir.json").path) }
    }
}
