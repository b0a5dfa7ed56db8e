extension ModelFamily {
    /// Qwen3 dense models, 0.6B to 32B: head dimension 128 whatever the width (so the query
    /// width differs from d), 8 KV heads, 151936-token vocabulary; 0.6B-4B tie their embeddings.
    /// The q/k RMS norms are not counted.
    public static let qwen3 = ModelFamily(
        name: "qwen3",
        source: "Qwen Team 2025, Qwen3 Technical Report (arXiv:2505.09388), Table 1; config.json of Qwen/Qwen3-0.6B, -1.7B, -4B, -8B, -14B and -32B on Hugging Face (https://huggingface.co/Qwen)",
        members: [
            Member(name: "qwen3-0.6b", shape: ModelShape(layers: 28, hidden: 1024, heads: 16, kvHeads: 8, vocabulary: 151_936, intermediate: 3072, tiedEmbeddings: true, headDimension: 128)),
            Member(name: "qwen3-1.7b", shape: ModelShape(layers: 28, hidden: 2048, heads: 16, kvHeads: 8, vocabulary: 151_936, intermediate: 6144, tiedEmbeddings: true, headDimension: 128)),
            Member(name: "qwen3-4b", shape: ModelShape(layers: 36, hidden: 2560, heads: 32, kvHeads: 8, vocabulary: 151_936, intermediate: 9728, tiedEmbeddings: true, headDimension: 128)),
            Member(name: "qwen3-8b", shape: ModelShape(layers: 36, hidden: 4096, heads: 32, kvHeads: 8, vocabulary: 151_936, intermediate: 12288, headDimension: 128)),
            Member(name: "qwen3-14b", shape: ModelShape(layers: 40, hidden: 5120, heads: 40, kvHeads: 8, vocabulary: 151_936, intermediate: 17408, headDimension: 128)),
            Member(name: "qwen3-32b", shape: ModelShape(layers: 64, hidden: 5120, heads: 64, kvHeads: 8, vocabulary: 151_936, intermediate: 25600, headDimension: 128)),
        ])

    /// Gemma 3 text models, 1B to 27B: tied embeddings, GeGLU MLP (three matrices, as SwiGLU),
    /// five sliding-window layers per global one (`sliding_window_pattern: 6`, the global layer
    /// last: L − ⌊L / 6⌋ local layers), window 512 (1B) or 1024 tokens. The 4B-27B models'
    /// vision encoders (about 0.4B) are not part of the language model counted here.
    public static let gemma3 = ModelFamily(
        name: "gemma-3",
        source: "Gemma Team 2025, Gemma 3 Technical Report (arXiv:2503.19786), Table 1 and section 2.1; config.json of google/gemma-3-1b-pt, -4b-pt, -12b-pt and -27b-pt on Hugging Face (text_config)",
        members: [
            Member(name: "gemma-3-1b", shape: gemma(layers: 26, hidden: 1152, heads: 4, kvHeads: 1, headDimension: 256, intermediate: 6912, vocabulary: 262_144, window: 512)),
            Member(name: "gemma-3-4b", shape: gemma(layers: 34, hidden: 2560, heads: 8, kvHeads: 4, headDimension: 256, intermediate: 10240, vocabulary: 262_208, window: 1024)),
            Member(name: "gemma-3-12b", shape: gemma(layers: 48, hidden: 3840, heads: 16, kvHeads: 8, headDimension: 256, intermediate: 15360, vocabulary: 262_208, window: 1024)),
            Member(name: "gemma-3-27b", shape: gemma(layers: 62, hidden: 5376, heads: 32, kvHeads: 16, headDimension: 128, intermediate: 21504, vocabulary: 262_208, window: 1024)),
        ])

    /// A Gemma 3 shape: one global layer in six (`sliding_window_pattern: 6`).
    private static func gemma(layers: Int, hidden: Int, heads: Int, kvHeads: Int, headDimension: Int, intermediate: Int,
                              vocabulary: Int, window: Int) -> ModelShape {
        ModelShape(layers: layers, hidden: hidden, heads: heads, kvHeads: kvHeads, vocabulary: vocabulary, intermediate: intermediate,
                   tiedEmbeddings: true, headDimension: headDimension, slidingWindow: window, localLayers: layers - layers / 6)
    }
}
