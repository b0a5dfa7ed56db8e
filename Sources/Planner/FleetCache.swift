import Foundation

/// Serving fleets by model size, shared by every solve of one `Planner` (a frontier's points
/// ask for the same sizes again). The fleet depends on N only, so the cache is exact.
final class FleetCache: @unchecked Sendable {
    private let lock = NSLock()
    private var fleets: [Double: Result<Fleet, PlanError>] = [:]
    private var servable: [ClosedRange<Double>: Double?] = [:]

    /// The cached largest servable size for a search range, or `find()` stored for next time.
    func largestServable(_ range: ClosedRange<Double>, find: () throws(PlanError) -> Double?) throws(PlanError) -> Double? {
        lock.lock()
        let known = servable[range]
        lock.unlock()
        if let known { return known }
        let value = try find()
        lock.lock()
        servable[range] = .some(value)
        lock.unlock()
        return value
    }

    /// The cached fleet for `params`, or `size(params)` stored for next time (errors too).
    func fleet(params: Double, size: (Double) throws(PlanError) -> Fleet) throws(PlanError) -> Fleet {
        lock.lock()
        let known = fleets[params]
        lock.unlock()
        let result = known ?? Result { () throws(PlanError) in try size(params) }
        if known == nil {
            lock.lock()
            fleets[params] = result
            lock.unlock()
        }
        return try result.get()
    }
}
