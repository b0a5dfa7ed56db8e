import Numerics

/// The law families scaleplan knows, by the name used in files and on the command line.
public enum LawForm: String, CaseIterable, Sendable, CustomStringConvertible {
    case chinchilla
    case kaplan
    case dataConstrained = "data-constrained"
    case overtrain

    public var description: String { rawValue }

    /// Parameter names in canonical order, as law files spell them.
    public var parameterNames: [String] {
        switch self {
        case .chinchilla: ["E", "A", "B", "alpha", "beta"]
        case .kaplan: ["Nc", "Dc", "alphaN", "alphaD"]
        case .dataConstrained: ["E", "A", "B", "alpha", "beta", "RstarD", "RstarN"]
        case .overtrain: ["E", "a", "b", "c"]
        }
    }

    /// Optional extra parameters (Gadre et al.'s downstream error law for `overtrain`).
    public var optionalParameterNames: [String] {
        self == .overtrain ? ["epsilon", "k", "gamma"] : []
    }
}

/// A loss law of any family: the value scenarios, law files and the planner pass around.
public enum ScalingLaw: Equatable, Sendable {
    case chinchilla(ChinchillaLaw)
    case kaplan(KaplanLaw)
    case dataConstrained(DataConstrainedLaw)
    case overtrain(OvertrainLaw)

    public var form: LawForm {
        switch self {
        case .chinchilla: .chinchilla
        case .kaplan: .kaplan
        case .dataConstrained: .dataConstrained
        case .overtrain: .overtrain
        }
    }

    /// Builds a law from named parameters (names as in `LawForm.parameterNames`).
    ///
    /// - Throws: `LawError.invalidParameter` for a missing parameter or one out of its domain.
    public init(form: LawForm, parameters p: [String: Double]) throws(LawError) {
        func value(_ name: String) throws(LawError) -> Double {
            guard let v = p[name] else {
                throw .invalidParameter(name: name, value: .nan, expected: "a value (it is missing)")
            }
            return v
        }
        switch form {
        case .chinchilla:
            self = .chinchilla(try ChinchillaLaw(
                E: value("E"), A: value("A"), B: value("B"), alpha: value("alpha"), beta: value("beta")))
        case .kaplan:
            self = .kaplan(try KaplanLaw(
                Nc: value("Nc"), Dc: value("Dc"), alphaN: value("alphaN"), alphaD: value("alphaD")))
        case .dataConstrained:
            let base = try ChinchillaLaw(
                E: value("E"), A: value("A"), B: value("B"), alpha: value("alpha"), beta: value("beta"))
            self = .dataConstrained(try DataConstrainedLaw(base: base, rStarD: value("RstarD"), rStarN: value("RstarN")))
        case .overtrain:
            let extras = ["epsilon", "k", "gamma"].filter { p[$0] != nil }
            var downstream: DownstreamErrorLaw?
            if !extras.isEmpty {
                downstream = try DownstreamErrorLaw(epsilon: value("epsilon"), k: value("k"), gamma: value("gamma"))
            }
            self = .overtrain(try OvertrainLaw(E: value("E"), a: value("a"), b: value("b"), c: value("c"), downstream: downstream))
        }
    }

    /// Named parameters in canonical order.
    public var parameters: [(name: String, value: Double)] {
        switch self {
        case .chinchilla(let l):
            [("E", l.E), ("A", l.A), ("B", l.B), ("alpha", l.alpha), ("beta", l.beta)]
        case .kaplan(let l):
            [("Nc", l.Nc), ("Dc", l.Dc), ("alphaN", l.alphaN), ("alphaD", l.alphaD)]
        case .dataConstrained(let l):
            [("E", l.base.E), ("A", l.base.A), ("B", l.base.B), ("alpha", l.base.alpha), ("beta", l.base.beta),
             ("RstarD", l.rStarD), ("RstarN", l.rStarN)]
        case .overtrain(let l):
            [("E", l.E), ("a", l.a), ("b", l.b), ("c", l.c)]
                + (l.downstream.map { [("epsilon", $0.epsilon), ("k", $0.k), ("gamma", $0.gamma)] } ?? [])
        }
    }

    /// The downstream error law, when the law carries one.
    public var downstream: DownstreamErrorLaw? {
        if case .overtrain(let l) = self { return l.downstream }
        return nil
    }

