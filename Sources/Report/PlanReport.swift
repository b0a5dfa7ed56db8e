import Diagnostics
import ExperimentDesign
import FileIO
import Numerics
import PlanModel
import ValueTree

/// Report values for plans: the JSON contract of `evaluate` and `frontier`.
public enum PlanReport {
    /// One plan (a POINT in the contract): stable keys first, extras after.
    /// `warnings` are the plan's own (their codes are listed; the messages go in the document's `warnings`).
    public static func point(_ m: PlanMetrics, warnings: [Warning]) -> ReportValue {
        reportObject([
            ("params", .number(m.params)),
            ("tokens", .number(m.tokens)),
            ("tokens_per_param", .number(m.tokensPerParam)),
            ("loss", .number(m.loss)),
            ("trained_loss", .number(m.trainedLoss)),
            ("quantization_loss", .number(m.quantizationLoss)),
            ("served_loss", .number(m.loss)),
            ("served_precision", .string(m.quantization?.precision.rawValue)),
            ("quantization_method", .string(m.quantization.flatMap { QuantizationModel.isQuantized($0.precision) ? $0.method.rawValue : nil })),
            ("loss_low", .number(m.lossLow)),
            ("loss_high", .number(m.lossHigh)),
            ("loss_at_confidence", .number(m.lossAtConfidence)),
            ("downstream_error", .number(m.downstreamError)),
            ("model", .string(m.model)),
            // Present when the scenario compares architectures: params is then N_act for MoE.
            ("architecture", m.architecture.map { .string($0) }),
            ("total_params", m.architecture.map { _ in .number(m.totalParams ?? m.params) }),
            ("train_flops", .number(m.trainFLOPs)),
            ("inference_flops", .number(m.inferenceFLOPs)),
            ("total_flops", .number(m.totalFLOPs)),
            ("train_cost_usd", .number(m.trainCost)),
            ("inference_cost_usd", .number(known(m.inferenceCost))),
            ("total_cost_usd", .number(known(m.totalCost))),
            ("energy_kwh", .number(known(m.totalEnergyKWh))),
            ("train_energy_kwh", .number(m.trainEnergyKWh)),
            ("inference_energy_kwh", .number(known(m.inferenceEnergyKWh))),
            ("emissions_t_co2", .number(known(m.emissionsTonnes))),
            ("train_days", .number(m.trainDays)),
            ("train_devices", .integer(m.trainDevices)),
            ("train_device_hours", .number(m.trainDeviceHours)),
            ("fleet", .list(m.fleet.assignments.map(fleetEntry))),
            ("reservations", m.fleet.reservations.isEmpty ? nil : .list(m.fleet.reservations.map(reservationEntry))),
            ("change_cost_replica_hours", m.fleet.changeCostReplicaHours > 0 ? .number(m.fleet.changeCostReplicaHours) : nil),
            ("serving_device_hours", .number(m.fleet.busyDeviceHours)),
            ("tpot_ms", .number(m.tpotMs)),
            ("ttft_ms", .number(m.ttftMs)),
            ("ttft_p50_ms", .number(slowest(m, \.ttftP50Seconds))), ("ttft_p90_ms", .number(slowest(m, \.ttftP90Seconds))),
            ("tpot_p50_ms", .number(slowest(m, \.tpotP50Seconds))), ("tpot_p90_ms", .number(slowest(m, \.tpotP90Seconds))),
            // The codes of the plan's warnings (the messages are in the document's `warnings`).
            // (each code once: two search bounds are one `search_bound` here).
            ("warnings", .list(uniqueCodes(warnings).map { .string($0) })),
        ])
    }

    /// Why one architecture's best plan costs what it does: its sizes, training and serving
    /// cost, and the replica that serves it (the first fleet entry): weights held, in GB, as
    /// every parameter at the serving precision, and the devices and layout per replica.
    public static func architectureFigures(_ m: PlanMetrics) -> [(String, ReportValue?)] {
        let replica = m.fleet.assignments.first?.replica
        return [
            ("active_params", .number(m.params)), ("total_params", .number(m.totalParams ?? m.params)),
            ("loss", .number(m.loss)), ("train_flops", .number(m.trainFLOPs)), ("train_cost_usd", .number(m.trainCost)),
            ("inference_cost_usd", .number(known(m.inferenceCost))), ("total_cost_usd", .number(known(m.totalCost))),
            ("weights_gb", replica.map { .number((m.totalParams ?? m.params) * $0.option.precision.bytesPerValue / 1e9) }),
            ("devices_per_replica", replica.map { .integer($0.devices) }),
            ("parallelism", replica.map { .string($0.parallelismLabel) }),
            ("peak_replicas", m.fleet.assignments.first.map { $0.replicasByMonth.isEmpty ? .null : .integer($0.peakReplicas) }),
        ]
    }

