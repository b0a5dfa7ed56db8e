import Numerics

/// The grid of starting points for a multi-start fit: the Cartesian product of one list
/// of values per fitted parameter (in the fitting parameterisation, e.g. a = ln A).
public struct StartGrid: Equatable, Sendable {
    /// One list of candidate values per parameter.
    public let axes: [[Double]]

    public init(axes: [[Double]]) { self.axes = axes }

    /// Number of starting points, the product of the axis lengths.
    public var count: Int { axes.reduce(1) { $0 * $1.count } }

    /// The `index`-th point, the last axis varying fastest.
    public func point(_ index: Int) -> [Double] {
        var rest = index
        var p = [Double](repeating: 0, count: axes.count)
        for k in stride(from: axes.count - 1, through: 0, by: -1) {
            p[k] = axes[k][rest % axes[k].count]
            rest /= axes[k].count
        }
        return p
    }

    private static func steps(_ from: Double, _ to: Double, _ by: Double) -> [Double] {
        Array(stride(from: from, through: to + by / 2, by: by))
    }

    /// Hoffmann et al. 2022's grid for (a, b, e, alpha, beta): a, b in {0, 5, ..., 25},
    /// e in {-1, -0.5, ..., 1}, alpha, beta in {0, 0.5, ..., 2}: 4,500 starts.
    public static let hoffmann = StartGrid(axes: [
        steps(0, 25, 5), steps(0, 25, 5), steps(-1, 1, 0.5), steps(0, 2, 0.5), steps(0, 2, 0.5),
    ])

    /// The same grid for the over-training form's (a, b, e, alpha): 900 starts.
    public static let overtrain = StartGrid(axes: [steps(0, 25, 5), steps(0, 25, 5), steps(-1, 1, 0.5), steps(0, 2, 0.5)])

    /// Kaplan's (ln Nc, ln Dc, alphaN, alphaD): 5 x 5 x 4 x 4 = 400 starts around the published fit.
    public static let kaplan = StartGrid(axes: [
        steps(20, 40, 5), steps(20, 40, 5), [0.03, 0.07, 0.15, 0.3], [0.03, 0.07, 0.15, 0.3],
    ])

    /// (ln R*_D, ln R*_N) for the data-constrained law: ln R* in {-1, -0.5, ..., 6}, 225 starts.
    public static let dataConstrained = StartGrid(axes: [steps(-1, 6, 0.5), steps(-1, 6, 0.5)])

    /// The default grid for a family.
    public static func `default`(for form: LawForm) -> StartGrid {
        switch form {
        case .chinchilla: hoffmann
        case .overtrain: overtrain
        case .kaplan: kaplan
        case .dataConstrained: dataConstrained
        }
    }
}
