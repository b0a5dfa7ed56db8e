import Hardware
import ScalingLaws

/// How a model is brought to a serving precision below the bf16 it is trained in.
public enum QuantizationMethod: String, CaseIterable, Sendable, Equatable, Comparable {
    /// Rounded after training (GPTQ and the like): the loss rises by Kumar et al.'s degradation,
    /// which grows with D/N.
    case postTraining = "ptq"
    /// Trained with the weights held at the serving precision: fewer effective parameters on
    /// every token, nothing more lost when served.
    case quantizationAware = "qat"

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// How serving precision changes the loss a plan promises: the served loss is the trained
/// loss plus a quantisation loss.
public struct QuantizationModel: Sendable, Equatable {
    /// What post-training rounding costs.
    public enum PostTraining: Sendable, Equatable {
        /// Kumar et al. 2024's degradation law (`PostTrainingQuantizationLaw`).
        case law(PostTrainingQuantizationLaw)
        /// Constants per precision, nats per token, as a user states them; a precision not
        /// listed costs nothing.
        case fixed([Precision: Double])
    }

    /// Post-training rounding's cost; nil makes every precision free (the user's choice).
    public var postTraining: PostTraining?
    /// Quantisation-aware training's effective-parameter law.
    public var quantizationAware: QuantizationAwareTraining
    /// The methods a plan may use for precisions below bf16, at least one.
    public var methods: [QuantizationMethod]

    public init(postTraining: PostTraining?, quantizationAware: QuantizationAwareTraining = .kumar2024,
                methods: [QuantizationMethod] = [.postTraining]) {
        self.postTraining = postTraining
        self.quantizationAware = quantizationAware
        self.methods = methods.isEmpty ? [.postTraining] : Array(Set(methods)).sorted()
    }

    /// Kumar et al. 2024's laws, post-training rounding only: the default.
    public static let kumar2024 = QuantizationModel(postTraining: .law(.kumar2024))
    /// Every precision free: the loss does not depend on how the model is served.
    public static let free = QuantizationModel(postTraining: nil)

    /// Whether serving at `precision` needs quantising at all: weights of 16 bits or more are
    /// served as trained.
    public static func isQuantized(_ precision: Precision) -> Bool { precision.bits < 16 }

    /// The quantisation loss of a model of N parameters on D tokens served at `choice`, nats
    /// per token, given the law it was trained under: Kumar et al.'s degradation or the stated
    /// constant for post-training rounding; for quantisation-aware training the loss of N_eff
    /// in place of N, less the loss of N.
    public func loss(_ choice: QuantizationChoice?, law: ScalingLaw, params n: Double, tokens d: Double, uniqueTokens u: Double?) -> Double {
        guard let choice, Self.isQuantized(choice.precision) else { return 0 }
        switch choice.method {
        case .postTraining:
            switch postTraining {
            case nil: return 0
            case .fixed(let table): return table[choice.precision] ?? 0
            case .law(let l): return l.degradation(params: n, tokens: d, bits: choice.precision.bits)
            }
        case .quantizationAware:
            let f = quantizationAware.effectiveParamsFraction(bits: choice.precision.bits)
            return law.unsafeLoss(params: f * n, tokens: d, uniqueTokens: u) - law.unsafeLoss(params: n, tokens: d, uniqueTokens: u)
        }
    }

    /// Whether the loss of serving at `precision` never exceeds that at `worst` (at any N and
    /// D): fewer bits lose more under the law; constants compare directly.
    public func isNoWorse(_ precision: Precision, than worst: Precision) -> Bool {
        if !Self.isQuantized(precision) { return true }
        if !Self.isQuantized(worst) { return false }
        switch postTraining {
        case .fixed(let table): return (table[precision] ?? 0) <= (table[worst] ?? 0)
        default: return precision.bits >= worst.bits
        }
    }

    /// The ways to serve a fleet whose options use `precisions`: one choice per distinct
    /// worst precision and method, best first (unquantised first, then by increasing loss).
    /// A fleet in a choice uses only options no worse than its precision and promises that
    /// precision's served loss.
    public func choices(for precisions: [Precision]) -> [QuantizationChoice] {
        var worsts: [Precision] = []
        for p in Set(precisions).sorted() {
            let q = Self.isQuantized(p) ? p : .bf16
            if !worsts.contains(where: { isNoWorse($0, than: q) && isNoWorse(q, than: $0) }) { worsts.append(q) }
        }
        worsts.sort { isNoWorse($0, than: $1) && !isNoWorse($1, than: $0) }
        return worsts.flatMap(choices(at:))
    }

    /// The ways to serve at `precision`: each allowed method below 16 bits, else as trained.
    public func choices(at precision: Precision) -> [QuantizationChoice] {
        Self.isQuantized(precision) ? methods.map { QuantizationChoice(precision: precision, method: $0) }
            : [QuantizationChoice(precision: precision, method: .postTraining)]
    }

    /// Whether serving at `choice` adds a loss that is not constant: post-training rounding
    /// under a degradation law (it grows with D at fixed N, so the served loss can rise with D).
    public func degradesWithTokens(_ choice: QuantizationChoice?) -> Bool {
        guard let choice, Self.isQuantized(choice.precision), choice.method == .postTraining, case .law = postTraining else { return false }
        return true
    }
}

/// The precision a fleet is held to and how the model gets there.
public struct QuantizationChoice: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The worst precision any replica serves at.
    public var precision: Precision
    public var method: QuantizationMethod

    public init(precision: Precision, method: QuantizationMethod) {
        self.precision = precision
        self.method = method
    }

    /// "int4 ptq", or "bf16" when nothing is quantised.
    public var description: String {
        QuantizationModel.isQuantized(precision) ? "\(precision.rawValue) \(method.rawValue)" : precision.rawValue
    }
}
