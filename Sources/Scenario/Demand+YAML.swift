import Demand
import ExperimentDesign
import FileIO
import Foundation
import Hardware
import Numerics

extension DemandForecast {
    /// Keys of a `demand:` mapping.
    public static let yamlKeys = ["requests_per_day", "tokens_per_day", "tokens", "volumes", "growth", "growth_per_month",
                                  "horizon_months", "prompt_tokens", "output_tokens", "peak_to_mean"]

    /// Reads a demand mapping:
    /// ```yaml
    /// demand: { requests_per_day: 50M, growth: exponential, growth_per_month: 0.05,
    ///           horizon_months: 24, prompt_tokens: 800, output_tokens: 300, peak_to_mean: 2.5 }
    /// ```
    /// `output_tokens` is a mean, or `{histogram: [{tokens, share}, ...]}` whose mean it is
    /// (the planner then sizes replicas on the distribution, `InferenceSetup.outputLengths`).
    /// The volume is exactly one of `requests_per_day`, `tokens_per_day` (prompt + output tokens
    /// in the first month), `tokens` (total over the horizon, constant) or `volumes` (a CSV of
    /// monthly volumes, see `DemandTable`, relative to `baseDirectory`). `growth` is constant,
    /// linear or exponential; it defaults to exponential when `growth_per_month` is given.
    ///
    /// - Throws: `InputError` at the offending node.
    public static func parse(_ value: YAMLValue, baseDirectory: String? = nil) throws(InputError) -> DemandForecast {
        try parseWithOutputLengths(value, baseDirectory: baseDirectory).forecast
    }

    /// `parse`, with the output-length histogram when `output_tokens` gives one (nil for a mean).
    static func parseWithOutputLengths(_ value: YAMLValue, baseDirectory: String? = nil) throws(InputError)
        -> (forecast: DemandForecast, outputLengths: OutputLengths?) {
        let m = try value.mapping(allowed: yamlKeys)
        let volumeKeys = ["requests_per_day", "tokens_per_day", "tokens", "volumes"].filter { m.optional($0) != nil }
        guard volumeKeys.count == 1 else {
            throw value.error("demand needs exactly one of requests_per_day, tokens_per_day, tokens or volumes, found \(volumeKeys.isEmpty ? "none" : volumeKeys.joined(separator: ", "))")
        }
        // Mean tokens per request: at most 10M, as for a lifetime total (InferenceSection); every
        // request decodes at least one output token.
        let prompt = try m.required("prompt_tokens").number(in: 0...maximumTokensPerRequest)
        // A number, or a histogram of lengths whose mean it is (`OutputLengths.parse`).
        let outputNode = try m.required("output_tokens")
        let lengths = outputNode.isMapping ? try OutputLengths.parse(outputNode) : nil
        let output: Double
        if let lengths { output = lengths.mean } else { output = try outputNode.number(in: 1...maximumTokensPerRequest) }
        let peak = try m.optional("peak_to_mean")?.number(in: 1...1000) ?? 1
        let rateNode = m.optional("growth_per_month")
        let rate = try rateNode?.number(in: -0.99...100)
        let growthName = try m.optional("growth")?.oneOf(["constant", "linear", "exponential"]) ?? (rate == nil ? "constant" : "exponential")
        var growth: DemandGrowth
        switch growthName {
        case "constant":
            if let rateNode { throw rateNode.error("'growth_per_month' needs growth: linear or exponential, not constant") }
            growth = .constant
        default:
            guard let rate else { throw (m.optional("growth") ?? value).error("growth: \(growthName) needs 'growth_per_month'") }
            growth = growthName == "linear" ? .linear(perMonth: rate) : .exponential(perMonth: rate)
        }
        var horizon = try m.optional("horizon_months")?.integer(in: 1...1200)
        if let node = m.optional("volumes") {
            var path = try node.string()
            if let baseDirectory, !path.hasPrefix("/") { path = (baseDirectory as NSString).appendingPathComponent(path) }
            if m.optional("growth") != nil || rateNode != nil {
                throw node.error("'volumes' gives every month already; remove 'growth' and 'growth_per_month'")
            }
            let table = try DemandTable.load(path: path)
            guard table.count <= 1200 else {
                throw node.error("'volumes' lists \(table.count) months, more than the 1200 (100 years) a horizon may span")
            }
            growth = .monthly(requests: table)
            horizon = horizon ?? table.count
        }
        guard let horizon else { throw value.error("demand is missing the required key 'horizon_months'") }
        let forecast = try build(m, volume: volumeKeys[0], value: value, prompt: prompt, output: output, growth: growth,
                                 horizon: horizon, peak: peak)
        if let month = forecast.series().first(where: { !($0.requestsPerDay <= maximumRequestsPerDay) }) {
            let at = rateNode ?? m.optional(volumeKeys[0]) ?? value
            throw at.error("the demand reaches \(Quantity.format(month.requestsPerDay)) requests a day in month \(month.month), more than the \(Quantity.format(maximumRequestsPerDay)) scaleplan plans for")
        }
        return (forecast, lengths)
    }

    /// The most prompt or output tokens one request may have on average (10M, beyond any
    /// context window shipped).
    public static let maximumTokensPerRequest = 10_000_000.0

    /// The most requests a day any month may reach: 10T, about a thousand times the web
    /// searches made worldwide in a day (of the order of 10^10), so a typo in a growth rate
    /// cannot ask the fleet MILP for 10^15 accelerators.
    public static let maximumRequestsPerDay = 1e13

    private static func build(_ m: YAMLMapping, volume: String, value: YAMLValue, prompt: Double, output: Double, growth: DemandGrowth,
                              horizon: Int, peak: Double) throws(InputError) -> DemandForecast {
        do {
            switch volume {
            case "requests_per_day":
                return try DemandForecast(requestsPerDay: try m.required("requests_per_day").nonNegativeNumber(), promptTokens: prompt,
                                          outputTokens: output, growth: growth, horizonMonths: horizon, peakToMean: peak)
            case "tokens_per_day":
                return try DemandForecast.tokensPerDay(try m.required("tokens_per_day").nonNegativeNumber(), promptTokens: prompt,
                                                       outputTokens: output, growth: growth, horizonMonths: horizon, peakToMean: peak)
            case "tokens":
                if growth != .constant { throw value.error("a total 'tokens' volume is spread evenly; remove 'growth' and 'growth_per_month'") }
                return try DemandForecast.totalTokens(try m.required("tokens").nonNegativeNumber(), promptTokens: prompt,
                                                      outputTokens: output, horizonMonths: horizon, peakToMean: peak)
            default:
                return try DemandForecast(requestsPerDay: 0, promptTokens: prompt, outputTokens: output, growth: growth,
                                          horizonMonths: horizon, peakToMean: peak)
            }
        } catch let error as DemandError {
            throw (m.optional(error.field) ?? value).error(error.message)
        } catch let error as InputError {
            throw error
        } catch {
            throw value.error("\(error)")
        }
    }
}
