import Foundation
import TestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The first executable named `name` on PATH.
func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let p = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}

/// Counts elements with `class` containing `cls` in a well-formed XML document; nil if not well-formed.
func countClass(_ xml: String, _ cls: String) -> Int? {
    final class Counter: NSObject, XMLParserDelegate {
        let cls: String
        var count = 0
        init(_ cls: String) { self.cls = cls }
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            if (attributes["class"] ?? "").split(separator: " ").contains(Substring(cls)) { count += 1 }
        }
    }
    let counter = Counter(cls)
    let parser = XMLParser(data: Data(xml.utf8))
    parser.delegate = counter
    return parser.parse() ? counter.count : nil
}

@Suite("CLI: reports, init, schema, tables, CSV, progress")
struct ReportCLITests {
    @Test func evaluateWritesSVGAndHTML() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent("f.svg").path, html = dir.appendingPathComponent("r.html").path
        let r = try runScaleplan(["evaluate", "scenarios/chat-assistant.yaml", "--format", "json", "--svg", svg, "--html", html])
        #expect(r.status == 0, "\(r.stderr)")
        let points = try #require((jsonObject(r.stdout)?["frontier"] as? [Any])?.count)
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.hasPrefix("<?xml"))
        #expect(countClass(text, "frontier-point") == points)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<svg ") && page.contains("Pareto frontier") && page.contains("Lifetime budget"))
        #expect(!page.contains("http://") || page.contains("xmlns=\"http://www.w3.org/2000/svg\""))
    }

    @Test func frontierSVGFollowsTheRequestedAxes() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent("f.svg").path
        let r = try runScaleplan(["frontier", "scenarios/research-run.yaml", "--x", "compute", "--y", "loss", "--points", "8", "--svg", svg, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.contains("Lifetime compute (FLOP)") && text.contains("Loss (nats/token)"))
        let rows = try #require(jsonObject(r.stdout)?["frontier"] as? [Any])
        #expect(countClass(text, "frontier-point") == rows.count)
    }

    @Test func reportFilesNeverOverwriteTheScenario() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = dir.appendingPathComponent("s.yaml").path
        try FileManager.default.copyItem(atPath: Fixtures.path("scenarios/chat-assistant.yaml"), toPath: scenario)
        let before = try String(contentsOfFile: scenario, encoding: .utf8)
        for flag in ["--html", "--svg"] {
            let r = try runScaleplan(["evaluate", scenario, flag, scenario, "--profiles", Fixtures.path("hardware-profiles")])
            #expect(r.status == 2)
            #expect(r.stderr.contains("refusing to write the output over the input file"))
        }
        #expect(try String(contentsOfFile: scenario, encoding: .utf8) == before)
    }

    @Test func fitWritesThePlotAndReport() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent("fit.svg").path, html = dir.appendingPathComponent("fit.html").path
        let r = try runScaleplan(["fit", "Tests/Fixtures/reference/sardana2024-runs.csv", "--params-column", "Parameters", "--tokens-column", "Tokens", "--loss-column", "Smoothed Loss", "--format", "json", "--svg", svg, "--html", html, "--bootstrap", "20"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try #require(jsonObject(r.stdout)?["rows_used"] as? Int)
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(countClass(text, "run-point") == rows)
        #expect(countClass(text, "optimum-curve") == 1)
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("Leave-largest-out check"))
    }

    @Test func initWritesAStarterThatValidatesAndEvaluates() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("starter.yaml").path
        let r = try runScaleplan(["init", file])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("scenario: \"starter\"") && text.split(separator: "\n").filter { $0.contains("#") }.count >= 15)
        let v = try runScaleplan(["validate", file])
        #expect(v.status == 0, "\(v.stderr)")
        let e = try runScaleplan(["evaluate", file, "--format", "json"])
        #expect(e.status == 0, "\(e.stderr)")
        #expect(jsonObject(e.stdout)?["status"] as? String == "optimal")
        // A second init refuses and leaves the file alone.
        try "edited\n".write(toFile: file, atomically: true, encoding: .utf8)
        let again = try runScaleplan(["init", file])
        #expect(again.status == 2 && again.stderr.contains("already exists"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "edited\n")
    }

    @Test func committedSchemaMatchesTheCommand() throws {
        let r = try runScaleplan(["schema"])
        #expect(r.status == 0)
        let committed = try String(contentsOfFile: Fixtures.path("docs/scenario.schema.json"), encoding: .utf8)
        #expect(r.stdout == committed, "docs/scenario.schema.json is stale: run `scaleplan schema -o docs/scenario.schema.json`")
        // Every example scenario points editors at it (pilot files are their own document type).
        let scenarios = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("scenarios"))
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("pilot-") }
        #expect(!scenarios.isEmpty)
        for s in scenarios {
            let first = try String(contentsOfFile: Fixtures.path("scenarios/\(s)"), encoding: .utf8).split(separator: "\n").first
            #expect(first == "# yaml-language-server: $schema=../docs/scenario.schema.json", "\(s)")
        }
    }

    @Test(arguments: [
        ["evaluate", "scenarios/chat-assistant.yaml"],
        ["evaluate", "scenarios/code-model-data-constrained.yaml"],
        ["evaluate", "Tests/Fixtures/scenarios/infeasible.yaml"],
        ["frontier", "scenarios/chat-assistant.yaml"],
        ["frontier", "scenarios/research-run.yaml", "--x", "compute", "--y", "loss"],
        ["fit", "Tests/Fixtures/reference/sardana2024-runs.csv", "--params-column", "Parameters", "--tokens-column", "Tokens", "--loss-column", "Smoothed Loss", "--bootstrap", "20"],
        ["estimate", "--hardware", "h100-sxm", "--params", "8B", "--batch", "64", "--prompt-tokens", "512", "--output-tokens", "256",
         "--training-tokens", "1T", "--training-days", "10"],
        ["hardware", "list"],
        ["evaluate", "scenarios/robust-research-run.yaml", "--points", "3"],
        ["evaluate", "scenarios/llama-family-chat.yaml"],
        ["downscale", "scenarios/on-device-downscale.yaml"],
    ])
    func tablesFitOneHundredColumns(_ arguments: [String]) throws {
        let r = try runScaleplan(arguments)
        #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
        #expect(!r.stdout.isEmpty)
        for line in r.stdout.split(separator: "\n") {
            #expect(line.count <= 100, "\(line.count) columns: \(line)")
        }
    }

    @Test func tablesCarryUnits() throws {
        let r = try runScaleplan(["evaluate", "scenarios/chat-assistant.yaml"])
        for expected in ["$", "MWh", " ms", "T tokens", "FLOP", " d on "] {
            #expect(r.stdout.contains(expected), "\(expected)")
        }
    }

    @Test(arguments: [["frontier", "scenarios/chat-assistant.yaml"], ["evaluate", "scenarios/chat-assistant.yaml"],
                      ["fit", "Tests/Fixtures/reference/sardana2024-runs.csv", "--params-column", "Parameters", "--tokens-column", "Tokens", "--loss-column", "Smoothed Loss"]])
    func csvLoadsWithoutOptions(_ arguments: [String]) throws {
        let python = try #require(which("python3"), "python3 is needed to read the CSV")
        let r = try runScaleplan(arguments + ["--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("out.csv").path
        try r.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        // pandas.read_csv(file) with no options when pandas is installed; otherwise the csv
        // module with the same expectations: one header, equal-length rows, numbers parse.
        let script = """
            import sys, csv, math
            path = sys.argv[1]
            try:
                import pandas
                df = pandas.read_csv(path)
                rows, cols = df.shape
                numeric = [c for c in df.columns if df[c].dtype.kind in "fi"]
                assert any(k in numeric for k in ("params", "recommended.params", "parameters.E")), numeric
                print("pandas", rows, cols, len(numeric))
            except ImportError:
                with open(path, newline="") as f:
                    table = list(csv.reader(f))
                header, body = table[0], table[1:]
                assert len(set(header)) == len(header), "duplicate columns"
                assert body and all(len(r) == len(header) for r in body), "ragged rows"
                key = [k for k in ("params", "recommended.params", "parameters.E") if k in header][0]
                col = header.index(key)
                values = [float(r[col]) for r in body]
                assert all(math.isfinite(v) and v > 0 for v in values)
                print("csv", len(body), len(header))
            """
        let out = try runProgram(python, ["-c", script, file])
        #expect(out.status == 0, "\(out.stderr)")
    }

    @Test func progressOnlyOnATerminalAndNeverWithQuiet() throws {
        // Piped stderr: no progress at all.
        let piped = try runScaleplan(["frontier", "scenarios/chat-assistant.yaml", "--format", "json"])
        #expect(piped.status == 0 && piped.stderr.isEmpty, "\(piped.stderr)")
        // A pseudo-terminal from util-linux's script(1): the bar is drawn, and --quiet removes it.
        let script = try #require(which("script"), "util-linux's script(1) is needed for the terminal check")
        let command = "\(Fixtures.executable) frontier scenarios/chat-assistant.yaml --format json -o /dev/null"
        let tty = try runProgram(script, ["-qec", command, "/dev/null"])
        #expect(tty.status == 0)
        #expect(tty.stdout.contains("frontier [") && tty.stdout.contains("12/12"), "\(tty.stdout)")
        let quiet = try runProgram(script, ["-qec", command + " --quiet", "/dev/null"])
        #expect(quiet.status == 0 && !quiet.stdout.contains("frontier ["), "\(quiet.stdout)")
    }

    @Test(arguments: ["init", "evaluate", "frontier", "validate", "schema", "fit", "law", "law optimum", "law predict", "law iso-loss",
                      "law presets", "hardware", "hardware list", "hardware show", "estimate", "calibrate"])
    func everyCommandsHelpHasAnExample(_ command: String) throws {
        let r = try runScaleplan(command.split(separator: " ").map(String.init) + ["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Example"), "\(command) --help has no example")
    }

    @Test func completionScriptsKnowTheCommands() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try runScaleplan(["--generate-completion-script", shell])
            #expect(r.status == 0)
            #expect(r.stdout.contains("init") && r.stdout.contains("frontier") && r.stdout.contains("html"), "\(shell)")
        }
    }
}

