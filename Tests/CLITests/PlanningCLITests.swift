import Foundation
import TestSupport
import Testing

@Suite("CLI: evaluate, frontier, validate, schema")
struct PlanningCLITests {
    @Test func evaluatePrintsTheJSONContract() throws {
        let r = try runScaleplan(["evaluate", "scenarios/chat-assistant.yaml", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(jsonObject(r.stdout))
        #expect(json["scenario"] as? String == "chat-assistant")
        #expect(json["status"] as? String == "optimal")
        let point = try #require(json["recommended"] as? [String: Any])
        for key in ["params", "tokens", "tokens_per_param", "loss", "train_flops", "inference_flops", "total_flops", "train_cost_usd",
                    "inference_cost_usd", "total_cost_usd", "energy_kwh", "train_days", "tpot_ms", "ttft_ms"] {
            #expect(point[key] is Double, "\(key)")
        }
        let fleet = try #require(point["fleet"] as? [[String: Any]])
        #expect(!fleet.isEmpty && fleet.allSatisfy { $0["hardware"] is String && $0["precision"] is String && $0["replicas"] is Int })
        #expect((point["loss"] as! Double) <= 2.0 * (1 + 1e-9))
        let frontier = try #require(json["frontier"] as? [[String: Any]])
        #expect(frontier.count >= 2)
        #expect(frontier.filter { $0["knee"] as? Bool == true }.count == 1)
        #expect((json["budget"] as? [[String: Any]])?.count == 25)
    }

    @Test func evaluateIsDeterministic() throws {
        let a = try runScaleplan(["evaluate", "scenarios/on-device-assistant.yaml", "--format", "json"])
        let b = try runScaleplan(["evaluate", "scenarios/on-device-assistant.yaml", "--format", "json"])
        #expect(a.status == 0 && a.stdout == b.stdout)
    }

    @Test func infeasibleExitsWithOneAndRelaxations() throws {
        let r = try runScaleplan(["evaluate", "Tests/Fixtures/scenarios/infeasible.yaml", "--format", "json"])
        #expect(r.status == 1)
        let json = try #require(jsonObject(r.stdout))
        #expect(json["status"] as? String == "infeasible")
        #expect(json["recommended"] is NSNull)
        #expect((json["relaxations"] as? [[String: Any]])?.count == 2)
    }

    @Test func badScenarioExitsWithTwo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-scn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.yaml").path
        try "scenario: x\nlaw: { preset: hoffmann2022 }\ntraining: { hardware: h100-sxm }\nobjectives: [loss, cost]\nconstraints: { loss_mx: 2 }\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        for command in ["evaluate", "validate", "frontier"] {
            let r = try runScaleplan([command, path])
            #expect(r.status == 2)
            #expect(r.stderr.hasPrefix("error: \(path):5:16: unknown key 'loss_mx' in 'constraints' (did you mean 'loss_max'?)"), "\(r.stderr)")
        }
    }

    @Test func frontierCSVLoadsAsATable() throws {
        let r = try runScaleplan(["frontier", "scenarios/research-run.yaml", "--x", "compute", "--y", "loss", "--points", "6", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("params,tokens,tokens_per_param,loss") == true)
        #expect(lines.count == 7)
    }

    /// `frontier` carries the question's own warnings as `evaluate` does (a prefix-cache rate
    /// taken as given, serving options priced on different bases), before the knee's.
    @Test func frontierCarriesTheQuestionsWarnings() throws {
        for (path, code) in [("Tests/Fixtures/scenarios/prefix-cache.yaml", "prefix_cache_assumed"),
                             ("bench/scenarios/frontier-8-options.yaml", "mixed_price_basis")] {
            var codes: [[String]] = []
            for command in ["evaluate", "frontier"] {
                let r = try runScaleplan([command, path, "--points", "2", "--format", "json"])
                #expect(r.status == 0, "\(r.stderr)")
                let warnings = try #require(jsonObject(r.stdout)?["warnings"] as? [[String: Any]])
                codes.append(warnings.compactMap { $0["code"] as? String })
            }
            #expect(codes.allSatisfy { $0.contains(code) }, "\(path): \(codes)")
            #expect(codes[1].first == code, "\(path): \(codes[1])")
        }
    }

    @Test func validateAndSchema() throws {
        let v = try runScaleplan(["validate", "scenarios/batch-summarisation.yaml"])
        #expect(v.status == 0 && v.stdout.contains("valid"))
        let s = try runScaleplan(["schema"])
        #expect(s.status == 0)
        let schema = try #require(jsonObject(s.stdout))
        #expect((schema["required"] as? [String]) == ["scenario", "law", "training"])
        // Objectives are required unless the scenario asks only a downscaling question.
        let alternatives = try #require(schema["anyOf"] as? [[String: Any]])
        #expect(alternatives.compactMap { $0["required"] as? [String] } == [["objectives"], ["downscale"]])
    }
}

@Suite("Downscale and robust CLI")
struct DownscaleCLITests {
    @Test func downscaleJSONCarriesTheContractKeys() throws {
        let r = try runScaleplan(["downscale", "scenarios/on-device-downscale.yaml", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(jsonObject(r.stdout))
        let best = try #require(json["recommended"] as? [String: Any])
        for key in ["params", "tokens", "tokens_per_param", "loss", "precision", "device", "memory_gb", "tpot_ms", "extra_train_flops", "break_even_tokens"] {
            #expect(best[key] != nil, "\(key)")
        }
        #expect((json["frontier"] as? [Any])?.isEmpty == false)
    }

    @Test func evaluateOnADownscaleOnlyScenarioPointsToDownscale() throws {
        let r = try runScaleplan(["evaluate", "scenarios/on-device-downscale.yaml"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("scaleplan downscale"))
        let v = try runScaleplan(["validate", "scenarios/on-device-downscale.yaml"])
        #expect(v.status == 0, "\(v.stderr)")
    }

    @Test func downscaleWithoutASectionIsBadInput() throws {
        let r = try runScaleplan(["downscale", "scenarios/chat-assistant.yaml"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no 'downscale' section"))
    }

    @Test func robustScenarioReportsThePriceOfConfidence() throws {
        let r = try runScaleplan(["evaluate", "scenarios/robust-research-run.yaml", "--format", "json", "--points", "3"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(jsonObject(r.stdout))
        let price = try #require(json["price_of_confidence"] as? [String: Any])
        #expect((price["extra"] as? Double ?? 0) > 0)
        let point = try #require(json["recommended"] as? [String: Any])
        #expect(point["loss_low"] != nil && point["loss_high"] != nil && point["loss_at_confidence"] != nil)
    }
}
