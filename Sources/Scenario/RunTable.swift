import Foundation
import ExperimentDesign
import FileIO
import Numerics
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
    /// When set, the tokens column holds optimiser steps and D = steps x this (the global batch
    /// in tokens).
    public var tokensPerStep: Double?
    /// Skip rows with an empty cell in a column the fit reads (counted by
    /// `RunTable.loadCounting`) instead of refusing the file.
    public var skipIncomplete: Bool

    public init(params: String = "params", tokens: String? = "tokens", compute: String? = nil, loss: String = "loss", uniqueTokens: String? = nil,
                tokensPerStep: Double? = nil, skipIncomplete: Bool = false) {
        self.params = params
        self.tokens = tokens
        self.compute = compute
        self.loss = loss
        self.uniqueTokens = uniqueTokens
        self.tokensPerStep = tokensPerStep
        self.skipIncomplete = skipIncomplete
    }
}

/// Training runs read from a CSV file.
public enum RunTable {
    /// The most runs a fit reads: the fit evaluates every start on every run, so the time
    /// grows with the row count (about 2 s of processor time per 1,000 runs: 40 s for 20,000
    /// measured on the development machine).
    public static let maximumRuns = 20_000
    /// Every N, D, C and L must lie in this range: far beyond any real run (N and D up to
    /// 1e30, a loss down to 1e-30), so a slip in units cannot overflow 6ND or a residual.
    public static let magnitudes: ClosedRange<Double> = 1e-30...1e30

    /// Reads runs; every N, D (or C), L (and U) must be a positive number.
    ///
    /// - Parameter dropHighestLoss: drop this many runs with the highest loss first
    ///   (Epoch's replication drops 5 outliers from the digitised Chinchilla points).
    public static func load(path: String, columns: RunColumns, dropHighestLoss: Int = 0) throws(InputError) -> [TrainingRun] {
        try loadCounting(path: path, columns: columns, dropHighestLoss: dropHighestLoss).runs
    }

    /// The runs and how many rows `columns.skipIncomplete` skipped for an empty cell.
    public static func loadCounting(path: String, columns: RunColumns, dropHighestLoss: Int = 0) throws(InputError) -> (runs: [TrainingRun], skipped: Int) {
        let table = try CSVTable.load(path: path)
        let read = try runsCounting(from: table, columns: columns, dropHighestLoss: dropHighestLoss)
        try checkVaried(read.runs, file: path)
        return read
    }

    /// Every law has an exponent for N and one for D, so runs that all share N (or D) cannot
    /// determine it; the fit would wander off to a degenerate law. Checked once there are as
    /// many runs as the smallest law has parameters (fewer is the fitter's own error).
    public static func checkVaried(_ runs: [TrainingRun], file: String) throws(InputError) {
        guard runs.count >= LawForm.allCases.map(\.parameterNames.count).min()! else { return }
        for (name, values) in [("model size N", runs.map(\.params)), ("token count D", runs.map(\.tokens))] where Set(values).count == 1 {
            throw InputError(file: file, "every run has the same \(name) (\(Quantity.format(values[0]))); a law needs runs at two or more")
        }
    }

    public static func runs(from table: CSVTable, columns: RunColumns, dropHighestLoss: Int = 0) throws(InputError) -> [TrainingRun] {
        try runsCounting(from: table, columns: columns, dropHighestLoss: dropHighestLoss).runs
    }

    static func runsCounting(from table: CSVTable, columns: RunColumns, dropHighestLoss: Int) throws(InputError) -> (runs: [TrainingRun], skipped: Int) {
        let n = try table.column(columns.params, option: "--params-column")
        let l = try table.column(columns.loss, option: "--loss-column")
        let u = try columns.uniqueTokens.map { name throws(InputError) in try table.column(name, option: "--unique-tokens-column") }
        let d: Int?, c: Int?
        if let compute = columns.compute {
            c = try table.column(compute, option: "--compute-column"); d = nil
        } else {
            d = try table.column(columns.tokens ?? "tokens", option: "--tokens-column"); c = nil
        }
        guard table.rows.count <= maximumRuns else {
            throw InputError(file: table.file, line: table.lines[maximumRuns], column: 1,
                             "the file has more than \(maximumRuns) runs, the most scaleplan fits (each start of the fit visits every run)")
        }
        var runs: [TrainingRun] = []
        var skipped = 0
        let read = [n, c ?? d!, l] + (u.map { [$0] } ?? [])
        for i in table.rows.indices {
            if columns.skipIncomplete, read.contains(where: { j in j >= table.rows[i].count || table.rows[i][j].trimmingCharacters(in: .whitespaces).isEmpty }) {
                skipped += 1
                continue
            }
            // N, D or C, L and U, each checked at its cell.
            var cells: [(column: Int, value: Double)] = []
            for j in read {
                let v = try table.positiveNumber(row: i, column: j)
                guard magnitudes.contains(v) else {
                    throw InputError(at: table.location(row: i, column: j),
                                     "column '\(table.header[j])' must be between 1e-30 and 1e30, found \(Quantity.plain(v))")
                }
                cells.append((j, v))
            }
            let params = cells[0].value, loss = cells[2].value, unique = u == nil ? nil : cells[3].value
            let tokens = c == nil ? cells[1].value * (columns.tokensPerStep ?? 1) : cells[1].value / (6 * params)
            guard magnitudes.contains(tokens) else {
                throw InputError(at: table.location(row: i, column: cells[1].column),
                                 "column '\(table.header[cells[1].column])' gives D = C / (6 N) = \(Quantity.plain(tokens)) tokens, outside 1e-30 to 1e30")
            }
            runs.append(TrainingRun(params: params, tokens: tokens, uniqueTokens: unique, loss: loss))
        }
        guard !runs.isEmpty || !columns.skipIncomplete else {
            throw InputError(file: table.file, "every one of the \(table.rows.count) rows has an empty cell in a column the fit reads; nothing is left to fit")
        }
        guard dropHighestLoss >= 0, dropHighestLoss < runs.count else {
            throw InputError(file: table.file, "cannot drop \(dropHighestLoss) of \(runs.count) runs")
        }
        if dropHighestLoss > 0 {
            let order = runs.indices.sorted { (runs[$0].loss, $0) > (runs[$1].loss, $1) }
            let dropped = Set(order.prefix(dropHighestLoss))
            runs = runs.indices.filter { !dropped.contains($0) }.map { runs[$0] }
        }
        return (runs, skipped)
    }
}
