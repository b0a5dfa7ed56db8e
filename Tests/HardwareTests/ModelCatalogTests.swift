import Hardware
import Testing
import TestSupport

/// The catalogue of published shapes (issue 15, item 7): parameter counts against the
/// published totals, and the exact-shape details (head dimension, tied embeddings, sliding
/// windows) in the KV cache and attention FLOPs, by hand.
@Suite("Model catalogue")
struct ModelCatalogTests {
    /// The totals the model cards and reports state, in parameters, with the tolerance their
    /// rounding allows (one more digit than stated). Gemma 3: the report's Table 1 embedding
    /// plus non-embedding parameters of the language model (the vision encoder is not counted).
    static let published: [(String, Double, Double)] = [
        ("llama-3.1-8b", 8.03e9, 0.005), ("llama-3.1-70b", 70.6e9, 0.005), ("llama-3.1-405b", 405.9e9, 0.005),
        ("llama-3.3-70b", 70.6e9, 0.005),
        // Llama 2: the checkpoints' exact totals (Hugging Face safetensors metadata of
        // Llama-2-7b-hf, -13b-hf and -70b-hf).
        ("llama-2-7b", 6_738_415_616, 0.001), ("llama-2-13b", 13_015_864_320, 0.001), ("llama-2-70b", 68_976_648_192, 0.001),
        ("qwen3-0.6b", 0.6e9, 0.05), ("qwen3-1.7b", 1.7e9, 0.03), ("qwen3-4b", 4.0e9, 0.02), ("qwen3-8b", 8.2e9, 0.01),
        ("qwen3-14b", 14.8e9, 0.005), ("qwen3-32b", 32.8e9, 0.005),
        ("gemma-3-1b", 0.302e9 + 0.698e9, 0.005), ("gemma-3-4b", 0.675e9 + 3.209e9, 0.005),
        ("gemma-3-12b", 1.012e9 + 10.759e9, 0.005), ("gemma-3-27b", 1.416e9 + 25.600e9, 0.005),
    ]

    @Test func countsMatchThePublishedTotals() throws {
        for (name, total, tolerance) in Self.published {
            let entry = try #require(ModelCatalog.named(name), "\(name)")
            #expect(relativeDifference(entry.parameters, total) < tolerance, "\(name): \(entry.parameters) vs \(total)")
            try entry.shape.validate()
        }
        // The list is all there, and no name is listed twice.
        for name in ["llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "llama-3.3-70b", "qwen3-8b", "qwen3-14b", "qwen3-32b", "gemma-3-12b", "gemma-3-27b"] {
            #expect(ModelCatalog.named(name) != nil, "\(name)")
        }
        #expect(Set(ModelCatalog.names).count == ModelCatalog.names.count)
        #expect(ModelCatalog.named("Qwen3-32B")?.name == "qwen3-32b")
    }

    /// Qwen3-32B: 64 heads of 128 make a query width of 8192 on a 5120-wide model, so Q and O
    /// hold 2 x 5120 x 8192 per layer, not 2 x 5120².
    @Test func headDimensionSetsTheQueryWidth() throws {
        let s = try #require(ModelCatalog.named("qwen3-32b")).shape
        #expect(s.queryDimension == 8192 && s.kvDimension == 1024)
        let attention: Double = 2 * 5120 * 8192 + 2 * 5120 * 1024
        let mlp: Double = 3 * 5120 * 25600
        let embeddings: Double = 2 * 151_936 * 5120
        #expect(s.parameterCount == 64 * (attention + mlp) + embeddings)
        // 4 x q x L x context: 4 x 8192 x 64 x 1000 FLOPs for one token at 1000 tokens of context.
        let expected: Double = 4 * 8192 * 64 * 1000
        #expect(s.attentionFLOPs(context: 1000) == expected)
    }

