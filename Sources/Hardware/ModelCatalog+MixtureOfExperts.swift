extension ModelCatalog {
    /// Published mixture-of-experts models, each cited to its config.json. The parameter counts
    /// from the shapes match the published totals and active counts to within 2% (norms,
    /// biases, attention sinks and DeepSeek's multi-token-prediction module are not counted;
    /// the vision encoders of Llama 4 are not part of the language model).
    static let mixtureOfExperts: [Entry] = [
        Entry(name: "mixtral-8x7b",
              shape: ModelShape(layers: 32, hidden: 4096, heads: 32, kvHeads: 8, vocabulary: 32_000, intermediate: 14336,
                                experts: ExpertLayout(experts: 8, activeExperts: 2, expertIntermediate: 14336, moeLayers: 32)),
              family: nil,
              source: "Mistral AI, config.json of mistralai/Mixtral-8x7B-v0.1 on Hugging Face (32 layers, d 4096, 32 heads, 8 KV heads, 8 experts of width 14336, top-2, vocabulary 32000); Jiang et al. 2024, Mixtral of Experts (arXiv:2401.04088): 47B total, 13B active"),
        Entry(name: "qwen3-30b-a3b",
              shape: ModelShape(layers: 48, hidden: 2048, heads: 32, kvHeads: 4, vocabulary: 151_936, intermediate: 6144, headDimension: 128,
                                experts: ExpertLayout(experts: 128, activeExperts: 8, expertIntermediate: 768, moeLayers: 48)),
              family: nil,
              source: "Qwen Team, config.json of Qwen/Qwen3-30B-A3B on Hugging Face (48 layers, d 2048, 32 heads, 4 KV heads, head dim 128, 128 experts of width 768, top-8); Qwen3 Technical Report (arXiv:2505.09388), Table 2: 30.5B total, 3.3B active"),
        Entry(name: "qwen3-235b-a22b",
              shape: ModelShape(layers: 94, hidden: 4096, heads: 64, kvHeads: 4, vocabulary: 151_936, intermediate: 12288, headDimension: 128,
                                experts: ExpertLayout(experts: 128, activeExperts: 8, expertIntermediate: 1536, moeLayers: 94)),
              family: nil,
              source: "Qwen Team, config.json of Qwen/Qwen3-235B-A22B on Hugging Face (94 layers, d 4096, 64 heads, 4 KV heads, head dim 128, 128 experts of width 1536, top-8); Qwen3 Technical Report (arXiv:2505.09388), Table 2: 235B total, 22B active"),
        Entry(name: "qwen3-coder-480b-a35b",
              shape: ModelShape(layers: 62, hidden: 6144, heads: 96, kvHeads: 8, vocabulary: 151_936, intermediate: 8192, headDimension: 128,
                                experts: ExpertLayout(experts: 160, activeExperts: 8, expertIntermediate: 2560, moeLayers: 62)),
              family: nil,
              source: "Qwen Team, config.json of Qwen/Qwen3-Coder-480B-A35B-Instruct on Hugging Face (62 layers, d 6144, 96 heads, 8 KV heads, head dim 128, 160 experts of width 2560, top-8): 480B total, 35B active"),
        Entry(name: "deepseek-v3",
              shape: deepSeekV3,
              family: nil,
              source: deepSeekV3Source),
        Entry(name: "deepseek-r1", shape: deepSeekV3, family: nil,
              source: "DeepSeek-AI, config.json of deepseek-ai/DeepSeek-R1 on Hugging Face: the DeepSeek-V3 architecture. " + deepSeekV3Source),
        Entry(name: "deepseek-v3.1", shape: deepSeekV3, family: nil,
              source: "DeepSeek-AI, config.json of deepseek-ai/DeepSeek-V3.1 on Hugging Face: the DeepSeek-V3 architecture. " + deepSeekV3Source),
        Entry(name: "llama-4-scout",
              shape: llama4(moeLayers: 48, experts: 16),
              family: nil,
              source: "Meta, config.json of meta-llama/Llama-4-Scout-17B-16E on Hugging Face (text_config: 48 layers, d 5120, 40 heads, 8 KV heads, head dim 128, 16 experts of width 8192 plus one shared, top-1, every layer MoE, chunked attention of 8192 tokens in 3 of 4 layers, vocabulary 202048): 109B total, 17B active"),
        Entry(name: "llama-4-maverick",
              shape: llama4(moeLayers: 24, experts: 128),
              family: nil,
              source: "Meta, config.json of meta-llama/Llama-4-Maverick-17B-128E on Hugging Face (text_config: as Scout, with 128 experts in every second layer, interleave_moe_layer_step 2, and dense MLPs of width 16384 in the others): 400B total, 17B active"),
        Entry(name: "gpt-oss-20b",
              shape: gptOSS(layers: 24, experts: 32),
              family: nil,
              source: "OpenAI, config.json of openai/gpt-oss-20b on Hugging Face (24 layers, d 2880, 64 heads of 64, 8 KV heads, 32 experts of width 2880, top-4, sliding window 128 in alternate layers, vocabulary 201088); gpt-oss-120b & gpt-oss-20b Model Card (2025), Table 1: 20.9B total, 3.6B active; experts in MXFP4"),
        Entry(name: "gpt-oss-120b",
              shape: gptOSS(layers: 36, experts: 128),
              family: nil,
              source: "OpenAI, config.json of openai/gpt-oss-120b on Hugging Face (36 layers, d 2880, 64 heads of 64, 8 KV heads, 128 experts of width 2880, top-4, sliding window 128 in alternate layers, vocabulary 201088); gpt-oss-120b & gpt-oss-20b Model Card (2025), Table 1: 116.8B total, 5.1B active; experts in MXFP4"),
    ]

    /// DeepSeek-V3 (also R1 and V3.1): latent attention, 3 dense layers then 58 MoE layers of
    /// 256 routed experts (top-8) and one shared expert.
    static let deepSeekV3 = ModelShape(
        layers: 61, hidden: 7168, heads: 128, kvHeads: 128, vocabulary: 129_280, intermediate: 18432, headDimension: 128,
        experts: ExpertLayout(experts: 256, activeExperts: 8, sharedExperts: 1, expertIntermediate: 2048, moeLayers: 58),
        latentAttention: LatentAttention(queryRank: 1536, kvRank: 512, ropeDimension: 64, noPositionDimension: 128, valueDimension: 128))

    static let deepSeekV3Source =
        "DeepSeek-AI, config.json of deepseek-ai/DeepSeek-V3 on Hugging Face (61 layers, d 7168, 128 heads, q_lora_rank 1536, kv_lora_rank 512, qk_rope_head_dim 64, qk_nope_head_dim 128, v_head_dim 128, first_k_dense_replace 3 with width 18432, 256 routed experts of width 2048 plus 1 shared, top-8, vocabulary 129280); DeepSeek-V3 Technical Report (arXiv:2412.19437), section 4.2: 671B total, 37B active (the 14B multi-token-prediction module not counted)"

    /// Llama 4 text models: chunked attention (8192-token chunks) in three layers of four,
    /// modelled as a sliding window of 8192 (a chunk's tokens attend over at most 8192).
    static func llama4(moeLayers: Int, experts: Int) -> ModelShape {
        ModelShape(layers: 48, hidden: 5120, heads: 40, kvHeads: 8, vocabulary: 202_048, intermediate: 16384, headDimension: 128,
                   slidingWindow: 8192, localLayers: 36,
                   experts: ExpertLayout(experts: experts, activeExperts: 1, sharedExperts: 1, expertIntermediate: 8192, moeLayers: moeLayers))
    }

    /// gpt-oss: every layer MoE with top-4 routing, alternating 128-token sliding-window and
    /// full attention layers.
    static func gptOSS(layers: Int, experts: Int) -> ModelShape {
        ModelShape(layers: layers, hidden: 2880, heads: 64, kvHeads: 8, vocabulary: 201_088, intermediate: 2880, headDimension: 64,
                   slidingWindow: 128, localLayers: layers / 2,
                   experts: ExpertLayout(experts: experts, activeExperts: 4, expertIntermediate: 2880, moeLayers: layers))
    }
}
