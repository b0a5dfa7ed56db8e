import ExperimentDesign
import FileIO
import Foundation
import Hardware
import Numerics

/// Reads measured serving runs from CSV for `calibrate`.
///
/// Columns: the model as a catalogue name (`model`: `llama-3.1-8b`, its published shape),
/// `params` and/or a shape (`layers`, `hidden`, `heads`, optional `kv_heads`, `vocab`);
/// `batch`, `prompt_tokens`, `output_tokens`; optional `precision` (default bf16), `devices`
/// (default 1) and `hardware` (the profile the row was measured on; rows of other hardware
/// are left out by `rows(for:)`); measured values, at least one per row: `ttft_ms`,
/// `tpot_ms`, `power_w` (mean per-device board power), `joules_per_token` (per output token,
/// all devices); optional `batching` (`static`, the default: a batch of `batch` sequences in
/// lockstep; or `closed-loop`: `batch` clients each sending a request when the last completes,
/// on a continuous-batching engine, which needs at least 2 output tokens); optional free-text
/// `source`.
public enum MeasurementTable {
    public static let requiredColumns = ["batch", "prompt_tokens", "output_tokens"]

    /// Measured values a row may hold, about a thousand times beyond any real one either way
    /// (the seed-12 soak: a TPOT of 1e308 ms made the predicted power infinite or NaN): latency
    /// from a nanosecond to 1e9 ms (11 days), ms; mean board power per device, W; energy per
    /// output token, J.
    static let latencyRangeMS = 1e-6...1e9
    static let powerRangeW = 1e-3...1e5
    static let energyRangeJ = 1e-9...1e6
    public static let optionalColumns = ["model", "hardware", "params", "layers", "hidden", "heads", "kv_heads", "vocab", "precision", "devices",
                                         "ttft_ms", "tpot_ms", "power_w", "joules_per_token", "batching", "request_rate", "prefix_cache_hit_rate", "source"]

    /// One measured row with the hardware it names (nil when the file has no `hardware` cell).
    public struct Row: Sendable {
        public var measurement: ServingMeasurement
        public var hardware: String?
    }

    /// The rows of `path` measured on `hardware` (a profile name) or naming no hardware, and
    /// how many rows named other hardware.
    public static func rows(path: String, for hardware: String) throws(InputError) -> (rows: [ServingMeasurement], otherHardware: Int) {
        let all = try loadRows(path: path)
        let key = hardware.lowercased()
        let mine = all.filter { $0.hardware == nil || $0.hardware == key }
        return (mine.map(\.measurement), all.count - mine.count)
    }

    /// Plausible model sizes of a measured run: 100K to 100T parameters (the largest dense
    /// models trained are about 2T), so a typo cannot calibrate against an impossible model.
    public static let parameterRange: ClosedRange<Double> = 1e5...1e14

    /// - Throws: `InputError` at the offending cell (unknown column, bad number, unknown
    ///   precision, a row with no model or no measured value, an invalid shape, a count out of
    ///   its range).
    public static func load(path: String) throws(InputError) -> [ServingMeasurement] {
        try loadRows(path: path).map(\.measurement)
    }

