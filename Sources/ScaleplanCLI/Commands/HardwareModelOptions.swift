import ArgumentParser
import ExperimentDesign
import FileIO
import Hardware
import Numerics

extension Precision: ExpressibleByArgument {}

/// The model to estimate: `--params N`, an explicit shape, or both.
struct HardwareModelOptions: ParsableArguments {
    @Option(help: "Model size N in parameters (SI suffixes allowed: 8B). Without a shape, a Llama-3-style shape is derived from it.")
    var params: PositiveNumber?

    @Option(help: "Transformer blocks (explicit shape; needs --hidden and --heads).")
    var layers: Int?

    @Option(help: "Model width d (explicit shape).")
    var hidden: Int?

    @Option(help: "Attention heads (explicit shape).")
    var heads: Int?

    @Option(help: "Key/value heads for grouped-query attention (default: --heads).")
    var kvHeads: Int?

    @Option(help: "Vocabulary size (default 128256, the Llama 3 tokenizer).")
    var vocab: Int?

    func validate() throws {
        let shapeFlags = [layers, hidden, heads]
        if shapeFlags.contains(where: { $0 != nil }) && shapeFlags.contains(where: { $0 == nil }) {
            throw ValidationError("An explicit shape needs all of --layers, --hidden and --heads.")
        }
        if params == nil && layers == nil {
            throw ValidationError("Give --params N, or a shape with --layers, --hidden and --heads.")
        }
        if layers == nil && (kvHeads != nil || vocab != nil) {
            throw ValidationError("--kv-heads and --vocab belong to an explicit shape; add --layers, --hidden and --heads.")
        }
    }

    /// The shape, the parameter count and, for a derived shape, its family.
    func resolve() throws -> (shape: ModelShape, parameters: Double, family: String?) {
        if let layers, let hidden, let heads {
            let shape = ModelShape(layers: layers, hidden: hidden, heads: heads, kvHeads: kvHeads ?? heads,
                                   vocabulary: vocab ?? ModelShape.llamaVocabulary)
            try shape.validate()
            return (shape, params?.value ?? shape.parameterCount, nil)
        }
        let n = params!.value
        return (try ModelShape.llama(parameters: n), n, ModelShape.llamaFamilyDescription)
    }
}
