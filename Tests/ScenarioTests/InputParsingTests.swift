import FileIO
import Foundation
import ScalingLaws
import Scenario
import Testing
import TestSupport

@Suite("Input parsing")
struct InputParsingTests {
    @Test(arguments: [
        ("70B", 7e10), ("1.4T", 1.4e12), ("5.76e23", 5.76e23), ("50M", 5e7), ("2_000", 2000), ("0.05", 0.05), ("12K", 12000),
    ])
    func quantities(text: String, value: Double) {
        #expect(Quantity.parse(text) == value)
    }

    @Test(arguments: ["", "B", "70X", "inf", "nan", "1e400", "0x10", "1.2.3", "--5", "70 B B"])
    func malformedQuantities(text: String) {
        #expect(Quantity.parse(text) == nil)
    }

    @Test func csvErrorsNameFileLineAndColumn() throws {
        let ragged = "params,tokens,loss\n1e9,2e10,2.5\n1e9,2e10\n"
        #expect(throws: InputError(file: "r.csv", line: 3, column: 5, "the row has 2 fields but the header has 3")) {
            try CSVTable.parse(ragged, file: "r.csv")
        }
        let table = try CSVTable.parse("params,tokens,loss\n1e9,2e10,2.5\n1e9,abc,2.4\n", file: "t.csv")
        #expect(throws: InputError(file: "t.csv", line: 3, column: 5, "column 'tokens' must be a finite number, found 'abc'")) {
            try RunTable.runs(from: table, columns: RunColumns())
        }
        let negative = try CSVTable.parse("params,tokens,loss\n1e9,2e10,-2.5\n", file: "n.csv")
        #expect(throws: InputError(file: "n.csv", line: 2, column: 10, "column 'loss' must be greater than 0, found -2.5")) {
            try RunTable.runs(from: negative, columns: RunColumns())
        }
        let missing = try CSVTable.parse("N,D,L\n1,2,3\n", file: "m.csv")
        #expect(throws: InputError.self) { try RunTable.runs(from: missing, columns: RunColumns()) }
        #expect(throws: InputError.self) { try CSVTable.parse("a,b\n", file: "e.csv") }
        #expect(throws: InputError.self) { try CSVTable.parse("a,a\n1,2\n", file: "d.csv") }
    }

    @Test func quotedCommasAreOneField() throws {
        let table = try CSVTable.parse("name,params,tokens,loss\n\"run, the first\",1e9,2e10,2.5\n", file: "q.csv")
        #expect(table.rows[0][0] == "run, the first")
        #expect(try RunTable.runs(from: table, columns: RunColumns()).count == 1)
    }

    @Test func computeColumnGivesTokens() throws {
        let table = try CSVTable.parse("N,C,L\n1e9,6e19,2.5\n", file: "c.csv")
        let runs = try RunTable.runs(from: table, columns: RunColumns(params: "N", tokens: nil, compute: "C", loss: "L"))
        #expect(runs[0].tokens == 1e10)
    }

    @Test func yamlErrorsAreLocated() throws {
        #expect(throws: InputError(file: "s.yaml", line: 2, column: 1, "unknown key 'alhpa' in the document (did you mean 'alpha'?); expected one of alpha, beta")) {
            try YAMLValue.parse("alpha: 1\nalhpa: 2\n", file: "s.yaml").mapping(allowed: ["alpha", "beta"])
        }
    }

    @Test func yamlSyntaxErrorsCarryAPosition() {
        do {
            _ = try YAMLValue.parse("a: 1\nb: [1, 2\nc: 3\n", file: "b.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "b.yaml")
            #expect(error.line != nil && error.column != nil)
        }
        #expect(throws: InputError.self) { try YAMLValue.parse("a: 1\na: 2\n", file: "dup.yaml") }
    }

    @Test func lawFileFlatAndNested() throws {
        let flat = try LawFile.decode(try YAMLValue.parse("form: chinchilla\nE: 1.69\nA: 406.4\nB: 410.7\nalpha: 0.34\nbeta: 0.28\n", file: "l.yaml"))
        let nested = try LawFile.decode(try YAMLValue.parse(
            "form: chinchilla\nparameters: {E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28}\nobjective: 0.001\n", file: "l.yaml"))
        #expect(flat.law == nested.law)
        #expect(throws: InputError(file: "l.yaml", line: 1, column: 1,
                                   "the chinchilla law needs parameter 'beta' (flat or under 'parameters'); expected E, A, B, alpha, beta")) {
            try LawFile.decode(try YAMLValue.parse("form: chinchilla\nE: 1.69\nA: 406.4\nB: 410.7\nalpha: 0.34\n", file: "l.yaml"))
        }
        #expect(throws: InputError(file: "l.yaml", line: 6, column: 7, "parameter 'beta' must be a positive finite number")) {
            try LawFile.decode(try YAMLValue.parse("form: chinchilla\nE: 1.69\nA: 406.4\nB: 410.7\nalpha: 0.34\nbeta: -0.28\n", file: "l.yaml"))
        }
        #expect(throws: InputError.self) { try LawFile.decode(try YAMLValue.parse("form: chinchila\n", file: "l.yaml")) }
    }

    @Test func inputFileChecks() throws {
        #expect(throws: InputError(file: "/nonexistent/x.csv", "the file does not exist")) { try InputFile.text(at: "/nonexistent/x.csv") }
        #expect(throws: InputError(file: "e", "the file is empty")) { try InputFile.decode(Data("  \n".utf8), file: "e") }
        #expect(throws: InputError(file: "u", line: 2, column: 3, "the file is not valid UTF-8 text")) {
            try InputFile.decode(Data([0x61, 0x0A, 0x62, 0x63, 0xFF, 0x64]), file: "u")
        }
        #expect(try InputFile.decode(Data([0xEF, 0xBB, 0xBF, 0x61]), file: "bom") == "a")
    }
}
