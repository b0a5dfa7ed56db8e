import Diagnostics
import ExperimentDesign
import FileIO
import Foundation
import Numerics

/// Maps data values on one axis to pixels, linearly or logarithmically, and chooses ticks.
///
/// An axis is logarithmic when every value is positive and they span more than
/// `PlotScale.logThreshold` (about one decade); otherwise linear. Ranges get a little padding
/// so points do not sit on the frame, and a degenerate range (one value) is widened.
public struct PlotScale: Equatable, Sendable {
    /// Data range shown (after padding), in data units.
    public let lower: Double
    public let upper: Double
    public let logarithmic: Bool
    /// Pixel positions of `lower` and `upper` (for a y axis `from` is the bottom).
    public let from: Double
    public let to: Double

    /// Values spanning more than this ratio get a logarithmic axis.
    public static let logThreshold = 10.0

    /// A scale fitted to `values` (non-finite values ignored), drawn from pixel `from` to `to`.
    /// `forceLinear` keeps a linear axis whatever the span.
    public init(fitting values: [Double], from: Double, to: Double, forceLinear: Bool = false) {
        let v = values.filter(\.isFinite)
        var lo = v.min() ?? 0, hi = v.max() ?? 1
        let log = !forceLinear && lo > 0 && hi / lo > Self.logThreshold
        if log {
            let pad = Foundation.pow(hi / lo, 0.04)
            lo /= pad; hi *= pad
        } else {
            if hi == lo {
                let w = lo == 0 ? 1 : abs(lo) * 0.1
                lo -= w; hi += w
            }
            let pad = (hi - lo) * 0.06
            // Keep a positive range positive unless it nearly reaches zero.
            lo = (lo >= 0 && lo - pad < 0) ? 0 : lo - pad
            hi += pad
        }
        self.init(lower: lo, upper: hi, logarithmic: log, from: from, to: to)
    }

    public init(lower: Double, upper: Double, logarithmic: Bool, from: Double, to: Double) {
        self.lower = lower
        self.upper = upper
        self.logarithmic = logarithmic
        self.from = from
        self.to = to
    }

    /// The pixel position of `value`.
    public func position(_ value: Double) -> Double {
        let t: Double
        if logarithmic {
            t = (Foundation.log(max(value, .leastNormalMagnitude)) - Foundation.log(lower)) / (Foundation.log(upper) - Foundation.log(lower))
        } else {
            t = (value - lower) / (upper - lower)
        }
        return from + t * (to - from)
    }

    /// Tick values inside the range: on a log axis the decades (with 2 and 5 between them
    /// when fewer than three decades show); on a linear axis 1, 2 or 5 times a power of ten,
    /// about `target` of them.
    public func ticks(target: Int = 6) -> [Double] {
        if logarithmic {
            let k0 = Int(Foundation.floor(Foundation.log10(lower))), k1 = Int(Foundation.ceil(Foundation.log10(upper)))
            let decades = Foundation.log10(upper / lower)
            let steps: [Double] = decades < 1.5 ? [1, 1.5, 2, 3, 5, 7] : decades < 3 ? [1, 2, 5] : [1]
            var out: [Double] = []
            let stride = max(1, Int(Foundation.ceil(Double(k1 - k0) / Double(target + 2))))
            for k in Swift.stride(from: k0, through: k1, by: stride) {
                for m in steps {
                    let v = m * Foundation.pow(10, Double(k))
                    if v >= lower * (1 - 1e-12), v <= upper * (1 + 1e-12) { out.append(v) }
                }
            }
            return out
        }
        let raw = (upper - lower) / Double(max(target, 2))
        let magnitude = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var out: [Double] = []
        var v = (lower / step).rounded(.up) * step
        while v <= upper + step * 1e-9 {
            out.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return out
    }
}
