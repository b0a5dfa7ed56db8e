import Dispatch
import Foundation

/// Evaluates `body` for every index in 0..<count on all cores and returns the results in
/// index order. The result does not depend on scheduling as long as `body` is pure.
public func parallelMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    if count == 1 || ProcessInfo.processInfo.activeProcessorCount == 1 {
        return (0..<count).map(body)
    }
    let buffer = UnsafeMutablePointer<T>.allocate(capacity: count)
    defer { buffer.deallocate() }
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let run = body
        nonisolated(unsafe) let out = buffer
        DispatchQueue.concurrentPerform(iterations: count) { i in
            (out + i).initialize(to: run(i))
        }
    }
    let results = Array(UnsafeBufferPointer(start: buffer, count: count))
    buffer.deinitialize(count: count)
    return results
}
