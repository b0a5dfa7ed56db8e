import Foundation
import FileIO
import Hardware
import PlanModel
import ScalingLaws

/// The `quantization:` section of a scenario (top level, or inside `downscale:`): how serving
/// below bf16 changes the loss (docs/SCENARIOS.md, "Quantisation").
///
///     quantization:
///       method: ptq            # ptq (round after training, the default), qat (train at the
///                              # serving precision) or best (the planner picks per plan)
///       law: kumar2024         # Kumar et al. 2024's degradation law (the default); or none
///                              # (serving precision is free), the four constants
///                              # {C_T, gamma_D, gamma_N, gamma_post}, or a file that
///                              # `scaleplan fit-quantization -o` wrote
///       loss: {int4: 0.03}     # instead of a law: nats per token per precision
///       gamma_w: 2.6745        # quantisation-aware training's effective-parameter scale, bits
enum QuantizationSection {
    static let keys = ["method", "law", "loss", "gamma_w"]

    static func decode(_ v: YAMLValue) throws(InputError) -> QuantizationModel {
        let m = try v.mapping(allowed: keys)
        var methods: [QuantizationMethod] = [.postTraining]
        if let node = m.optional("method") {
            switch try node.oneOf(["ptq", "qat", "best"]) {
            case "qat": methods = [.quantizationAware]
            case "best": methods = [.postTraining, .quantizationAware]
            default: methods = [.postTraining]
            }
        }
        var post: QuantizationModel.PostTraining? = .law(.kumar2024)
        let lawNode = m.optional("law"), lossNode = m.optional("loss")
        if let lawNode, lossNode != nil {
            throw lawNode.error("give either 'law' (a degradation law) or 'loss' (constants per precision), not both")
        }
        if let lawNode {
            if case .scalar = lawNode.node, let text = try? lawNode.string(), QuantizationLawFile.isFilePath(text) {
                // A law file from `scaleplan fit-quantization -o`, relative to the scenario.
                post = .law(try QuantizationLawFile.load(path: LawSection.resolve(text, (lawNode.file as NSString).deletingLastPathComponent)))
            } else if case .scalar = lawNode.node {
                switch try lawNode.oneOf(["kumar2024", "none"]) {
                case "none": post = nil
                default: post = .law(.kumar2024)
                }
            } else {
                post = .law(try QuantizationLawFile.constants(lawNode))
            }
        }
        if let lossNode { post = .fixed(try lossTable(lossNode)) }
        var qat = QuantizationAwareTraining.kumar2024
        if let g = m.optional("gamma_w") {
            do { qat = try QuantizationAwareTraining(gammaW: try g.number(in: 0.01...100)) } catch { throw g.error("\(error)") }
        }
        return QuantizationModel(postTraining: post, quantizationAware: qat, methods: methods)
    }

    /// `{int4: 0.03, fp8: 0.005}`: nats per token per precision, each in [0, 1].
    static func lossTable(_ v: YAMLValue) throws(InputError) -> [Precision: Double] {
        let qm = try v.mapping(allowed: Precision.allCases.map(\.rawValue))
        var table: [Precision: Double] = [:]
        for key in qm.keys { table[Precision(rawValue: key)!] = try qm.required(key).number(in: 0...1) }
        return table
    }
}
