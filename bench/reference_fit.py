"""Reference implementation for the Chinchilla fit benchmark: scipy's L-BFGS-B from every
start of the Hoffmann grid (4,500 starts), with the analytic gradient, as a competent user
would write it. Prints one JSON object: best parameters, objective, wall time.

Usage: python reference_fit.py DATA.csv [--processes P]
"""
import csv
import json
import sys
import time
from multiprocessing import Pool

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

DELTA = 1e-3


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    n = np.array([float(r["Model Size"]) for r in rows])
    c = np.array([float(r["Training FLOP"]) for r in rows])
    loss = np.array([float(r["loss"]) for r in rows])
    keep = np.argsort(loss)[: len(loss) - 5]  # Epoch drops the 5 highest-loss points
    n, c, loss = n[keep], c[keep], loss[keep]
    return np.log(n), np.log(c / (6 * n)), np.log(loss)


def objective(theta, x, y, z):
    a, b, e, alpha, beta = theta
    terms = np.stack([a - alpha * x, b - beta * y, np.full_like(x, e)])
    lse = logsumexp(terms, axis=0)
    p = np.exp(terms - lse)
    r = lse - z
    small = np.abs(r) <= DELTA
    value = np.sum(np.where(small, 0.5 * r * r, DELTA * (np.abs(r) - 0.5 * DELTA)))
    slope = np.where(small, r, DELTA * np.sign(r))
    grad = np.array([
        np.sum(slope * p[0]), np.sum(slope * p[1]), np.sum(slope * p[2]),
        np.sum(slope * p[0] * -x), np.sum(slope * p[1] * -y),
    ])
    return value, grad


def grid():
    for a in np.arange(0, 30, 5):
        for b in np.arange(0, 30, 5):
            for e in np.arange(-1, 1.5, 0.5):
                for alpha in np.arange(0, 2.5, 0.5):
                    for beta in np.arange(0, 2.5, 0.5):
                        yield [a, b, e, alpha, beta]


def solve(args):
    start, data = args
    r = minimize(objective, start, args=data, jac=True, method="L-BFGS-B")
    return float(r.fun), [float(v) for v in r.x]


def main():
    path = sys.argv[1]
    processes = int(sys.argv[sys.argv.index("--processes") + 1]) if "--processes" in sys.argv else 1
    data = load(path)
    starts = list(grid())
    t0 = time.perf_counter()
    if processes > 1:
        with Pool(processes) as pool:
            results = pool.map(solve, [(s, data) for s in starts], chunksize=50)
    else:
        results = [solve((s, data)) for s in starts]
    elapsed = time.perf_counter() - t0
    value, (a, b, e, alpha, beta) = min(results, key=lambda t: t[0])
    print(json.dumps({
        "starts": len(starts), "processes": processes, "seconds": elapsed, "objective": value,
        "A": float(np.exp(a)), "B": float(np.exp(b)), "E": float(np.exp(e)), "alpha": alpha, "beta": beta,
    }))


if __name__ == "__main__":
    main()