    /// Every row of `path` with the hardware it names.
    public static func loadRows(path: String) throws(InputError) -> [Row] {
        let table = try HardwareCSVTable.load(path: path, required: requiredColumns, optional: optionalColumns)
        var out: [Row] = []
        for i in table.rows.indices {
            let here = table.location(i)
            var precision = Precision.bf16
            if let (text, location) = table.cell(i, "precision") {
                guard let p = Precision(rawValue: text.lowercased()) else {
                    throw InputError(at: location, "'precision' must be one of \(Precision.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'")
                }
                precision = p
            }
            let params = try table.number(i, "params")
            if let params, !parameterRange.contains(params), let cell = table.cell(i, "params") {
                throw InputError(at: cell.location, "'params' must be between 100K and 100T, found \(Quantity.plain(params))")
            }
            let shape: ModelShape
            if let (name, location) = table.cell(i, "model") {
                guard let entry = ModelCatalog.named(name) else {
                    throw InputError(at: location, "'model' must name a published shape (scaleplan model list), found '\(name)'")
                }
                for other in ["layers", "params"] {
                    if let cell = table.cell(i, other) {
                        throw InputError(at: cell.location, "a row gives either 'model' or '\(other)', not both")
                    }
                }
                shape = entry.shape
            } else if let layers = try table.integer(i, "layers", maximum: 10_000) {
                guard let hidden = try table.integer(i, "hidden", maximum: 1 << 20),
                      let heads = try table.integer(i, "heads", maximum: 1 << 16) else {
                    throw InputError(at: here, "a row with 'layers' also needs 'hidden' and 'heads'")
                }
                shape = ModelShape(layers: layers, hidden: hidden, heads: heads,
                                   kvHeads: try table.integer(i, "kv_heads", maximum: 1 << 16) ?? heads,
                                   vocabulary: try table.integer(i, "vocab", maximum: 10_000_000) ?? ModelShape.llamaVocabulary)
            } else if let params {
                do { shape = try ModelShape.llama(parameters: params) } catch { throw InputError(at: here, error.description) }
            } else {
                throw InputError(at: here, "the row gives neither 'model', 'params' nor a shape ('layers', 'hidden', 'heads')")
            }
            var workload = ServingWorkload(
                shape: shape, parameters: params, precision: precision,
                batch: try table.integer(i, "batch", maximum: 1_000_000) ?? 1,
                promptTokens: try table.integer(i, "prompt_tokens", maximum: 10_000_000) ?? 1,
                outputTokens: try table.integer(i, "output_tokens", maximum: 10_000_000) ?? 1,
                devices: try table.integer(i, "devices", maximum: 1024) ?? 1)
            // A run with prefix caching: the share of its prompt tokens the engine found cached.
            if let h = try table.number(i, "prefix_cache_hit_rate", positive: false) {
                guard ServingWorkload.acceptsPrefixCacheHitRate(h) else {
                    throw InputError(at: table.cell(i, "prefix_cache_hit_rate")?.location ?? here,
                                     "'prefix_cache_hit_rate' must be at least 0 and below 1 (the fraction of prompt tokens found in the prefix cache), found \(Quantity.plain(h))")
                }
                workload.prefixCacheHitRate = h
            }
            do { try workload.validate() } catch { throw InputError(at: here, error.description) }
            var batching = MeasuredBatching.static
            if let (text, location) = table.cell(i, "batching") {
                guard let b = MeasuredBatching(rawValue: text.lowercased()) else {
                    throw InputError(at: location, "'batching' must be one of \(MeasuredBatching.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'")
                }
                if b == .closedLoop {
                    do { try ClosedLoopServing.validate(workload) } catch { throw InputError(at: location, error.description) }
                }
                batching = b
            }
            // An open loop's arrival rate, requests per second; only open-loop rows have one, and
            // with the measured TPOT it gives the run's running batch (Little's law).
            let rate = try table.number(i, "request_rate", in: OpenLoopServing.acceptedRates)
            let tpot = try table.number(i, "tpot_ms", in: Self.latencyRangeMS).map { $0 / 1000 }
            if batching == .openLoop {
                guard let rate else { throw InputError(at: here, "an open-loop row needs its arrival rate, 'request_rate' (requests per second)") }
                guard let tpot else {
                    throw InputError(at: here, "an open-loop row needs its measured 'tpot_ms': with the request rate it gives the run's running batch (Little's law)")
                }
                do {
                    try OpenLoopServing.validate(workload, requestsPerSecond: rate, tpotSeconds: tpot)
                } catch {
                    throw InputError(at: table.cell(i, "request_rate")?.location ?? here, error.description)
                }
            }
            if batching != .openLoop, rate != nil, let cell = table.cell(i, "request_rate") {
                throw InputError(at: cell.location, "'request_rate' is an open loop's arrival rate; this row's batching is \(batching.rawValue)")
            }
            let m = ServingMeasurement(
                workload: workload, batching: batching, ttftSeconds: try table.number(i, "ttft_ms", in: Self.latencyRangeMS).map { $0 / 1000 },
                tpotSeconds: tpot,
                powerWatts: try table.number(i, "power_w", in: Self.powerRangeW),
                joulesPerToken: try table.number(i, "joules_per_token", in: Self.energyRangeJ), label: "\(table.file):\(table.rows[i].line)",
                requestsPerSecond: rate)
            guard !m.measured.isEmpty else {
                throw InputError(at: here, "the row has no measured value (ttft_ms, tpot_ms, power_w or joules_per_token)")
            }
            out.append(Row(measurement: m, hardware: table.cell(i, "hardware")?.text.lowercased()))
        }
        return out
    }
}
