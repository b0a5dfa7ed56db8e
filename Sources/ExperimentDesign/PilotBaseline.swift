import Foundation
import LinearAlgebra
import Numerics
import ScalingLaws

/// The naive design a pilot is compared with: an IsoFLOP grid in the style of Hoffmann et al.
/// 2022 (Approach 2), with the same total FLOPs.
public struct PilotBaseline: Sendable {
    /// The grid's runs.
    public let runs: [PilotRun]
    /// Its precision at the target; nil if the grid cannot identify the law.
    public let precision: PilotPrecision?

    public init(runs: [PilotRun], precision: PilotPrecision?) {
        self.runs = runs
        self.precision = precision
    }

    /// Compute levels of the default grid.
    public static let levels = 3
    /// Model sizes per level.
    public static let sizes = 5

    /// `levels` compute levels a factor `levelRatio` apart, the largest chosen so the whole grid
    /// spends exactly `budget` FLOP; at each level C, `sizes` model sizes a factor `sizeRatio`
    /// apart centred on the nominal law's compute-optimal N*(C) (so 1/4, 1/2, 1, 2, 4 times it
    /// for 5 sizes and ratio 2), each trained on D = C / (6 N) tokens.
    public static func isoFLOPGrid(law: ScalingLaw, budget: Double, levels: Int = levels, sizes: Int = sizes,
                                   levelRatio: Double = 10, sizeRatio: Double = 2) -> [PilotRun] {
        guard levels >= 1, sizes >= 1, budget > 0 else { return [] }
        let shares = (0..<levels).map { Foundation.pow(levelRatio, -Double(levels - 1 - $0)) }
        let top = budget / (Double(sizes) * shares.reduce(0, +))
        var runs: [PilotRun] = []
        for share in shares {
            let c = top * share
            guard let centre = try? law.computeOptimal(compute: c).params else { continue }
            for j in 0..<sizes {
                let n = centre * Foundation.pow(sizeRatio, Double(j) - Double(sizes - 1) / 2)
                runs.append(PilotRun(params: n, tokens: c / (6 * n)))
            }
        }
        return runs
    }
}
