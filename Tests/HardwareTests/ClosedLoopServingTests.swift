import FileIO
import Foundation
import Hardware
import Scenario
import Testing
import TestSupport

/// The closed-loop model (`ClosedLoopServing`) against cases worked by hand.
@Suite struct ClosedLoopServingTests {
    static func workload(clients: Int) -> ServingWorkload {
        ServingWorkload(shape: ModelShape(layers: 32, hidden: 4096, heads: 32, kvHeads: 8, vocabulary: 128_256),
                        parameters: 8e9, precision: .bf16, batch: clients, promptTokens: 1000, outputTokens: 200)
    }

    /// One client is a request alone on the engine: its prompt in one prefill-only step, then
    /// O − 1 steps of one sequence, no wait, and no other prompt in any step.
    @Test func oneClientIsASingleStream() throws {
        let profile = try TestProfiles.shipped("h100-sxm")
        let w = Self.workload(clients: 1)
        let loop = try ClosedLoopServing(profile: profile, workload: w)
        let step = try Roofline.mixedStep(profile: profile, workload: w, decodeSequences: 1, prefillTokens: 0)
        let prompt = try Roofline.mixedStep(profile: profile, workload: w, decodeSequences: 0, prefillTokens: 1000)
        #expect(loop.admissionWaitSeconds == 0 && loop.othersDecoding == 0)
        #expect(abs(loop.tpotSeconds - step.seconds) <= 1e-12 * step.seconds)
        #expect(abs(loop.ttftSeconds - prompt.seconds) <= 1e-12 * prompt.seconds)
        // φ = (O − 1) TPOT / (TTFT + (O − 1) TPOT).
        let phi = 199 * step.seconds / (prompt.seconds + 199 * step.seconds)
        #expect(abs(loop.decodeFraction - phi) <= 1e-12)
    }

    /// More clients: the decode fraction is the fixed point φ = (O − 1) TPOT / cycle, the
    /// others' prompts lengthen the mean step beyond a step with none, and the request waits
    /// one mean step before its prompt.
    @Test func clientsShareTheEngine() throws {
        let profile = try TestProfiles.shipped("h100-sxm")
        let loop = try ClosedLoopServing(profile: profile, workload: Self.workload(clients: 32))
        #expect(abs(loop.decodeFraction - 199 * loop.tpotSeconds / loop.cycleSeconds) <= 1e-9)
        #expect(abs(loop.othersDecoding - 31 * loop.decodeFraction) <= 1e-12)
        let bare = try Roofline.mixedStep(profile: profile, workload: Self.workload(clients: 32),
                                          decodeSequences: loop.othersDecoding + 1, prefillTokens: 0)
        #expect(loop.tpotSeconds > bare.seconds)
        #expect(loop.admissionWaitSeconds == loop.tpotSeconds)
        #expect(abs(loop.decodeSteps.map(\.weight).reduce(0, +) - 1) <= 1e-12)
    }

    @Test func oneOutputTokenIsRejected() throws {
        var w = Self.workload(clients: 4)
        w.outputTokens = 1
        #expect(throws: HardwareError.self) { try ClosedLoopServing(profile: try TestProfiles.shipped("h100-sxm"), workload: w) }
    }

    /// The `batching` column: read, and a bad value located at its cell.
    @Test func batchingColumn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("closed-loop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.csv").path
        try "model,batch,prompt_tokens,output_tokens,tpot_ms,batching\nllama-3.1-8b,8,100,50,9.5,closed-loop\nllama-3.1-8b,8,100,50,9.5,\n"
            .write(toFile: good, atomically: true, encoding: .utf8)
        let rows = try MeasurementTable.load(path: good)
        #expect(rows.map(\.batching) == [.closedLoop, .static])
        let bad = dir.appendingPathComponent("bad.csv").path
        try "model,batch,prompt_tokens,output_tokens,tpot_ms,batching\nllama-3.1-8b,8,100,50,9.5,open\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let error = try #require(inputError { () throws(InputError) in _ = try MeasurementTable.load(path: bad) })
        #expect(error.description.contains("bad.csv:2:") && error.description.contains("'batching' must be one of static, closed-loop"))
    }
}
