import Numerics

/// Huber's loss with threshold delta: r^2/2 for |r| <= delta, delta (|r| - delta/2) beyond.
@inline(__always)
public func huber(_ r: Double, delta: Double) -> (value: Double, slope: Double) {
    let a = abs(r)
    if a <= delta { return (0.5 * r * r, r) }
    return (delta * (a - 0.5 * delta), r > 0 ? delta : -delta)
}

/// The fitting objective of Hoffmann et al. 2022 (Approach 3): the weighted sum over runs
/// of Huber(delta) of (predicted ln L - observed ln L), with its analytic gradient.
public struct HuberObjective<Model: LogLossPredictor>: DifferentiableObjective {
    public let model: Model
    public let data: FitData
    public let delta: Double

    public var dimension: Int { model.dimension }

    public func evaluate(_ theta: [Double], gradient: inout [Double]) -> Double {
        let p = model.dimension
        for k in 0..<p { gradient[k] = 0 }
        var rowGradient = [Double](repeating: 0, count: p)
        var total = 0.0
        for i in 0..<data.count {
            let w = data.weights[i]
            if w == 0 { continue }
            let r = model.logLoss(theta, row: i, data: data, gradient: &rowGradient) - data.logLoss[i]
            let h = huber(r, delta: delta)
            total += w * h.value
            let scale = w * h.slope
            for k in 0..<p { gradient[k] += scale * rowGradient[k] }
        }
        return total
    }
}
