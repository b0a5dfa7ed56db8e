import Foundation
import Testing
import TestSupport

/// End-to-end tests of `hardware`, `estimate` and `calibrate`, running the built binary.
@Suite struct HardwareCLITests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
        }
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixtures.executable)
        process.arguments = arguments
        process.currentDirectoryURL = Fixtures.root
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SCALEPLAN_PROFILES")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func hardwareListShowsEveryProfile() throws {
        let r = try run(["hardware", "list", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try #require(jsonObject(r.stdout)?["hardware"] as? [[String: Any]])
        #expect(rows.count >= 12)
        #expect(rows.contains { $0["name"] as? String == "h100-sxm" && $0["bf16_tflops"] as? Double == 989 })
    }

    @Test func hardwareShowListsSources() throws {
        let r = try run(["hardware", "show", "l40s", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let figures = try #require(r.json?["figures"] as? [[String: Any]])
        #expect(figures.allSatisfy { ($0["source"] as? String)?.isEmpty == false })
        #expect(figures.contains { $0["figure"] as? String == "memory_bandwidth" && $0["value"] as? Double == 0.864 })
    }

    @Test func estimatePrintsTheStableJSONKeys() throws {
        let r = try run(["estimate", "--hardware", "h100-sxm", "--params", "8.03B", "--batch", "64", "--prompt-tokens", "512",
                         "--output-tokens", "256", "--precision", "bf16", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(r.json)
        for key in ["ttft_ms", "tpot_ms", "tokens_per_second", "joules_per_token", "usd_per_million_tokens", "memory_gb", "fits",
                    "bound", "power_w"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["fits"] as? Bool == true)
        #expect(json["bound"] as? String == "memory")
        let joules = try #require(json["joules_per_token"] as? Double)
        #expect(joules > 0.12 * 0.95 && joules < 0.20 * 1.05)  // ORACLES.md's "about 0.12-0.20" (EnergyTests)
        // The static batch is labelled; the planner's steady state sits beside it: a request
        // there waits steps, not the whole batch's prefill, and the percentiles are ordered.
        #expect(json["batching"] as? String == "static")
        let steady = try #require(json["continuous_batching"] as? [String: Any])
        let ttft = try #require(steady["ttft_ms"] as? Double), staticTTFT = try #require(json["ttft_ms"] as? Double)
        #expect(ttft < staticTTFT / 5, "steady \(ttft) ms against static \(staticTTFT) ms")
        for figure in ["ttft", "tpot"] {
            let p50 = try #require(steady["\(figure)_p50_ms"] as? Double), p90 = try #require(steady["\(figure)_p90_ms"] as? Double)
            #expect(p50 <= p90)
        }
        #expect(steady["running_batch"] as? Int == 64 && steady["stable"] as? Bool == true)
        #expect((steady["max_running_batch"] as? Double ?? 0) >= 64)
    }

    /// A running batch beyond what the steady state vouches for is estimated, and says why.
    @Test func estimateWarnsBeyondTheSteadyState() throws {
        func codes(_ batch: Int) throws -> [String] {
            let r = try run(["estimate", "--hardware", "h100-sxm", "--model", "llama-3.1-8b", "--batch", "\(batch)", "--prompt-tokens", "800",
                             "--output-tokens", "200", "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            return ((r.json?["warnings"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
        }
        #expect(!(try codes(64)).contains("steady_state_limit"))
        let r = try run(["estimate", "--hardware", "h100-sxm", "--model", "llama-3.1-8b", "--batch", "600", "--prompt-tokens", "800",
                         "--output-tokens", "200", "--format", "json"])
        let warning = try #require((r.json?["warnings"] as? [[String: Any]])?.first { $0["code"] as? String == "steady_state_limit" })
        let message = try #require(warning["message"] as? String)
        #expect(message.contains("KV cache holds") && message.contains("capacity"), "\(message)")
    }

    /// `--output-lengths`: the static batch decodes the mean (the same figures as
    /// `--output-tokens 300`), the continuous-batching figures run on the distribution (fewer
    /// KV slots at the longer length-biased context, a longer TPOT); malformed lists, shares
    /// that do not sum to 1, lengths of one token and a contradicting --output-tokens are usage
    /// errors of one line.
    @Test func estimateTakesAnOutputLengthDistribution() throws {
        let base = ["estimate", "--hardware", "h100-sxm", "--model", "llama-3.1-8b", "--batch", "128", "--prompt-tokens", "800"]
        let mean = try #require(try run(base + ["--output-tokens", "300", "--format", "json"]).json)
        let spread = try #require(try run(base + ["--output-lengths", "50:0.6,675:0.4", "--format", "json"]).json)
        for key in ["output_tokens", "ttft_ms", "tpot_ms", "tokens_per_second"] {
            #expect("\(mean[key] ?? "")" == "\(spread[key] ?? "")", "static \(key)")
        }
        let a = try #require(mean["continuous_batching"] as? [String: Any]), b = try #require(spread["continuous_batching"] as? [String: Any])
        #expect((b["kv_slots"] as? Int ?? .max) < (a["kv_slots"] as? Int ?? 0))
        #expect((b["tpot_ms"] as? Double ?? 0) > (a["tpot_ms"] as? Double ?? .infinity))
        for (arguments, message) in [(["--output-lengths", "50:0.6,675:0.3"], "shares must sum to 1, found 0.9"),
                                     (["--output-lengths", "50-0.6"], "takes TOKENS:SHARE pairs"),
                                     (["--output-lengths", "1:0.5,675:0.5"], "at least 2 tokens"),
                                     (["--output-tokens", "200", "--output-lengths", "50:0.6,675:0.4"], "must be the --output-lengths mean"),
                                     ([], "Give --output-tokens or --output-lengths")] {
            let r = try run(base + arguments)
            #expect(r.status == 2 && r.stderr.contains(message) && r.stderr.split(separator: "\n").count == 1, "\(arguments): \(r.stderr)")
        }
    }

    /// `--prefix-cache-hit-rate`: the static prefill and the continuous-batching TTFT fall,
    /// the static TPOT does not change, the JSON states the rate and a warning says it is
    /// taken as given; a rate of 1 or more, or below 0, is a usage error of one line.
    @Test func estimateTakesAPrefixCacheHitRate() throws {
        let base = ["estimate", "--hardware", "h100-sxm", "--model", "llama-3.1-8b", "--batch", "32", "--prompt-tokens", "2000",
                    "--output-tokens", "256", "--format", "json"]
        let plain = try #require(try run(base).json)
        let cached = try #require(try run(base + ["--prefix-cache-hit-rate", "0.75"]).json)
        #expect(plain["prefix_cache_hit_rate"] == nil && cached["prefix_cache_hit_rate"] as? Double == 0.75)
        #expect((cached["ttft_ms"] as? Double ?? .infinity) < (plain["ttft_ms"] as? Double ?? 0))
        #expect("\(cached["tpot_ms"] ?? "")" == "\(plain["tpot_ms"] ?? "")")
        let a = try #require(plain["continuous_batching"] as? [String: Any]), b = try #require(cached["continuous_batching"] as? [String: Any])
        #expect((b["ttft_ms"] as? Double ?? .infinity) < (a["ttft_ms"] as? Double ?? 0))
        let codes = (cached["warnings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes.contains("prefix_cache_assumed"))
        for rate in [["--prefix-cache-hit-rate", "1"], ["--prefix-cache-hit-rate=-0.1"], ["--prefix-cache-hit-rate", "1.5"]] {
            let r = try run(Array(base.dropLast(2)) + rate)
            #expect(r.status == 2 && r.stderr.contains("--prefix-cache-hit-rate must be at least 0 and below 1")
                && r.stderr.split(separator: "\n").count == 1, "\(rate): \(r.stderr)")
        }
    }

    /// `--shared-prefix-tokens`: the JSON states the prefix and the hit rate it implies when
    /// none is given (its share of the prompt); the KV slots of the continuous batch grow, the
    /// static TPOT does not change; a prefix as long as the prompt, or a rate below its share,
    /// is a usage error of one line.
    @Test func estimateTakesASharedPrefix() throws {
        let base = ["estimate", "--hardware", "h100-sxm", "--model", "llama-3.1-8b", "--batch", "32", "--prompt-tokens", "2000",
                    "--output-tokens", "256", "--format", "json"]
        let cached = try #require(try run(base + ["--prefix-cache-hit-rate", "0.5"]).json)
        let shared = try #require(try run(base + ["--shared-prefix-tokens", "1000"]).json)
        #expect(shared["shared_prefix_tokens"] as? Int == 1000 && shared["prefix_cache_hit_rate"] as? Double == 0.5)
        #expect(cached["shared_prefix_tokens"] == nil)
        #expect("\(cached["tpot_ms"] ?? "")" == "\(shared["tpot_ms"] ?? "")")
        let a = try #require(cached["continuous_batching"] as? [String: Any]), b = try #require(shared["continuous_batching"] as? [String: Any])
        #expect((b["kv_slots"] as? Int ?? 0) > (a["kv_slots"] as? Int ?? .max), "\(a["kv_slots"] ?? "") vs \(b["kv_slots"] ?? "")")
        let warning = (shared["warnings"] as? [[String: Any]] ?? []).first { $0["code"] as? String == "prefix_cache_assumed" }
        #expect((warning?["message"] as? String ?? "").contains("1000-token prefix every request shares is held once"))
        for (flags, says) in [(["--shared-prefix-tokens", "2000"], "--shared-prefix-tokens must be at least 0 and below --prompt-tokens"),
                              (["--shared-prefix-tokens", "1000", "--prefix-cache-hit-rate", "0.4"], "below the shared prefix's share of the prompt")] {
            let r = try run(Array(base.dropLast(2)) + flags)
            #expect(r.status == 2 && r.stderr.contains(says) && r.stderr.split(separator: "\n").count == 1, "\(flags): \(r.stderr)")
        }
    }

    @Test func estimateTakesAnExplicitShapeAndTensorParallelism() throws {
        let r = try run(["estimate", "--hardware", "h100-sxm", "--params", "70B", "--layers", "80", "--hidden", "8192", "--heads", "64",
                         "--kv-heads", "8", "--batch", "8", "--prompt-tokens", "1024", "--output-tokens", "256", "--devices", "4",
                         "--training-tokens", "15T", "--training-days", "90", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(r.json)
        #expect(json["devices"] as? Int == 4)
        #expect((json["model"] as? [String: Any])?["layers"] as? Int == 80)
        #expect((json["training"] as? [String: Any])?["devices_for_target_days"] as? Int != nil)
    }

    @Test func badInputExitsWithTwo() throws {
        let unknown = try run(["estimate", "--hardware", "h101", "--params", "8B", "--batch", "1", "--prompt-tokens", "1", "--output-tokens", "1"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown hardware 'h101'"))
        let badShape = try run(["estimate", "--hardware", "l4", "--layers", "2", "--hidden", "250", "--heads", "4", "--batch", "1",
                                "--prompt-tokens", "1", "--output-tokens", "1"])
        #expect(badShape.status == 2)
        #expect(badShape.stderr.contains("multiple of heads"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "name: x\nkind: gpu\nbogus: 1\n".write(to: dir.appendingPathComponent("x.yaml"), atomically: true, encoding: .utf8)
        let badProfile = try run(["hardware", "list", "--profiles", dir.path])
        #expect(badProfile.status == 2)
        #expect(badProfile.stderr.contains("x.yaml:3:1: unknown key 'bogus'"))
    }

    @Test func calibrateWritesAProfileThatLoads() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("h100-sxm-\(UInt32.random(in: 0...UInt32.max)).yaml").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try run(["calibrate", "--hardware", "h100-sxm", "hardware-profiles/measurements/h100-sxm-example.csv",
                         "-o", out, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let errors = try #require(r.json?["errors"] as? [[String: Any]])
        #expect(errors.contains { $0["quantity"] as? String == "tpot_s" })
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("bandwidth_power_factor: {value:") && text.contains("calibrate: bounded least squares on 1 power rows"))
        let again = try run(["estimate", "--hardware", out, "--params", "8B", "--batch", "1", "--prompt-tokens", "8",
                             "--output-tokens", "8", "--format", "json"])
        #expect(again.status == 0, "\(again.stderr)")
    }
}
