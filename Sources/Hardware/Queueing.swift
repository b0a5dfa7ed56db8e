import Numerics
import Foundation

/// The queueing formulas the steady-state serving model uses, each with its source.
public enum Queueing {
    /// Erlang's C formula: the probability that an arrival to an M/M/s queue with offered load
    /// `load` = λ × mean service time (in servers) finds every one of the `servers` busy:
    /// C = B / (1 − ρ (1 − B)) with ρ = a / s and Erlang's B formula B (Kleinrock, Queueing
    /// Systems vol. 1, 1975, §3.5). 1 when ρ ≥ 1.
    public static func erlangC(servers s: Int, load a: Double) -> Double {
        guard s >= 1, a > 0 else { return 0 }
        let rho = a / Double(s)
        guard rho < 1 else { return 1 }
        let b = erlangB(servers: s, load: a)
        return b / (1 - rho * (1 - b))
    }

    /// Erlang's B formula from 1 / B = Σ_{i=0}^{s} Π_{m<i} (s − m) / a, whose terms rise
    /// while s − m > a and then fall faster than geometrically: the sum stops once a term is
    /// below 1e-17 of it (about s − a + 8 √a terms instead of s), and B is 0 when the sum
    /// passes 1e290 (B below 1e-290).
    public static func erlangB(servers s: Int, load a: Double) -> Double {
        guard s >= 1, a > 0 else { return a > 0 ? 1 : 0 }
        let servers = Double(s)
        var term = 1.0, sum = 1.0
        for i in 1...s {
            let factor = (servers - Double(i) + 1) / a
            term *= factor
            sum += term
            if sum > 1e290 { return 0 }
            if factor < 1 && term < 1e-17 * sum { break }
        }
        return 1 / sum
    }

    /// Mean wait in an M/D/s queue (Poisson arrivals, `servers` servers, fixed service time
    /// `service` s, offered load `load` servers): the M/M/s wait C(s, a) × service / (s − a)
    /// scaled by (c_a² + c_s²) / 2 = 1/2, the Allen–Cunneen approximation for G/G/s (Allen,
    /// Probability, Statistics and Queueing Theory, 1990, §6.7), exact for s = 1
    /// (Pollaczek–Khinchine). Infinite when the load reaches the servers.
    public static func deterministicServiceWait(servers s: Int, load a: Double, service: Double) -> Double {
        generalServiceWait(servers: s, load: a, service: service, serviceSCV: 0)
    }

    /// Mean wait in an M/G/s queue whose service time has mean `service` s and squared
    /// coefficient of variation `serviceSCV` (variance over the squared mean): the M/M/s wait
    /// scaled by (1 + c_s²) / 2 (Allen–Cunneen, as above; exact for s = 1, the
    /// Pollaczek–Khinchine formula). Infinite when the load reaches the servers.
    public static func generalServiceWait(servers s: Int, load a: Double, service: Double, serviceSCV: Double) -> Double {
        guard a > 0 else { return 0 }
        guard a < Double(s) else { return .infinity }
        return erlangC(servers: s, load: a) * service / (Double(s) - a) * (1 + serviceSCV) / 2
    }

    /// The q-quantile of a wait that is 0 with probability 1 − p and otherwise exponential
    /// with mean `mean` / p (so that its mean is `mean`): the heavy-traffic form of the
    /// waiting-time distribution of G/G/s queues (Kingman 1962; Whitt, "Approximations for the
    /// GI/G/m queue", 1993).
    public static func waitQuantile(mean: Double, waitProbability p: Double, quantile q: Double) -> Double {
        guard mean > 0, p > 0, q > 1 - p else { return 0 }
        guard mean.isFinite else { return .infinity }
        return mean / p * log(p / (1 - q))
    }

    /// The standard normal quantile for q in (0, 1) (`NormalDistribution.quantile`).
    public static func normalQuantile(_ q: Double) -> Double { NormalDistribution.quantile(q) }
}
