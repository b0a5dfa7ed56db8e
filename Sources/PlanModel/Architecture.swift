import Foundation
import Hardware
import ScalingLaws

/// A mixture-of-experts architecture the planner may choose: the model of N_act active
/// parameters is a derived Llama-style shape (`ModelShape.llama`) whose every MLP is replaced
/// by `experts` routed experts of width f / k, of which a token runs `activeExperts`, plus
/// `sharedExperts` always-on ones of the same width: the active parameters stay those of the
/// dense shape (the router's d × E per layer aside) and the total grows with E / k.
public struct MoEArchitecture: Sendable, Equatable {
    /// Routed experts per layer E.
    public var experts: Int
    /// Routed experts per token k.
    public var activeExperts: Int
    /// Always-on experts per layer.
    public var sharedExperts: Int

    public init(experts: Int, activeExperts: Int, sharedExperts: Int = 0) {
        self.experts = experts
        self.activeExperts = activeExperts
        self.sharedExperts = sharedExperts
    }

    /// "moe-64e-top2" (with "-1s" for a shared expert).
    public var label: String {
        "moe-\(experts)e-top\(activeExperts)" + (sharedExperts > 0 ? "-\(sharedExperts)s" : "")
    }

    /// The expansion the joint law sees: routed over active expert parameters, E / k
    /// (Ludziejewski et al. fit top-1 routing, where it is E).
    public var expansion: Double { Double(experts) / Double(activeExperts) }

    /// Granularity relative to the dense MLP: k + shared experts share its width.
    public var granularity: Double { Double(activeExperts + sharedExperts) }

    /// The shape of a model of `activeParameters` active parameters (see the type's
    /// documentation); nil for a non-positive size.
    public func shape(activeParameters n: Double) -> ModelShape? {
        guard var s = try? ModelShape.llama(parameters: n) else { return nil }
        let width = max(1, s.intermediate / (activeExperts + sharedExperts))
        s.experts = ExpertLayout(experts: experts, activeExperts: activeExperts, sharedExperts: sharedExperts,
                                 expertIntermediate: width, moeLayers: s.layers)
        return s
    }

    /// Total parameters of the model of `activeParameters` active ones (its shape's ratio).
    public func totalParameters(activeParameters n: Double) -> Double? {
        shape(activeParameters: n).map { n * $0.parameterCount / $0.activeParameterCount }
    }
}

/// One architecture the planner compares: dense or a mixture of experts, with the loss law
/// in its planning size (N for dense, N_act for MoE) and what it trains at.
public struct ArchitectureOption: Sendable, Equatable {
    /// nil for dense.
    public var moe: MoEArchitecture?
    /// The loss law in (N or N_act, D) for this architecture: the joint law's slice at its
    /// expansion (`JointExpertsLaw.slice`).
    public var law: ScalingLaw
    /// The joint law it was sliced from, for independent re-evaluation.
    public var jointLaw: JointExpertsLaw
    /// Training MFU (MoE: `TrainingEstimate.mixtureOfExpertsMFU` unless the scenario says).
    public var trainingMFU: Double?

    public init(moe: MoEArchitecture?, jointLaw: JointExpertsLaw, trainingMFU: Double? = nil) throws(LawError) {
        self.moe = moe
        self.jointLaw = jointLaw
        self.law = .chinchilla(try jointLaw.slice(experts: moe?.expansion ?? 1))
        self.trainingMFU = trainingMFU
    }

    /// "dense" or the MoE label.
    public var label: String { moe?.label ?? "dense" }
}

extension PlanningProblem {
    /// The problem for one architecture: its law slice, its training MFU and its shapes.
    public func restricted(to option: ArchitectureOption) -> PlanningProblem {
        var p = self
        p.law = option.law
        p.architecture = option
        p.architectureOptions = []
        if let mfu = option.trainingMFU { p.training.mfu = mfu }
        // The bootstrap samples describe the scenario's own law, not this slice.
        p.lossUncertainty = nil
        return p
    }

    /// The problem a plan of `architecture` (its label; nil for a problem without
    /// alternatives) was solved in.
    public func problem(forArchitecture label: String?) -> PlanningProblem {
        guard let label, let option = architectureOptions.first(where: { $0.label == label }) else { return self }
        return restricted(to: option)
    }

    /// The serving shape of a model of `params` planning parameters: the listed model's, the
    /// architecture's MoE shape, or nil for the derived dense shape.
    public func servingShape(params: Double) -> ModelShape? {
        if let choice = modelChoice(params: params) { return choice.shape }
        if let moe = architecture?.moe { return moe.shape(activeParameters: params) }
        return nil
    }
}