    /// The loss floor: no model reaches a loss at or below it (E; 0 for Kaplan).
    public var irreducibleLoss: Double {
        switch self {
        case .chinchilla(let l): l.E
        case .kaplan: 0
        case .dataConstrained(let l): l.base.E
        case .overtrain(let l): l.E
        }
    }

    /// Predicted loss (nats per token) at N parameters and D tokens. `uniqueTokens` limits
    /// the unique data for the data-constrained family; other families ignore it.
    ///
    /// - Throws: `LawError.invalidInput` unless N, D (and U, if given) are positive and finite,
    ///   and when the law's prediction itself overflows (a law with extreme parameters).
    public func loss(params N: Double, tokens D: Double, uniqueTokens U: Double? = nil) throws(LawError) -> Double {
        try requirePositive(N, "params")
        try requirePositive(D, "tokens")
        if let U { try requirePositive(U, "unique tokens") }
        let l = unsafeLoss(params: N, tokens: D, uniqueTokens: U)
        guard l.isFinite else { throw .invalidInput(quantity: "the law's predicted loss", value: l) }
        return l
    }

    /// Loss without input checks, for inner loops whose inputs are already valid.
    public func unsafeLoss(params N: Double, tokens D: Double, uniqueTokens U: Double? = nil) -> Double {
        switch self {
        case .chinchilla(let l): l.loss(params: N, tokens: D)
        case .kaplan(let l): l.loss(params: N, tokens: D)
        case .dataConstrained(let l): l.loss(params: N, tokens: D, uniqueTokens: U)
        case .overtrain(let l): l.loss(params: N, tokens: D)
        }
    }

    /// Partial derivatives (dL/dN, dL/dD).
    public func gradient(params N: Double, tokens D: Double, uniqueTokens U: Double? = nil) -> (dParams: Double, dTokens: Double) {
        switch self {
        case .chinchilla(let l): l.gradient(params: N, tokens: D)
        case .kaplan(let l): l.gradient(params: N, tokens: D)
        case .dataConstrained(let l): l.gradient(params: N, tokens: D, uniqueTokens: U)
        case .overtrain(let l): l.chinchilla.gradient(params: N, tokens: D)
        }
    }

    /// The compute-optimal allocation under C = 6 N D: closed form for chinchilla, kaplan and
    /// overtrain; numeric for data-constrained with a unique-token limit.
    ///
    /// - Throws: `LawError.noOptimum` when the allocation leaves floating-point range (a law
    ///   with extreme parameters), rather than returning 0 or infinity.
    public func computeOptimal(compute C: Double, uniqueTokens U: Double? = nil) throws(LawError) -> ComputeAllocation {
        let a: ComputeAllocation = switch self {
        case .chinchilla(let l): try l.computeOptimal(compute: C)
        case .kaplan(let l): try l.computeOptimal(compute: C)
        case .dataConstrained(let l): try l.computeOptimal(compute: C, uniqueTokens: U)
        case .overtrain(let l): try l.chinchilla.computeOptimal(compute: C)
        }
        guard a.params.isFinite, a.params > 0, a.tokens.isFinite, a.tokens > 0, a.loss.isFinite else {
            throw .noOptimum("at \(C) FLOP the optimum leaves floating-point range (N = \(a.params), D = \(a.tokens)); check the law's parameters")
        }
        return a
    }

    /// Training tokens that reach loss `l` at N parameters (the iso-loss curve); nil where
    /// no amount of data reaches it at that size.
    public func tokens(toReachLoss l: Double, params N: Double, uniqueTokens U: Double? = nil) -> Double? {
        switch self {
        case .chinchilla(let law): law.tokens(toReachLoss: l, params: N)
        case .kaplan(let law): law.tokens(toReachLoss: l, params: N)
        case .dataConstrained(let law): law.tokens(toReachLoss: l, params: N, uniqueTokens: U)
        case .overtrain(let law): law.chinchilla.tokens(toReachLoss: l, params: N)
        }
    }

    /// The smallest model size from which loss `l` is reachable with unlimited data
    /// (the iso-loss curve exists for N above it). Nil when `l` is at or below the floor.
    public func minimumParams(forLoss l: Double) -> Double? {
        switch self {
        case .chinchilla(let law): law.minimumParams(forLoss: l)
        case .kaplan(let law): law.minimumParams(forLoss: l)
        case .dataConstrained(let law): law.base.minimumParams(forLoss: l)
        case .overtrain(let law): law.chinchilla.minimumParams(forLoss: l)
        }
    }
}
