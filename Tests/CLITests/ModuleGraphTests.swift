import Foundation
import Testing
import TestSupport

/// The architecture's rules, read from Package.swift and Sources/ (docs/ARCHITECTURE.md): data
/// flows one way, and no module is named like a type inside it.
@Suite("Module graph")
struct ModuleGraphTests {
    /// Each target's name and the project modules it lists as dependencies.
    static func targets() throws -> [String: Set<String>] {
        let text = try String(contentsOfFile: Fixtures.path("Package.swift"), encoding: .utf8)
        var graph: [String: Set<String>] = [:]
        let pattern = try NSRegularExpression(pattern: #"\.(?:target|executableTarget|testTarget)\(\s*name:\s*"([A-Za-z-]+)"(?:,\s*dependencies:\s*\[([^\]]*)\])?"#)
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let name = String(text[Range(match.range(at: 1), in: text)!])
            var deps = Set<String>()
            if let r = Range(match.range(at: 2), in: text) {
                // Plain "Module" entries; `.product(...)` entries are packages, not project modules.
                let list = text[r].replacingOccurrences(of: #"\.product\([^)]*\)"#, with: "", options: .regularExpression)
                for item in list.split(separator: ",") {
                    let trimmed = item.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    if !trimmed.isEmpty { deps.insert(trimmed) }
                }
            }
            graph[name] = deps
        }
        return graph
    }

    @Test func dataFlowsOneWay() throws {
        let graph = try Self.targets()
        try #require(graph.count >= 20, "Package.swift was not read: \(graph.keys.sorted())")
        let solver: Set<String> = ["PlanSolver", "Downscale", "GLPK"]
        #expect(graph["Scenario"]?.isDisjoint(with: solver) == true, "Scenario depends on the solver: \(graph["Scenario"] ?? [])")
        #expect(graph["Report"]?.isDisjoint(with: solver.union(["Scenario"])) == true, "Report depends on \(graph["Report"] ?? [])")
        #expect(graph["PlanModel"]?.isDisjoint(with: solver.union(["Scenario", "Report"])) == true)
        for (name, deps) in graph where deps.contains("ScaleplanCLI") {
            #expect(["scaleplan", "CLITests"].contains(name), "\(name) depends on the CLI")
        }
        for base in ["Diagnostics", "Numerics", "ValueTree"] { #expect(graph[base] == [], "\(base) must depend on no project module") }
        // No cycles: every module reaches only modules that do not reach it back.
        func reach(_ m: String, _ seen: inout Set<String>) { for d in graph[m] ?? [] where seen.insert(d).inserted { reach(d, &seen) } }
        for m in graph.keys {
            var seen = Set<String>()
            reach(m, &seen)
            #expect(!seen.contains(m), "\(m) depends on itself through \(seen.sorted())")
        }
    }

    @Test func noModuleIsNamedLikeATypeInsideIt() throws {
        let sources = Fixtures.path("Sources")
        for module in try FileManager.default.contentsOfDirectory(atPath: sources) {
            guard let files = FileManager.default.enumerator(atPath: "\(sources)/\(module)")?.allObjects as? [String] else { continue }
            let declaration = try NSRegularExpression(pattern: #"\b(struct|enum|class|actor|protocol|typealias)\s+\#(module)\b"#)
            for file in files where file.hasSuffix(".swift") {
                let text = try String(contentsOfFile: "\(sources)/\(module)/\(file)", encoding: .utf8)
                #expect(declaration.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil,
                        "\(module)/\(file) declares a type named like its module")
            }
        }
    }
}
