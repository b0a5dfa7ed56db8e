/// Inference demand over a planning horizon: a request volume, request lengths, a growth
/// model and a peak-to-mean factor for provisioning.
///
/// A month is 365.25 / 12 = 30.4375 days. Month m (0-based) has
/// `requestsPerDay × growth.multiplier(m) × daysPerMonth` requests (or the table's value),
/// each with `promptTokens` prompt and `outputTokens` output tokens on average.
public struct DemandForecast: Equatable, Sendable {
    /// Days in one month, 365.25 / 12.
    public static let daysPerMonth = 365.25 / 12

    /// Requests per day in the first month (unused with a table).
    public let requestsPerDay: Double
    /// Mean prompt tokens per request, ≥ 0.
    public let promptTokens: Double
    /// Mean output tokens per request, > 0.
    public let outputTokens: Double
    public let growth: DemandGrowth
    /// Months in the horizon, ≥ 1.
    public let horizonMonths: Int
    /// Peak request rate over mean request rate, ≥ 1; sizes the fleet.
    public let peakToMean: Double

    /// - Throws: `DemandError` for a negative or non-finite volume or length, a horizon below 1,
    ///   peak-to-mean below 1, exponential growth ≤ −100%, linear growth that makes a month
    ///   negative, or a table shorter than the horizon or with a negative entry.
    public init(requestsPerDay: Double, promptTokens: Double, outputTokens: Double, growth: DemandGrowth = .constant,
                horizonMonths: Int, peakToMean: Double = 1) throws(DemandError) {
        func check(_ v: Double, _ field: String, positive: Bool = false) throws(DemandError) {
            guard v.isFinite, positive ? v > 0 : v >= 0 else {
                throw DemandError(field: field, "must be \(positive ? "greater than" : "at least") 0, found \(v)")
            }
        }
        try check(requestsPerDay, "requests_per_day")
        try check(promptTokens, "prompt_tokens")
        try check(outputTokens, "output_tokens", positive: true)
        guard horizonMonths >= 1 else { throw DemandError(field: "horizon_months", "must be at least 1, found \(horizonMonths)") }
        guard peakToMean.isFinite, peakToMean >= 1 else {
            throw DemandError(field: "peak_to_mean", "must be at least 1, found \(peakToMean)")
        }
        switch growth {
        case .constant: break
        case .exponential(let g):
            guard g.isFinite, g > -1 else { throw DemandError(field: "growth_per_month", "exponential growth must be above -1, found \(g)") }
        case .linear(let g):
            guard g.isFinite, 1 + g * Double(horizonMonths - 1) >= 0 else {
                throw DemandError(field: "growth_per_month", "linear growth \(g) makes month \(horizonMonths) negative")
            }
        case .monthly(let table):
            guard table.count >= horizonMonths else {
                throw DemandError(field: "horizon_months", "the table has \(table.count) months, fewer than the horizon \(horizonMonths)")
            }
            if let bad = table.first(where: { !($0.isFinite && $0 >= 0) }) {
                throw DemandError(field: "requests", "monthly volumes must be at least 0, found \(bad)")
            }
        }
        self.requestsPerDay = requestsPerDay
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
        self.growth = growth
        self.horizonMonths = horizonMonths
        self.peakToMean = peakToMean
    }

    /// A forecast given as tokens (prompt plus output) per day in the first month:
    /// requests per day = tokens per day / (prompt + output).
    public static func tokensPerDay(_ tokens: Double, promptTokens: Double, outputTokens: Double, growth: DemandGrowth = .constant,
                                    horizonMonths: Int, peakToMean: Double = 1) throws(DemandError) -> DemandForecast {
        guard tokens.isFinite, tokens >= 0 else { throw DemandError(field: "tokens_per_day", "must be at least 0, found \(tokens)") }
        guard promptTokens + outputTokens > 0 else { throw DemandError(field: "output_tokens", "must be greater than 0, found \(outputTokens)") }
        return try DemandForecast(requestsPerDay: tokens / (promptTokens + outputTokens), promptTokens: promptTokens,
                                  outputTokens: outputTokens, growth: growth, horizonMonths: horizonMonths, peakToMean: peakToMean)
    }

    /// A constant forecast whose tokens over the whole horizon total `tokens`.
    public static func totalTokens(_ tokens: Double, promptTokens: Double, outputTokens: Double, horizonMonths: Int,
                                   peakToMean: Double = 1) throws(DemandError) -> DemandForecast {
        guard horizonMonths >= 1 else { throw DemandError(field: "horizon_months", "must be at least 1, found \(horizonMonths)") }
        let perDay = tokens / (Double(horizonMonths) * daysPerMonth)
        return try tokensPerDay(perDay, promptTokens: promptTokens, outputTokens: outputTokens,
                                horizonMonths: horizonMonths, peakToMean: peakToMean)
    }

    /// Requests in month `m` (0-based).
    public func requests(month m: Int) -> Double {
        if case .monthly(let table) = growth { return table[m] }
        return requestsPerDay * (growth.multiplier(month: m) ?? 1) * Self.daysPerMonth
    }

    /// The monthly series, months 1...horizon.
    public func series() -> [MonthlyDemand] {
        (0..<horizonMonths).map { m in
            let r = requests(month: m)
            return MonthlyDemand(month: m + 1, requests: r, promptTokens: r * promptTokens, outputTokens: r * outputTokens,
                                 meanRequestsPerSecond: r / (Self.daysPerMonth * 86_400), peakToMean: peakToMean)
        }
    }

    /// Sums over the horizon.
    public var totals: DemandTotals {
        let s = series()
        return DemandTotals(requests: s.reduce(0) { $0 + $1.requests }, promptTokens: s.reduce(0) { $0 + $1.promptTokens },
                            outputTokens: s.reduce(0) { $0 + $1.outputTokens },
                            peakRequestsPerSecond: s.map(\.peakRequestsPerSecond).max() ?? 0)
    }
}

/// One month of demand.
public struct MonthlyDemand: Equatable, Sendable {
    /// Month number, 1-based.
    public let month: Int
    /// Requests in the month.
    public let requests: Double
    /// Prompt and output tokens in the month.
    public let promptTokens: Double
    public let outputTokens: Double
    /// Mean requests per second over the month.
    public let meanRequestsPerSecond: Double
    /// Peak-to-mean factor applied.
    public let peakToMean: Double

    /// Requests per day in the month.
    public var requestsPerDay: Double { requests / DemandForecast.daysPerMonth }
    /// Peak requests per second (mean × peak-to-mean): what the fleet must serve.
    public var peakRequestsPerSecond: Double { meanRequestsPerSecond * peakToMean }
    /// Prompt plus output tokens.
    public var tokens: Double { promptTokens + outputTokens }
}

/// Totals over the horizon.
public struct DemandTotals: Equatable, Sendable {
    public let requests: Double
    public let promptTokens: Double
    public let outputTokens: Double
    /// The largest monthly peak request rate, requests/s.
    public let peakRequestsPerSecond: Double
    /// Prompt plus output tokens.
    public var tokens: Double { promptTokens + outputTokens }
}
