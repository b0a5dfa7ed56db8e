import Foundation
import Testing
import TestSupport

/// Published models by name on the command line and in scenarios (issues 15 and 19).
@Suite("Model catalogue CLI")
struct ModelCatalogCLITests {
    @Test func listAndShow() throws {
        let list = try runScaleplan(["model", "list", "--format", "json"])
        let models = try #require(jsonObject(list.stdout)?["models"] as? [[String: Any]])
        let names = models.compactMap { $0["name"] as? String }
        for name in ["llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "llama-3.3-70b", "qwen3-8b", "qwen3-14b", "qwen3-32b", "gemma-3-12b", "gemma-3-27b"] {
            #expect(names.contains(name), "\(name)")
        }
        #expect(models.allSatisfy { ($0["source"] as? String)?.contains("config.json") == true })
        let show = try #require(jsonObject(try runScaleplan(["model", "show", "gemma-3-27b", "--format", "json"]).stdout))
        #expect(show["head_dim"] as? Int == 128 && show["sliding_window"] as? Int == 1024 && show["local_layers"] as? Int == 52)
        // 2 x 16 x 128 x 2 bytes x (10 x 32768 + 52 x 1024) = 3.12 GB.
        #expect(relativeDifference(show["kv_cache_gb_at_32k_context_bf16"] as! Double, 8192.0 * (10 * 32768 + 52 * 1024) / 1e9) < 1e-12)
        let typo = try runScaleplan(["model", "show", "qwen3-23b"])
        #expect(typo.status == 2 && typo.stderr.contains("no published model is called 'qwen3-23b' (did you mean"), "\(typo.stderr)")
    }

