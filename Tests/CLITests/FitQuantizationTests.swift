import Foundation
import Testing
import TestSupport

/// `scaleplan fit-quantization`: Kumar et al.'s law recovered from evaluations, and used by a
/// scenario through the file it writes.
@Suite("Fitting the quantisation law")
struct FitQuantizationTests {
    /// Evaluations generated here from chosen constants (eq. 2 written out, on a Chinchilla
    /// base): the fit recovers the constants to rounding error; the written file plans.
    @Test func recoversTheConstantsAndPlansWithThem() throws {
        let (cT, gD, gN, gP) = (0.08, 0.45, 0.30, 0.7)
        var csv = "params,tokens,precision,loss\n"
        for n in [1e8, 4e8, 1.6e9] {
            for d in [2e9, 2e10, 2e11] {
                let base = 1.69 + 406.4 / pow(n, 0.34) + 410.7 / pow(d, 0.28)
                csv += "\(n),\(d),bf16,\(base)\n"
                for (name, bits) in [("int8", 8.0), ("int4", 4.0), ("3", 3.0)] {
                    csv += "\(n),\(d),\(name),\(base + cT * pow(d, gD) / pow(n, gN) * exp(-bits / gP))\n"
                }
            }
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-fq-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try csv.write(toFile: dir + "/evals.csv", atomically: true, encoding: .utf8)
        let r = try runScaleplan(["fit-quantization", dir + "/evals.csv", "-o", dir + "/ptq.yaml"])
        try #require(r.status == 0, "\(r.stderr)")
        let json = try runScaleplan(["fit-quantization", dir + "/evals.csv", "--format", "json"])
        let o = try #require(jsonObject(json.stdout))
        for (key, expected) in [("C_T", cT), ("gamma_D", gD), ("gamma_N", gN), ("gamma_post", gP)] {
            let v = try #require(o[key] as? Double)
            #expect(abs(v - expected) < 1e-6 * expected, "\(key) \(v) vs \(expected)")
        }
        #expect(o["pairs_used"] as? Int == 27)

        let scenario = """
        scenario: own-ptq
        law: { preset: hoffmann2022 }
        training: { hardware: h100-sxm, mfu: 0.45, devices: 2048 }
        inference:
          hardware: [h100-sxm]
          precision: [int4]
          demand: { requests_per_day: 10M, horizon_months: 12, prompt_tokens: 800, output_tokens: 300 }
          slo: { ttft_ms: 800, tpot_ms: 60 }
        objectives: [cost]
        constraints: { loss_max: 2.1 }
        quantization: { law: ptq.yaml }
        """
        try scenario.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        let plan = try runScaleplan(["evaluate", dir + "/s.yaml", "-q", "--format", "json"])
        try #require(plan.status == 0, "\(plan.stderr)")
        let rec = try #require(jsonObject(plan.stdout)?["recommended"] as? [String: Any])
        let n = try #require(rec["params"] as? Double), d = try #require(rec["tokens"] as? Double)
        let q = try #require(rec["quantization_loss"] as? Double)
        #expect(abs(q - cT * pow(d, gD) / pow(n, gN) * exp(-4 / gP)) < 1e-6 * q)
    }

    /// Too few pairs, or a precision cell that is neither a name nor a bit width: one located
    /// sentence, exit 2.
    @Test func badInputIsLocated() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaleplan-fq-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "params,tokens,precision,loss\n1e8,1e9,bf16,3.0\n1e8,1e9,int4,3.1\n".write(toFile: dir + "/few.csv", atomically: true, encoding: .utf8)
        let few = try runScaleplan(["fit-quantization", dir + "/few.csv"])
        #expect(few.status == 2 && few.stderr.contains("at least 4 pairs"), "\(few.stderr)")
        try "params,tokens,precision,loss\n1e8,1e9,nf4,3.0\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try runScaleplan(["fit-quantization", dir + "/bad.csv"])
        #expect(bad.status == 2 && bad.stderr.contains("bad.csv:2:9") && bad.stderr.contains("bit width"), "\(bad.stderr)")
    }
}
