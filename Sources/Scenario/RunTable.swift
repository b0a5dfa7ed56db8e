import ScalingLaws

/// Which columns of a runs CSV hold N, D (or C), L and U.
public struct RunColumns: Sendable {
    /// Column with the parameter count N.
    public var params: String
    /// Column with training tokens D; nil when `compute` is given instead.
    public var tokens: String?
    /// Column with training compute C in FLOP; D is then C / (6 N).
    public var compute: String?
    /// Column with the loss.
    public var loss: String
    /// Column with unique tokens U (data-constrained fits).
    public var uniqueTokens: String?

    public init(params: String = "params", tokens: String? = "tokens", compute: String? = nil, loss: String = "loss", uniqueTokens: String? = nil) {
        self.params = params
        self.tokens = tokens
        self.compute = compute
        self.loss = loss
        self.uniqueTokens = uniqueTokens
    }
}

/// Training runs read from a CSV file.
public enum RunTable {
    /// Reads runs; every N, D (or C), L (and U) must be a positive number.
    ///
    /// - Parameter dropHighestLoss: drop this many runs with the highest loss first
    ///   (Epoch's replication drops 5 outliers from the digitised Chinchilla points).
    public static func load(path: String, columns: RunColumns, dropHighestLoss: Int = 0) throws(InputError) -> [TrainingRun] {
        let table = try CSVTable.load(path: path)
        return try runs(from: table, columns: columns, dropHighestLoss: dropHighestLoss)
    }

    public static func runs(from table: CSVTable, columns: RunColumns, dropHighestLoss: Int = 0) throws(InputError) -> [TrainingRun] {
        let n = try table.column(columns.params, option: "--params-column")
        let l = try table.column(columns.loss, option: "--loss-column")
        let u = try columns.uniqueTokens.map { name throws(InputError) in try table.column(name, option: "--unique-tokens-column") }
        let d: Int?, c: Int?
        if let compute = columns.compute {
            c = try table.column(compute, option: "--compute-column"); d = nil
        } else {
            d = try table.column(columns.tokens ?? "tokens", option: "--tokens-column"); c = nil
        }
        var runs: [TrainingRun] = []
        for i in table.rows.indices {
            let params = try table.positiveNumber(row: i, column: n)
            let tokens: Double
            if let c { tokens = try table.positiveNumber(row: i, column: c) / (6 * params) } else { tokens = try table.positiveNumber(row: i, column: d!) }
            let loss = try table.positiveNumber(row: i, column: l)
            let unique = try u.map { j throws(InputError) in try table.positiveNumber(row: i, column: j) }
            runs.append(TrainingRun(params: params, tokens: tokens, uniqueTokens: unique, loss: loss))
        }
        guard dropHighestLoss >= 0, dropHighestLoss < runs.count else {
            throw InputError(file: table.file, "cannot drop \(dropHighestLoss) of \(runs.count) runs")
        }
        if dropHighestLoss > 0 {
            let order = runs.indices.sorted { (runs[$0].loss, $0) > (runs[$1].loss, $1) }
            let dropped = Set(order.prefix(dropHighestLoss))
            runs = runs.indices.filter { !dropped.contains($0) }.map { runs[$0] }
        }
        return runs
    }
}
