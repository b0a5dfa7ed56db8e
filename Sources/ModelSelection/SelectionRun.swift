/// One run of a candidate in `scaleplan select`: a configuration (architecture, data mixture,
/// tokenizer, pretrained base) trained or fine-tuned at one size, with its metric.
public struct SelectionRun: Equatable, Sendable {
    /// The candidate this run belongs to.
    public var candidate: String
    /// Model size N (or the base model's size for fine-tuning), parameters.
    public var params: Double
    /// Training tokens D (or fine-tuning tokens or examples); nil when the runs give none.
    public var tokens: Double?
    /// The seed, when the runs give one (replicates of one configuration differ in it).
    public var seed: String?
    /// The metric: a loss or an error rate (lower is better), or an accuracy when the
    /// selection says higher is better.
    public var value: Double
    /// The run's loss, when a downstream metric is predicted through it (`throughLoss`).
    public var loss: Double?
    /// A checkpoint of a run still in training: not fitted, compared with the law.
    public var partial: Bool
    /// The run's row in the input (0-based data row), for located messages.
    public var row: Int

    public init(candidate: String, params: Double, tokens: Double? = nil, seed: String? = nil, value: Double,
                loss: Double? = nil, partial: Bool = false, row: Int) {
        self.loss = loss
        self.candidate = candidate
        self.params = params
        self.tokens = tokens
        self.seed = seed
        self.value = value
        self.partial = partial
        self.row = row
    }

    /// Training compute 6ND, FLOP (nil without tokens).
    public var compute: Double? { tokens.map { 6 * params * $0 } }
}

/// Where the candidates are compared: a model size and tokens, or a compute budget at which
/// each candidate takes its own compute-optimal allocation.
public enum SelectionTarget: Equatable, Sendable {
    /// Model size N (base size X for fine-tuning) and, for laws that read them, tokens D.
    case point(params: Double?, tokens: Double?)
    /// Training compute C = 6ND, FLOP.
    case compute(Double)
}
