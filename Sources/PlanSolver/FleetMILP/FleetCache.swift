import Foundation
import GLPK
import Hardware
import Numerics
import PlanModel

/// Serving fleets by model size, shared by every solve of one `Planner` (a frontier's points
/// ask for the same sizes again). The fleet depends on N only, so the cache is exact; a new
/// size is sized with the nearest smaller cached size offered for reuse (`FleetSizer`).
///
/// What depends on N alone and on nothing cached (the replica specs, the serving-cost bound,
/// the largest servable size of a range) lives in a store every copy shares, so forked
/// planners in other lanes never compute it twice; the fleets, whose ties may fall
/// differently with the neighbours offered, are copied.
final class FleetCache: @unchecked Sendable {
    private let lock = NSLock()
    private var fleets: [Double: Result<SizedFleet, PlanError>] = [:]
    /// Sizes with a fleet, ascending.
    private var sized: [Double] = []
    /// Values that depend on N (or a range of N) alone, shared by every copy.
    private let servableMemo: LockedMemo<ClosedRange<Double>, Double?>
    private let slotMemo: LockedMemo<Double, [ReplicaSpec?]>
    private let boundMemo: LockedMemo<Double, Double>
    private let cutMemo: LockedMemo<Pair, Pair>
    private let usefulMemo: LockedMemo<Triple, Double>
    private let monthMemo: LockedMemo<Triple, Result<[Int], FleetSizer.Failure>>
    /// Keys and values of two and three numbers (an array key would allocate per lookup).
    private struct Pair: Hashable { var first: Double, second: Double }
    private struct Triple: Hashable { var first: Double, second: Double, third: Double }
    /// One option's replica spec by size, shared with the caches of the other quantisation
    /// choices of the same problem (their options are subsets of one list).
    let specs: ReplicaSpecStore

    /// An empty cache; `specs` is shared with other caches of the same serving setup.
    init(specs: ReplicaSpecStore = ReplicaSpecStore()) {
        (servableMemo, slotMemo, boundMemo, cutMemo, usefulMemo, monthMemo) =
            (LockedMemo(), LockedMemo(), LockedMemo(), LockedMemo(), LockedMemo(), LockedMemo())
        self.specs = specs
    }

    private init(sharing other: FleetCache) {
        (servableMemo, slotMemo, boundMemo, cutMemo, usefulMemo, monthMemo, specs) =
            (other.servableMemo, other.slotMemo, other.boundMemo, other.cutMemo, other.usefulMemo, other.monthMemo, other.specs)
    }

    /// A cache holding what this one holds now, its fleets filled independently from then on
    /// (the specs and bounds stay shared).
    func copy() -> FleetCache {
        let other = FleetCache(sharing: self)
        lock.lock()
        defer { lock.unlock() }
        other.fleets = fleets
        other.sized = sized
        return other
    }

    /// The cached replica specs for `params`, or `compute()` stored for next time.
    func slots(params: Double, compute: () -> [ReplicaSpec?]) -> [ReplicaSpec?] {
        slotMemo.value(params, compute)
    }

    /// The replica specs for `params` when they are cached, else nil (nothing is computed).
    func cachedSlots(params: Double) -> [ReplicaSpec?]? {
        slotMemo.cached(params)
    }

    /// The cached lower bound on serving cost for `params`, or `compute()` stored for next time.
    func servingCostBound(params: Double, compute: () -> Double) -> Double {
        boundMemo.value(params, compute)
    }

    /// The cached bracket in ln N where the replica specs at `a` stop dominating those on
    /// [a, b] (`FleetSizer.dominates`), or `find()` stored for next time: it depends on the
    /// sizes alone, and every search over the same scan cells cuts them the same way.
    func dominanceCut(_ a: Double, _ b: Double, find: () -> (holds: Double, fails: Double)) -> (holds: Double, fails: Double) {
        let cut = cutMemo.value(Pair(first: a, second: b)) { let c = find(); return Pair(first: c.holds, second: c.fails) }
        return (cut.first, cut.second)
    }

    /// Whether `dominanceCut(a, b, find:)` has its bracket cached.
    func hasDominanceCut(_ a: Double, _ b: Double) -> Bool {
        cutMemo.cached(Pair(first: a, second: b)) != nil
    }