    /// Every mixture-of-experts entry estimates on H100 and B200 with 8 devices expert-parallel
    /// (issue 17): active parameters below the total, memory per device where the layout puts
    /// it, finite latencies; gpt-oss-120b in MXFP4 fits one H100 and gives its expert layout.
    @Test func estimateTakesEveryMoEModelOnH100AndB200() throws {
        let names = ["mixtral-8x7b", "qwen3-30b-a3b", "qwen3-235b-a22b", "qwen3-coder-480b-a35b", "deepseek-v3", "deepseek-r1",
                     "deepseek-v3.1", "llama-4-scout", "llama-4-maverick", "gpt-oss-20b", "gpt-oss-120b"]
        for hardware in ["h100-sxm", "b200"] {
            for name in names {
                let r = try runScaleplan(["estimate", "--hardware", hardware, "--model", name, "--precision", "fp8", "--devices", "8",
                                          "--expert-parallel", "8", "--batch", "16", "--prompt-tokens", "1024", "--output-tokens", "256",
                                          "--format", "json"])
                #expect(r.status == 0, "\(name) on \(hardware): \(r.stderr)")
                let out = try #require(jsonObject(r.stdout), "\(name): \(r.stderr)")
                let model = try #require(out["model"] as? [String: Any])
                let active = try #require(model["active_parameters"] as? Double), total = try #require(model["parameters"] as? Double)
                #expect(active < total / 2, "\(name)")
                #expect(out["expert_parallel"] as? Int == 8)
                let tpot = try #require(out["tpot_ms"] as? Double)
                #expect(tpot.isFinite && tpot > 0)
                // fp8 weights: every expert's, split over the 8 devices, is at least total / 8 bytes.
                #expect(try #require(out["weights_gb"] as? Double) >= total / 8 / 1e9 * 0.999, "\(name)")
            }
        }
        let oss = try #require(jsonObject(try runScaleplan(["estimate", "--hardware", "h100-sxm", "--model", "gpt-oss-120b", "--precision", "mxfp4",
                                                            "--bf16-layers", "non-experts", "--batch", "4", "--prompt-tokens", "1024",
                                                            "--output-tokens", "512", "--format", "json"]).stdout))
        #expect(oss["fits"] as? Bool == true && oss["min_devices_to_fit"] as? Int == 1)
        let model = try #require(oss["model"] as? [String: Any])
        #expect(model["experts"] as? Int == 128 && model["active_experts"] as? Int == 4)
    }

    /// `estimate --model` runs every catalogue entry, its shape in the output; the 70B models
    /// need two H100s in bf16 just for the weights.
    @Test func estimateTakesEveryModel() throws {
        let names = (jsonObject(try runScaleplan(["model", "list", "--format", "json"]).stdout)?["models"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names.count >= 20)
        for name in names {
            let r = try runScaleplan(["estimate", "--hardware", "h100-sxm", "--model", name, "--devices", "8", "--batch", "8",
                                      "--prompt-tokens", "1024", "--output-tokens", "128", "--format", "json"])
            let out = try #require(jsonObject(r.stdout), "\(name): \(r.stderr)")
            let model = try #require(out["model"] as? [String: Any])
            #expect(model["name"] as? String == name)
        }
        let big = try #require(jsonObject(try runScaleplan(["estimate", "--hardware", "h100-sxm", "--model", "llama-3.3-70b", "--batch", "1",
                                                            "--prompt-tokens", "128", "--output-tokens", "128", "--format", "json"]).stdout))
        #expect(big["min_devices_to_fit"] as? Int == 2 && big["fits"] as? Bool == false)
        let clash = try runScaleplan(["estimate", "--hardware", "h100-sxm", "--model", "qwen3-8b", "--params", "8B", "--batch", "1",
                                      "--prompt-tokens", "1", "--output-tokens", "1"])
        #expect(clash.status == 2 && clash.stderr.contains("--model qwen3-8b gives the whole shape; leave out --params"), "\(clash.stderr)")
        let window = try runScaleplan(["estimate", "--hardware", "h100-sxm", "--layers", "4", "--hidden", "512", "--heads", "8", "--sliding-window", "128",
                                       "--batch", "1", "--prompt-tokens", "1", "--output-tokens", "1"])
        #expect(window.status == 2 && window.stderr.contains("--sliding-window and --local-layers go together"), "\(window.stderr)")
    }

    /// A downscale reference and candidate sizes named after published models use their
    /// shapes; a misspelt name is located with a suggestion.
    @Test func scenariosNameModels() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-models-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let text = """
            scenario: named
            law: { preset: hoffmann2022 }
            training: { hardware: h100-sxm, mfu: 0.4, devices: 1024 }
            downscale:
              reference: { model: llama-3.3-70b }
              devices: [l40s]
              precision: [bf16, fp8]
              prompt_tokens: 400
              output_tokens: 200
              sizes: [qwen3-8b, gemma-3-12b, qwen3-14b]

            """
        try text.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        let r = try runScaleplan(["downscale", dir + "/s.yaml", "-q", "--format", "json"])
        let out = try #require(jsonObject(r.stdout), "\(r.stderr)")
        let reference = try #require(out["reference"] as? [String: Any])
        #expect(reference["model"] as? String == "llama-3.3-70b")
        #expect(relativeDifference(reference["params"] as! Double, 70.55e9) < 0.001)
        let models = Set((out["frontier"] as? [[String: Any]] ?? []).compactMap { $0["model"] as? String })
        #expect(!models.isEmpty && models.isSubset(of: ["qwen3-8b", "gemma-3-12b", "qwen3-14b"]), "\(models)")
        try text.replacingOccurrences(of: "gemma-3-12b", with: "gemma-3-13b").write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try runScaleplan(["validate", dir + "/bad.yaml"])
        #expect(bad.status == 2 && bad.stderr.contains("bad.yaml:10:21: no published model is called 'gemma-3-13b' (did you mean 'gemma-3-1b' or 'gemma-3-12b'?)"), "\(bad.stderr)")
    }

    @Test func completionsOfferModelNames() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try runScaleplan(["--generate-completion-script", shell])
            #expect(r.stdout.contains("qwen3-32b") && r.stdout.contains("gemma-3-27b"), "\(shell)")
        }
    }
}

/// `estimate --bf16-layers` keeps attention and the LM head in bf16 under fp8 weights.
@Suite("Layers kept in bf16")
struct BF16LayersCLITests {
    @Test func weightsGrowByTheKeptLayers() throws {
        func weights(_ extra: [String]) throws -> Double {
            let r = try runScaleplan(["estimate", "--hardware", "h100-sxm", "--model", "llama-3.1-8b", "--precision", "fp8", "--batch", "1",
                                      "--prompt-tokens", "128", "--output-tokens", "16", "--format", "json"] + extra)
            return try #require(jsonObject(r.stdout)?["weights_gb"] as? Double, "\(r.stderr)")
        }
        let attention: Double = 32 * (2 * 4096 * 4096 + 2 * 4096 * 1024) / 1e9
        #expect(relativeDifference(try weights(["--bf16-layers", "attention"]) - (try weights([])), attention) < 1e-9)
        let bad = try runScaleplan(["estimate", "--hardware", "h100-sxm", "--model", "llama-3.1-8b", "--bf16-layers", "mlp", "--batch", "1",
                                    "--prompt-tokens", "1", "--output-tokens", "1"])
        #expect(bad.status == 2 && bad.stderr.contains("--bf16-layers takes attention, lm-head or both"))
    }
}