    /// The codes of `warnings` in order, each once.
    static func uniqueCodes(_ warnings: [Warning]) -> [String] {
        var seen = Set<String>()
        return warnings.map(\.code.rawValue).filter { seen.insert($0).inserted }
    }

    /// A figure that is not computed (serving's cost in a pure-FLOP question, NaN) is null.
    static func known(_ d: Double?) -> Double? { d.flatMap { $0.isNaN ? nil : $0 } }

    /// The slowest fleet entry's latency figure, ms (as the plan's `ttft_ms` and `tpot_ms`);
    /// nil without a fleet.
    static func slowest(_ m: PlanMetrics, _ figure: KeyPath<ReplicaSpec, Double>) -> Double? {
        m.fleet.assignments.map { $0.replica[keyPath: figure] * 1000 }.max()
    }

    static func fleetEntry(_ a: FleetAssignment) -> ReportValue {
        reportObject([
            ("hardware", .string(a.replica.option.hardwareName)),
            ("precision", .string(a.replica.option.precision.rawValue)),
            ("replicas", a.replicasByMonth.isEmpty ? .null : .integer(a.peakReplicas)),
            ("devices_per_replica", .integer(a.replica.devices)),
            ("parallelism", a.replica.isBeyondTensorParallel ? .string(a.replica.parallelismLabel) : nil),
            ("batch", .integer(a.replica.batch)),
            ("running_batch", .number(a.replica.runningBatch)),
            ("requests_per_second_per_replica", .number(a.replica.requestsPerSecond)),
            ("replicas_by_month", a.replicasByMonth.isEmpty ? .null : .list(a.replicasByMonth.map { .integer($0) })),
            // This option's own latency (the plan's ttft_ms and tpot_ms are the slowest option's).
            ("ttft_ms", .number(a.replica.ttftSeconds * 1000)),
            ("tpot_ms", .number(a.replica.tpotSeconds * 1000)),
            ("ttft_p50_ms", .number(a.replica.ttftP50Seconds * 1000)), ("ttft_p90_ms", .number(a.replica.ttftP90Seconds * 1000)),
            ("tpot_p50_ms", .number(a.replica.tpotP50Seconds * 1000)), ("tpot_p90_ms", .number(a.replica.tpotP90Seconds * 1000)),
            ("kv_slots", .integer(a.replica.slots)),
        ])
    }

    /// Devices reserved for each term of one accelerator (`FleetReservation`).
    static func reservationEntry(_ r: FleetReservation) -> ReportValue {
        reportObject([
            ("hardware", .string(r.hardware)),
            ("term_months", .integer(r.termMonths)),
            ("discount", .number(r.discount)),
            ("discount_source", .string(r.discountSource)),
            ("usd_per_device_hour", .number(r.reservedUSDPerDeviceHour)),
            ("devices_by_term", .list(r.devicesByTerm.map { .integer($0) })),
        ])
    }

    /// A frontier point with the objectives it trades off, for tables and CSV.
    public static func frontierRow(_ m: PlanMetrics, knee: Bool, warnings: [Warning]) -> ReportValue {
        guard case .object(var pairs) = point(m, warnings: warnings) else { return point(m, warnings: warnings) }
        pairs.removeAll { ["fleet", "replicas_by_month", "reservations"].contains($0.0) }
        pairs.append(("fleet", .string(m.fleet.assignments.map {
            $0.replicasByMonth.isEmpty ? $0.replica.option.label : "\($0.peakReplicas)x \($0.replica.option.label)"
        }.joined(separator: " + "))))
        if !m.fleet.reservations.isEmpty {
            pairs.append(("reserved", .string(m.fleet.reservations.map {
                "\($0.devicesByTerm.map(String.init).joined(separator: "/")) \($0.hardware) for \($0.termMonths) months"
            }.joined(separator: " + "))))
        }
        pairs.append(("knee", .bool(knee)))
        return .object(pairs)
    }