@Suite("CLI: loss bands from a fitted law's bootstrap")
struct LossBandCLITests {
    @Test func scenarioWithBootstrapLawsGetsBands() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let law = dir.appendingPathComponent("law.yaml").path
        let fit = try runScaleplan(["fit", "Tests/Fixtures/reference/sardana2024-runs.csv", "--params-column", "Parameters", "--tokens-column", "Tokens",
                                    "--loss-column", "Smoothed Loss", "--bootstrap", "40", "--seed", "3", "-o", law])
        #expect(fit.status == 0, "\(fit.stderr)")
        var scenario = try String(contentsOfFile: Fixtures.path("scenarios/chat-assistant.yaml"), encoding: .utf8)
        scenario = scenario.replacingOccurrences(of: "law: { preset: hoffmann2022 }", with: "law: { file: law.yaml }")
        scenario = scenario.replacingOccurrences(of: "constraints: { loss_max: 2.0 }", with: "constraints: { loss_max: 2.6 }")
        let path = dir.appendingPathComponent("s.yaml").path
        try scenario.write(toFile: path, atomically: true, encoding: .utf8)
        let svg = dir.appendingPathComponent("f.svg").path, html = dir.appendingPathComponent("r.html").path
        let r = try runScaleplan(["evaluate", path, "--svg", svg, "--html", html, "--profiles", Fixtures.path("hardware-profiles"), "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(countClass(text, "band") == 1)
        let points = try #require((jsonObject(r.stdout)?["frontier"] as? [Any])?.count)
        #expect(countClass(text, "error-bar") == points)
        #expect(text.contains("loss 5%-95% (40 bootstrap laws)"))
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("bootstrap laws"))
        // The plot's bands are the JSON's loss_low/loss_high.
        let first = try #require((jsonObject(r.stdout)?["frontier"] as? [[String: Any]])?.first)
        #expect(first["loss_low"] is Double && first["loss_high"] is Double)
    }
}
