import ArgumentParser
import Diagnostics
import ExperimentDesign
import FileIO
import Hardware
import Numerics

extension Precision: ExpressibleByArgument {}

/// The model to estimate: a published model by name (`--model`), `--params N`, an explicit
/// shape, or a shape with its parameter count.
struct HardwareModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A published model by name (see `scaleplan model list`), e.g. llama-3.1-8b, qwen3-32b, gemma-3-27b.", valueName: "name"),
            completion: .list(ModelCatalog.names))
    var model: String?

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

    @Option(help: "Width of one attention head (default: hidden / heads; Qwen3 and Gemma 3 state another).")
    var headDim: Int?

    @Option(help: "MLP inner width of the gated MLP (default: the Llama 3 rule, 3.5 x hidden rounded up to 256).")
    var intermediate: Int?

    @Flag(help: "The output projection shares the input embedding matrix.")
    var tiedEmbeddings = false

    @Option(help: "Attention window of the sliding-window layers, tokens (needs --local-layers).")
    var slidingWindow: Int?

    @Option(help: "How many layers use the sliding window (needs --sliding-window).")
    var localLayers: Int?

    @Option(help: "Routed experts per MoE layer (explicit mixture-of-experts shape; needs --active-experts and --expert-intermediate).")
    var experts: Int?

    @Option(help: "Routed experts each token runs (top-k).")
    var activeExperts: Int?

    @Option(help: "Inner width of one routed expert's gated MLP.")
    var expertIntermediate: Int?

    @Option(help: "Always-on (shared) experts per MoE layer (default 0).")
    var sharedExperts: Int?

    @Option(help: "How many layers are MoE layers (default: all); the others are dense with --intermediate.")
    var moeLayers: Int?

    /// The explicit-shape details other than the three that define a shape.
    private var shapeDetails: [(String, Bool)] {
        [("--kv-heads", kvHeads != nil), ("--vocab", vocab != nil), ("--head-dim", headDim != nil), ("--intermediate", intermediate != nil),
         ("--tied-embeddings", tiedEmbeddings), ("--sliding-window", slidingWindow != nil), ("--local-layers", localLayers != nil)]
            + expertDetails
    }

    /// The mixture-of-experts details of an explicit shape.
    private var expertDetails: [(String, Bool)] {
        [("--experts", experts != nil), ("--active-experts", activeExperts != nil), ("--expert-intermediate", expertIntermediate != nil),
         ("--shared-experts", sharedExperts != nil), ("--moe-layers", moeLayers != nil)]
    }

    func validate() throws {
        let shapeFlags = [layers, hidden, heads]
        if let model {
            let given = [("--params", params != nil), ("--layers", layers != nil), ("--hidden", hidden != nil), ("--heads", heads != nil)] + shapeDetails
            if let clash = given.first(where: \.1) {
                throw ValidationError("--model \(model) gives the whole shape; leave out \(clash.0).")
            }
            return
        }
        if shapeFlags.contains(where: { $0 != nil }) && shapeFlags.contains(where: { $0 == nil }) {
            throw ValidationError("An explicit shape needs all of --layers, --hidden and --heads.")
        }
        if params == nil && layers == nil {
            throw ValidationError("Give --model NAME, --params N, or a shape with --layers, --hidden and --heads.")
        }
        if layers == nil, let detail = shapeDetails.first(where: \.1) {
            throw ValidationError("\(detail.0) belongs to an explicit shape; add --layers, --hidden and --heads.")
        }
        if (slidingWindow == nil) != (localLayers == nil) {
            throw ValidationError("--sliding-window and --local-layers go together: the window, and how many layers use it.")
        }
        let moe = [experts, activeExperts, expertIntermediate]
        if expertDetails.contains(where: \.1) && moe.contains(where: { $0 == nil }) {
            throw ValidationError("A mixture-of-experts shape needs all of --experts, --active-experts and --expert-intermediate.")
        }
    }

    /// The shape, the parameter count and where the shape comes from (a family rule or a
    /// published config), if anywhere.
    func resolve() throws -> (shape: ModelShape, parameters: Double, family: String?, name: String?) {
        if let model {
            guard let entry = ModelCatalog.named(model) else {
                throw CLIFailure.badInput("--model: no published model is called '\(model)'\(Suggestion.hint(model, in: ModelCatalog.names)); `scaleplan model list` shows them")
            }
            return (entry.shape, entry.parameters, entry.source, entry.name)
        }
        if let layers, let hidden, let heads {
            let layout = experts.map { e in
                ExpertLayout(experts: e, activeExperts: activeExperts ?? 0, sharedExperts: sharedExperts ?? 0,
                             expertIntermediate: expertIntermediate ?? 0, moeLayers: moeLayers ?? layers)
            }
            let shape = ModelShape(layers: layers, hidden: hidden, heads: heads, kvHeads: kvHeads ?? heads,
                                   vocabulary: vocab ?? ModelShape.llamaVocabulary, intermediate: intermediate,
                                   tiedEmbeddings: tiedEmbeddings, headDimension: headDim,
                                   slidingWindow: slidingWindow, localLayers: localLayers ?? 0, experts: layout)
            try shape.validate()
            return (shape, params?.value ?? shape.parameterCount, nil, nil)
        }
        let n = params!.value
        return (try ModelShape.llama(parameters: n), n, ModelShape.llamaFamilyDescription, nil)
    }
}