    /// The cached ln D where the loss stops falling at N = `params` within [lo, hi], or
    /// `find()` stored for next time (`Planner.mostUsefulLogTokens`).
    func mostUsefulLogTokens(params: Double, lo: Double, hi: Double, find: () -> Double) -> Double {
        usefulMemo.value(Triple(first: params, second: lo, third: hi), find)
    }

    /// The cached answer of the month MILP (`FleetSizer.sizeMonth`) for a model of `params`
    /// parameters in `month` at `peak` requests per second, or `solve()` stored for next time
    /// (errors too). The MILP's options are this cache's specs at `params`, so the answer
    /// depends on the key alone, whichever fleets were sized before.
    func monthFleet(params: Double, month: Int, peak: Double, solve: () throws(FleetSizer.Failure) -> [Int]) throws(FleetSizer.Failure) -> [Int] {
        try monthMemo.value(Triple(first: params, second: Double(month), third: peak)) { Result { () throws(FleetSizer.Failure) in try solve() } }.get()
    }

    /// The cached largest servable size for a search range, or `find()` stored for next time.
    func largestServable(_ range: ClosedRange<Double>, find: () throws(PlanError) -> Double?) throws(PlanError) -> Double? {
        try servableMemo.value(range, find)
    }

    /// The cached fleet for `params`, or `size(params, smaller, larger)` stored for next time
    /// (errors too), where `smaller` and `larger` are the fleets of the nearest sizes below and
    /// above sized so far.
    func fleet(params: Double, size: (Double, SizedFleet?, SizedFleet?) throws(PlanError) -> SizedFleet) throws(PlanError) -> SizedFleet {
        lock.lock()
        let known = fleets[params]
        let neighbours: (below: SizedFleet?, above: SizedFleet?) = known == nil ? self.neighbours(params) : (nil, nil)
        lock.unlock()
        if let known { return try known.get() }
        let result = Result { () throws(PlanError) in try size(params, neighbours.below, neighbours.above) }
        lock.lock()
        if fleets[params] == nil {
            fleets[params] = result
            if case .success = result { sized.insert(params, at: insertionIndex(params)) }
        }
        lock.unlock()
        return try result.get()
    }

    /// The fleets of the nearest sized models below and above `params` (caller holds the lock).
    private func neighbours(_ params: Double) -> (below: SizedFleet?, above: SizedFleet?) {
        let i = insertionIndex(params)
        func fleet(_ j: Int) -> SizedFleet? {
            guard sized.indices.contains(j), case .success(let f)? = fleets[sized[j]] else { return nil }
            return f
        }
        return (fleet(i - 1), fleet(i))
    }

    /// First index of `sized` not below `params`.
    private func insertionIndex(_ params: Double) -> Int {
        var lo = 0, hi = sized.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sized[mid] < params { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// Replica specs by serving option (its label: one accelerator at one precision) and model
/// size, shared by every planner of one serving setup: a spec depends on the option, the size
/// and the setup's request shape, SLO and PUE only, so the quantisation choices of a problem,
/// whose options are subsets of its list, need not compute one twice.
final class ReplicaSpecStore: Sendable {
    private struct Key: Hashable {
        let hardware: String
        let precision: Precision
        let params: Double
    }
    private let specs = LockedMemo<Key, ReplicaSpec?>()

    /// The cached spec of `option` (keyed by its accelerator and precision, its label) for
    /// `params`, or `compute()` stored for next time.
    func spec(option: ServingOption, params: Double, compute: () -> ReplicaSpec?) -> ReplicaSpec? {
        specs.value(Key(hardware: option.hardwareName, precision: option.precision, params: params), compute)
    }
}

/// A table of values computed once per key, safe to share between threads. The lock is not
/// held while computing: two threads may both compute a missing value (the callers' values
/// depend on the key alone, so they are the same), and the first stored is kept.
final class LockedMemo<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var table: [Key: Value] = [:]

    /// `table[key]` when it has been computed, else nil.
    func cached(_ key: Key) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return table[key]
    }

    /// `table[key]`, or `compute()` stored there for next time.
    func value<Failure: Error>(_ key: Key, _ compute: () throws(Failure) -> Value) throws(Failure) -> Value {
        lock.lock()
        let known = table[key]
        lock.unlock()
        if let known { return known }
        let value = try compute()
        lock.lock()
        defer { lock.unlock() }
        if let stored = table[key] { return stored }
        table[key] = value
        return value
    }
}
