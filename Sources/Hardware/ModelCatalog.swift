/// The published model shapes scaleplan knows by name: every member of the families
/// (`ModelFamily.all`) and models that share a family member's shape under another name
/// (Llama 3.3 70B is Llama 3.1 70B's architecture, retrained). `estimate --model NAME`,
/// `scaleplan model list`, `sizes: [qwen3-8b, ...]` and a downscale `reference: {model: ...}`
/// read it.
public enum ModelCatalog {
    /// One published model: its name, shape and the config the shape is cited to.
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let shape: ModelShape
        /// The family it belongs to (`search: {family: ...}`), if any.
        public let family: String?
        /// Where the shape comes from.
        public let source: String
        /// Parameters N from the shape (`ModelShape.parameterCount`).
        public var parameters: Double { shape.parameterCount }
    }

    /// Models outside the families, each cited to its own config.
    static let extra: [Entry] = [
        Entry(name: "llama-3.3-70b",
              shape: ModelShape(layers: 80, hidden: 8192, heads: 64, kvHeads: 8, vocabulary: 128_256, intermediate: 28672),
              family: nil,
              source: "Meta, config.json of meta-llama/Llama-3.3-70B-Instruct on Hugging Face (the Llama 3.1 70B architecture: 80 layers, d 8192, 64 heads, 8 KV heads, f 28672, vocabulary 128256)"),
    ]

    /// Every entry, families first (by family, then size), then the others.
    public static let all: [Entry] = ModelFamily.all.flatMap { f in
        f.members.map { Entry(name: $0.name, shape: $0.shape, family: f.name, source: f.source) }
    } + extra + mixtureOfExperts

    /// The names, for completions and suggestions.
    public static var names: [String] { all.map(\.name) }

    /// The entry named `name` (case-insensitive), or nil.
    public static func named(_ name: String) -> Entry? {
        let key = name.lowercased()
        return all.first { $0.name == key }
    }
}
