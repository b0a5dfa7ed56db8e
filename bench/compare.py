"""Runs scaleplan and the scipy reference on the same fit and prints a Markdown table
with the timings, the optima and the speed ratio (for BENCHMARKS.md)."""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "scaleplan")
DATA = os.path.join(ROOT, "data", "epoch-chinchilla.csv")
FIT = [BIN, "fit", DATA, "--params-column", "Model Size", "--compute-column", "Training FLOP",
       "--loss-column", "loss", "--drop-highest-loss", "5", "--format", "json"]


def timed(cmd, repeats):
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        best = min(best, time.perf_counter() - t0)
    return best, json.loads(out)


def main():
    processes = sys.argv[sys.argv.index("--processes") + 1] if "--processes" in sys.argv else "1"
    fit_s, ours = timed(FIT + ["--holdout-fraction", "0"], 5)
    boot_s, boot = timed(FIT + ["--holdout-fraction", "0", "--bootstrap", "1000", "--seed", "1"], 3)
    ref = json.loads(subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "reference_fit.py"), DATA, "--processes", processes],
        check=True, capture_output=True, text=True).stdout)
    p = ours["parameters"]
    print(f"machine: {os.cpu_count()} cores; scipy processes: {processes}")
    print("| implementation | starts | wall time (s) | objective | E | alpha | beta | A | B |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| scipy L-BFGS-B, every start, analytic gradient | {ref['starts']} | {ref['seconds']:.2f} | "
          f"{ref['objective']:.6e} | {ref['E']:.4f} | {ref['alpha']:.5f} | {ref['beta']:.5f} | {ref['A']:.1f} | {ref['B']:.1f} |")
    print(f"| scaleplan fit (successive halving, 2 cores) | {ours['starts']['evaluated']} | {fit_s:.2f} | "
          f"{ours['objective']:.6e} | {p['E']:.4f} | {p['alpha']:.5f} | {p['beta']:.5f} | {p['A']:.1f} | {p['B']:.1f} |")
    print()
    print(f"speed ratio (scipy / scaleplan): {ref['seconds'] / fit_s:.0f}x")
    print(f"objective difference (scaleplan - scipy) / scipy: {(ours['objective'] - ref['objective']) / ref['objective']:.2e}")
    print(f"scaleplan fit + 1,000-sample bootstrap: {boot_s:.2f} s "
          f"({boot['intervals']['failed']} failed resamples)")


if __name__ == "__main__":
    main()
