import Foundation
import Hardware
import TestSupport
import Testing

/// Derived Llama-family shapes keep 8 KV heads from 8 heads up (GQA as in Llama 3), so the
/// KV cache is not understated for sizes whose width would give an odd head count
/// (70B once gave 69 heads and a single KV head).
@Suite struct DerivedShapeKVHeadTests {
    @Test(arguments: [1e9, 3e9, 8.03e9, 13e9, 34e9, 70e9, 180e9, 405e9])
    func eightKVHeadsAndCloseParameterCount(n: Double) throws {
        let s = try ModelShape.llama(parameters: n)
        #expect(s.heads % s.kvHeads == 0)
        #expect(s.kvHeads == 8)
        #expect(relativeDifference(s.parameterCount, n) < 0.05, "\(s.parameterCount) for \(n)")
    }
}