    /// Gemma 3 27B: 52 of 62 layers attend over the last 1024 tokens. At 32768 tokens of
    /// context a sequence holds 2 x 16 KV heads x 128 x 2 bytes x (10 x 32768 + 52 x 1024).
    @Test func slidingWindowLayersStopGrowing() throws {
        let s = try #require(ModelCatalog.named("gemma-3-27b")).shape
        #expect(s.localLayers == 52 && s.globalLayers == 10 && s.slidingWindow == 1024 && s.tiedEmbeddings)
        let at32K: Double = 8192 * (10 * 32768 + 52 * 1024)
        #expect(s.kvCacheBytes(context: 32768, precision: .bf16) == at32K)
        // Below the window every layer holds the whole context.
        let at500: Double = 8192 * 62 * 500
        #expect(s.kvCacheBytes(context: 500, precision: .bf16) == at500)
        #expect(s.kvCacheBytesPerToken(.bf16) == 8192.0 * 62)
        // Decode attention at 4096 tokens: 4 x 4096 (query width) x (10 x 4096 + 52 x 1024).
        let decode: Double = 4 * 4096 * (10 * 4096 + 52 * 1024)
        #expect(s.attentionFLOPs(context: 4096) == decode)
        // Prefill of a 3000-token prompt: Σ t over 3000 tokens in global layers; in local
        // layers Σ min(t, 1024) = 1024 x 1025 / 2 + (3000 - 1024) x 1024.
        let global: Double = 3000 * 3001 / 2
        let local: Double = 1024 * 1025 / 2 + 1976 * 1024
        let prefill: Double = 4 * 4096 * (10 * global + 52 * local)
        #expect(s.prefillAttentionFLOPs(prompt: 3000) == prefill)
        // Without a window the prefill sum is the old P (P + 1) / 2 per layer.
        let llama = try #require(ModelCatalog.named("llama-3.1-8b")).shape
        #expect(llama.prefillAttentionFLOPs(prompt: 100) == llama.attentionFLOPs(context: 100.0 * 101 / 2))
    }

    /// The memory fit uses the windowed cache: a 128K-token Gemma 3 27B sequence needs far less
    /// than a full-attention model of the same KV width would.
    @Test func memoryFitUsesTheWindowedCache() throws {
        let s = try #require(ModelCatalog.named("gemma-3-27b")).shape
        let profile = try TestProfiles.shipped("h200")
        let w = ServingWorkload(shape: s, parameters: s.parameterCount, precision: .bf16, batch: 2, promptTokens: 120_000, outputTokens: 8_000)
        let fit = MemoryFit(profile: profile, workload: w)
        let expected: Double = 2 * 8192 * (10 * 128_000 + 52 * 1024)
        #expect(relativeDifference(fit.kvCacheBytes, expected) < 1e-12)
        var full = s
        full.slidingWindow = nil
        full.localLayers = 0
        let fullFit = MemoryFit(profile: profile, workload: ServingWorkload(shape: full, parameters: s.parameterCount, precision: .bf16,
                                                                            batch: 2, promptTokens: 120_000, outputTokens: 8_000))
        #expect(fullFit.kvCacheBytes > 5 * fit.kvCacheBytes)
    }

    /// An FP8 Llama 3.1 8B with attention and the LM head kept in bf16: those 1.87B parameters
    /// take 2 bytes and run at the bf16 peak, the rest 1 byte at the fp8 peak.
    @Test func layersKeptInBF16() throws {
        let s = try #require(ModelCatalog.named("llama-3.1-8b")).shape
        let attention: Double = 32 * (2 * 4096 * 4096 + 2 * 4096 * 1024)
        let head: Double = 128_256 * 4096
        #expect(s.attentionParameters == attention && s.outputProjectionParameters == head)
        var w = ServingWorkload(shape: s, precision: .fp8, batch: 4, promptTokens: 256, outputTokens: 64)
        let plain = w.weightBytes
        w.highPrecisionParameters = attention + head
        #expect(w.weightBytes == plain + attention + head)
        let profile = try TestProfiles.shipped("h100-sxm")
        let p = try Roofline.prefill(profile: profile, workload: w)
        let tokens: Double = 4 * 256
        let flops = 2 * w.matmulParameters * tokens + 4 * s.prefillAttentionFLOPs(prompt: 256)
        let high = 2 * (attention + head) * tokens
        let expected = (flops - high) / 1979e12 + high / 989e12
        #expect(relativeDifference(p.computeSeconds * p.computeEfficiency, expected) < 1e-12)
        // In bf16 nothing changes: the kept layers are bf16 already.
        var bf16 = ServingWorkload(shape: s, precision: .bf16, batch: 4, promptTokens: 256, outputTokens: 64)
        let before = bf16.weightBytes
        bf16.highPrecisionParameters = attention
        #expect(bf16.weightBytes == before)
    }

    @Test func badShapesAreRefused() {
        #expect(throws: HardwareError.self) {
            try ModelShape(layers: 4, hidden: 100, heads: 3, kvHeads: 1, vocabulary: 10).validate()
        }
        #expect(throws: HardwareError.self) {
            try ModelShape(layers: 4, hidden: 128, heads: 2, kvHeads: 1, vocabulary: 10, slidingWindow: 16, localLayers: 5).validate()
        }
        // An explicit head dimension lifts the divisibility rule.
        #expect(throws: Never.self) {
            try ModelShape(layers: 4, hidden: 100, heads: 3, kvHeads: 1, vocabulary: 10, headDimension: 64).validate()
        }
    }
}