    /// The whole `evaluate` answer.
    public static func outcome(_ o: PlanOutcome, scenario: String, problem: PlanningProblem, lawSource: String) -> ReportValue {
        var pairs: [(String, ReportValue?)] = [
            ("scenario", .string(scenario)),
            ("status", .string(o.status.rawValue)),
            ("recommended", o.recommended.map { point($0, warnings: o.warnings) } ?? .null),
            ("recommendation", .string(o.recommendation)),
        ]
        if let f = o.frontier {
            pairs.append(("frontier_axes", reportObject([("x", .string(f.x.rawValue)), ("y", .string(f.y.rawValue))])))
            pairs.append(("frontier", .list(f.points.enumerated().map { i, p in
                let row = point(p, warnings: f.pointWarnings[i])
                guard case .object(var kv) = row else { return row }
                kv.append(("knee", .bool(i == f.knee)))
                return .object(kv)
            })))
        } else {
            pairs.append(("frontier", .list([])))
        }
        // A monthly budget needs serving's cost (not known in a pure-FLOP question).
        if let r = o.recommended, let inf = problem.inference, inf.modelsServing {
            pairs.append(("budget", budget(r, inf)))
        }
        if let c = problem.lossUncertainty?.confidence {
            let primary = problem.objectives.first ?? .cost
            pairs.append(("price_of_confidence", reportObject([
                ("confidence", .number(c)),
                ("samples", .integer(problem.lossUncertainty!.samples.count)),
                ("objective", .string(primary.rawValue)),
                ("nominal", o.nominal.map { .number($0.value(primary)) } ?? .null),
                ("robust", o.recommended.map { .number($0.value(primary)) } ?? .null),
                ("extra", o.nominal.flatMap { n in o.recommended.map { .number($0.value(primary) - n.value(primary)) } } ?? .null),
                ("nominal_plan", o.nominal.map { point($0, warnings: PlanWarnings.check($0, problem: problem)) } ?? .null),
            ])))
        }
        if !o.relaxations.isEmpty {
            pairs.append(("relaxations", .list(o.relaxations.map { r in
                reportObject([("constraint", .string(r.constraint)), ("bound", .number(r.bound)),
                              ("needed", r.needed.map { .number($0) } ?? .null)])
            })))
        }
        if !o.architectures.isEmpty {
            pairs.append(("architectures", .list(o.architectures.map { a in
                reportObject([("architecture", .string(a.label)), ("feasible", .bool(a.best != nil)), ("reason", a.reason.map { .string($0) })]
                             + (a.best.map { architectureFigures($0) } ?? [])
                             + [("plan", a.best.map { point($0, warnings: PlanWarnings.check($0, problem: problem)) } ?? .null)])
            })))
        }
        pairs.append(("law_source", .string(lawSource)))
        return reportObject(pairs)
    }

    /// Lifetime budget by month: training first (month 0), then serving each month (none
    /// when serving is not modelled, as in a pure-FLOP question).
    static func budget(_ m: PlanMetrics, _ inf: InferenceSetup?) -> ReportValue {
        let monthly = inf.map { $0.modelsServing ? PlanEvaluator.monthlyServing($0, m.fleet) : [] } ?? []
        let carbon = inf?.carbonIntensity
        var rows: [ReportValue] = [reportObject([
            ("month", .integer(0)), ("phase", .string("training")),
            ("cost_usd", .number(m.trainCost)), ("energy_kwh", .number(m.trainEnergyKWh)),
            ("emissions_t_co2", .number(carbon.map { m.trainEnergyKWh * $0 / 1e6 })),
        ])]
        for (i, month) in monthly.enumerated() {
            let kwh = month.joules / 3.6e6
            rows.append(reportObject([
                ("month", .integer(i + 1)), ("phase", .string(monthly.count == 1 ? "serving (lifetime)" : "serving")),
                ("cost_usd", .number(month.usd)), ("energy_kwh", .number(kwh)),
                ("emissions_t_co2", .number(carbon.map { kwh * $0 / 1e6 })),
            ]))
        }
        return .list(rows)
    }
}
