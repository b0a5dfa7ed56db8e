/// A published family of model shapes: the sizes a team can actually train and serve with
/// existing code and kernels. Scenarios restrict the planner's model size to a family
/// (`search: {family: NAME}`); each member's parameter count is computed from its shape
/// (`ModelShape.parameterCount`), which matches the published totals to within 1%.
public struct ModelFamily: Sendable, Equatable {
    /// One member: a name ("llama-3.1-8b") and its shape.
    public struct Member: Sendable, Equatable {
        public let name: String
        public let shape: ModelShape
        /// Parameters N from the shape.
        public var parameters: Double { shape.parameterCount }
    }

    /// Family name used in scenario files ("llama-3").
    public let name: String
    /// Where the shapes come from.
    public let source: String
    /// Members by increasing size.
    public let members: [Member]

    /// The families scaleplan knows, by name.
    public static let all: [ModelFamily] = [llama2, llama3, qwen25, qwen3, gemma3]

    /// The family named `name`, or nil.
    public static func named(_ name: String) -> ModelFamily? { all.first { $0.name == name } }

    /// Llama 2 (7B, 13B: full multi-head attention; 70B: 8 KV heads): 32000-token
    /// vocabulary, untied embeddings. MLPerf Inference's Llama-2-70B benchmark and many
    /// published serving measurements run these shapes.
    public static let llama2 = ModelFamily(
        name: "llama-2",
        source: "Meta, config.json of Llama-2-7b-hf, Llama-2-13b-hf and Llama-2-70b-hf on Hugging Face; Touvron et al. 2023, Llama 2: Open Foundation and Fine-Tuned Chat Models, Table 1",
        members: [
            Member(name: "llama-2-7b", shape: ModelShape(layers: 32, hidden: 4096, heads: 32, kvHeads: 32, vocabulary: 32_000, intermediate: 11008)),
            Member(name: "llama-2-13b", shape: ModelShape(layers: 40, hidden: 5120, heads: 40, kvHeads: 40, vocabulary: 32_000, intermediate: 13824)),
            Member(name: "llama-2-70b", shape: ModelShape(layers: 80, hidden: 8192, heads: 64, kvHeads: 8, vocabulary: 32_000, intermediate: 28672)),
        ])

    /// Llama 3.2 (1B, 3B; tied embeddings) and Llama 3.1 (8B, 70B, 405B): 128256-token
    /// vocabulary, 8 KV heads.
    public static let llama3 = ModelFamily(
        name: "llama-3",
        source: "Meta, config.json of Llama-3.2-1B, Llama-3.2-3B, Llama-3.1-8B, -70B and -405B on Hugging Face; Dubey et al. 2024, The Llama 3 Herd of Models, Table 3",
        members: [
            Member(name: "llama-3.2-1b", shape: ModelShape(layers: 16, hidden: 2048, heads: 32, kvHeads: 8, vocabulary: 128_256, intermediate: 8192, tiedEmbeddings: true)),
            Member(name: "llama-3.2-3b", shape: ModelShape(layers: 28, hidden: 3072, heads: 24, kvHeads: 8, vocabulary: 128_256, intermediate: 8192, tiedEmbeddings: true)),
            Member(name: "llama-3.1-8b", shape: ModelShape(layers: 32, hidden: 4096, heads: 32, kvHeads: 8, vocabulary: 128_256, intermediate: 14336)),
            Member(name: "llama-3.1-70b", shape: ModelShape(layers: 80, hidden: 8192, heads: 64, kvHeads: 8, vocabulary: 128_256, intermediate: 28672)),
            Member(name: "llama-3.1-405b", shape: ModelShape(layers: 126, hidden: 16384, heads: 128, kvHeads: 8, vocabulary: 128_256, intermediate: 53248)),
        ])

    /// Qwen2.5 dense models, 0.5B to 72B (0.5B-3B tie their embeddings; 151936 or 152064-token
    /// vocabularies; the small QKV biases are not counted).
    public static let qwen25 = ModelFamily(
        name: "qwen2.5",
        source: "Qwen Team 2024, Qwen2.5 Technical Report, Table 1; config.json of Qwen2.5-0.5B to -72B on Hugging Face",
        members: [
            Member(name: "qwen2.5-0.5b", shape: ModelShape(layers: 24, hidden: 896, heads: 14, kvHeads: 2, vocabulary: 151_936, intermediate: 4864, tiedEmbeddings: true)),
            Member(name: "qwen2.5-1.5b", shape: ModelShape(layers: 28, hidden: 1536, heads: 12, kvHeads: 2, vocabulary: 151_936, intermediate: 8960, tiedEmbeddings: true)),
            Member(name: "qwen2.5-3b", shape: ModelShape(layers: 36, hidden: 2048, heads: 16, kvHeads: 2, vocabulary: 151_936, intermediate: 11008, tiedEmbeddings: true)),
            Member(name: "qwen2.5-7b", shape: ModelShape(layers: 28, hidden: 3584, heads: 28, kvHeads: 4, vocabulary: 152_064, intermediate: 18944)),
            Member(name: "qwen2.5-14b", shape: ModelShape(layers: 48, hidden: 5120, heads: 40, kvHeads: 8, vocabulary: 152_064, intermediate: 13824)),
            Member(name: "qwen2.5-32b", shape: ModelShape(layers: 64, hidden: 5120, heads: 40, kvHeads: 8, vocabulary: 152_064, intermediate: 27648)),
            Member(name: "qwen2.5-72b", shape: ModelShape(layers: 80, hidden: 8192, heads: 64, kvHeads: 8, vocabulary: 152_064, intermediate: 29568)),
        ])
}
