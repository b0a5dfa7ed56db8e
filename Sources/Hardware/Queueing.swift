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
        guard a > 0 else { return 0 }
        guard a < Double(s) else { return .infinity }
        return erlangC(servers: s, load: a) * service / (Double(s) - a) / 2
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

    /// The standard normal quantile, by Acklam's rational approximation (relative error below
    /// 1.2e-9), for q in (0, 1).
    public static func normalQuantile(_ q: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if q < low {
            let t = (-2 * log(q)).squareRoot()
            return (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) / ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1)
        }
        if q > 1 - low { return -normalQuantile(1 - q) }
        let u = q - 0.5, r = u * u
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * u
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
