"""scaleplan against a dense brute-force grid (bench/brute_force_planner.py), side by side.

For each scenario:
  1. `scaleplan evaluate SCENARIO --format json` gives the optimum of the primary objective and
     the frontier.
  2. The grid searches the same scenario: every (N, tokens-per-param) point of a log grid, the
     cheapest integer fleet per N and month by enumeration, the best feasible point, and for each
     of scaleplan's frontier x values the grid's least y with x within it.
  3. Both are timed (hyperfine when installed, else repeated wall-clock timing in this script).
  4. Cross-checks of the two models: the Python model re-evaluates every plan scaleplan reports at
     the same (N, D); scaleplan evaluates the grid's optimum (a copy of the scenario whose search
     box is pinned to that point); every metric is compared.
  5. Checks: scaleplan's optimum (and each frontier point) is no worse than the grid's, the grid
     being a restriction of the same problem to grid points; and the speed ratio is at least 50.
Then the 40-point frontier of bench/scenarios/frontier-8-options.yaml is timed on its own.

Usage (from bench/planner_vs_grid.sh): python bench/planner_vs_grid.py --bin PATH [options]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import brute_force_planner as bf  # noqa: E402

KEYS = {"loss": "loss", "cost": "total_cost_usd", "compute": "total_flops", "energy": "energy_kwh",
        "latency": "tpot_ms", "train_time": "train_days"}
# scaleplan's report key -> the Python model's key, for the cross-check.
COMPARED = [("loss", "loss"), ("train_cost_usd", "train_cost"), ("inference_cost_usd", "inference_cost"),
            ("total_cost_usd", "cost"), ("train_energy_kwh", "train_energy_kwh"),
            ("inference_energy_kwh", "inference_energy_kwh"), ("train_days", "train_days"),
            ("train_flops", "train_flops"), ("inference_flops", "inference_flops"), ("tpot_ms", "tpot_ms"),
            ("ttft_ms", "ttft_ms")]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def timed(cmd, runs, warmup, label, workdir):
    """Mean and standard deviation of the wall time of `cmd` (s), and the user CPU time."""
    if shutil.which("hyperfine"):
        out = os.path.join(workdir, f"hyperfine-{label}.json")
        run(["hyperfine", "-N", "--style", "none", "--warmup", str(warmup), "--runs", str(runs),
             "--export-json", out, "--", " ".join(cmd)])
        with open(out) as f:
            r = json.load(f)["results"][0]
        return {"mean": r["mean"], "stddev": r["stddev"] or 0.0, "user": r["user"], "runs": runs, "tool": "hyperfine"}
    times, users = [], []
    for k in range(warmup + runs):
        t0, u0 = time.perf_counter(), os.times()
        run(cmd)
        t1, u1 = time.perf_counter(), os.times()
        if k >= warmup:
            times.append(t1 - t0)
            users.append(u1.children_user - u0.children_user)
    return {"mean": statistics.mean(times), "stddev": statistics.stdev(times) if len(times) > 1 else 0.0,
            "user": statistics.mean(users), "runs": runs, "tool": "perf_counter"}


def rel(a, b):
    if a is None or b is None:
        return float("nan")
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b))


def fleet_text(fleet, swift):
    if swift:
        return " + ".join(f"{f['hardware']}/{f['precision']} x{f.get('replicas')}" for f in fleet)
    return " + ".join(f"{f['option']} x{max(f['replicas_by_month'] or [0])}" for f in fleet)


def cross_check(sc, swift_point, label):
    """Re-evaluates one of scaleplan's plans with the Python model; returns the largest relative
    difference per metric and a note when the fleets differ."""
    served = swift_point.get("served_precision")
    py = bf.point(sc, swift_point["params"], swift_point["tokens"], bf.BITS[served] if served in bf.BITS else None)
    diffs = {k: rel(swift_point.get(k), py.get(p)) for k, p in COMPARED}
    sw_fleet = {(f["hardware"] + "/" + f["precision"]): f.get("replicas_by_month") for f in swift_point["fleet"]}
    py_fleet = {f["option"]: f["replicas_by_month"] for f in py["fleet"]}
    return {"label": label, "diffs": diffs, "same_fleet": sw_fleet == py_fleet,
            "swift_fleet": fleet_text(swift_point["fleet"], True), "python_fleet": fleet_text(py["fleet"], False)}


def pinned_swift_point(binary, scenario, n, d, workdir):
    """scaleplan's own evaluation of the plan (n, d): the scenario with its search box pinned to
    that point (relative width 1e-9), 2 frontier points."""
    with open(scenario) as f:
        text = f.read()
    m = d / n
    # Replace the one-line top-level search and frontier mappings (the scenarios here write them so).
    lines = [line for line in text.splitlines() if not line.startswith(("search:", "frontier:"))]
    lines.append(f"search: {{ params: [{n * (1 - 1e-9)!r}, {n * (1 + 1e-9)!r}], "
                 f"tokens_per_param: [{m * (1 - 1e-9)!r}, {m * (1 + 1e-9)!r}] }}")
    lines.append("frontier: { points: 2 }")
    original, pinned = yaml.safe_load(text), yaml.safe_load("\n".join(lines))
    assert {k: v for k, v in original.items() if k not in ("search", "frontier")} == \
        {k: v for k, v in pinned.items() if k not in ("search", "frontier")}, "could not pin the scenario"
    path = os.path.join(workdir, "pinned.yaml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    out = subprocess.run([binary, "evaluate", path, "--profiles", os.path.join(ROOT, "hardware-profiles"), "--format", "json"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return None
    return json.loads(out.stdout)["recommended"]


def bench_scenario(a, scenario, workdir):
    name = os.path.splitext(os.path.basename(scenario))[0]
    sc = bf.load_scenario(scenario, os.path.join(ROOT, "hardware-profiles"))
    report_path = os.path.join(workdir, f"{name}-scaleplan.json")
    sp_cmd = [a.bin, "evaluate", scenario, "--profiles", os.path.join(ROOT, "hardware-profiles"), "--format", "json"]
    report = json.loads(run(sp_cmd).stdout)
    with open(report_path, "w") as f:
        json.dump(report, f)
    grid_out = os.path.join(workdir, f"{name}-grid.json")
    grid_cmd = [sys.executable, os.path.join(HERE, "brute_force_planner.py"), scenario, "--n-points", str(a.n_points),
                "--ratio-points", str(a.ratio_points), "--compare", report_path, "--json", grid_out]
    t_sp = timed(sp_cmd, a.runs, 2, f"{name}-scaleplan", workdir)
    t_grid = timed(grid_cmd, a.grid_runs, 0, f"{name}-grid", workdir)
    with open(grid_out) as f:
        grid = json.load(f)

    primary = sc.objectives[0]
    key = KEYS[primary]
    sp_opt = report["recommended"]
    gr_opt = grid["optimum"]
    out = {"scenario": name, "path": scenario, "options": len(sc.options), "months": len(sc.peaks) if sc.peaks is not None else 0,
           "primary": primary, "grid": grid["grid"], "points": grid["points"], "t_scaleplan": t_sp, "t_grid": t_grid,
           "recommendation": report["recommendation"], "frontier_points": len(report.get("frontier", []))}
    out["scaleplan_opt"] = {"params": sp_opt["params"], "tokens": sp_opt["tokens"], "value": sp_opt[key],
                            "fleet": fleet_text(sp_opt["fleet"], True)}
    out["grid_opt"] = gr_opt and {"params": gr_opt["params"], "tokens": gr_opt["tokens"], "value": gr_opt[primary],
                                  "fleet": fleet_text(gr_opt["fleet"], False)}
    out["gap"] = (sp_opt[key] - gr_opt[primary]) / gr_opt[primary] if gr_opt else None
    out["ratio"] = t_grid["mean"] / t_sp["mean"]

    fx, fy = grid["frontier_axes"]["x"], grid["frontier_axes"]["y"]
    rows = []
    for sp, g in zip(report.get("frontier", []), grid["frontier"]):
        gp = g["point"]
        rows.append({"x": sp[KEYS[fx]], "sp_params": sp["params"], "sp_y": sp[KEYS[fy]],
                     "grid_params": gp and gp["params"], "grid_y": gp and gp[fy],
                     "gap": (sp[KEYS[fy]] - gp[fy]) / gp[fy] if gp else None})
    out["frontier"] = rows
    out["frontier_axes"] = (fx, fy)

    checks = [cross_check(sc, sp_opt, "scaleplan optimum")]
    checks += [cross_check(sc, p, f"scaleplan frontier {i + 1}") for i, p in enumerate(report.get("frontier", []))]
    if gr_opt:
        pinned = pinned_swift_point(a.bin, scenario, gr_opt["params"], gr_opt["tokens"], workdir)
        if pinned is not None:
            checks.append(cross_check(sc, pinned, "grid optimum (scaleplan, pinned)"))
            out["grid_opt_by_scaleplan"] = pinned[key]
    out["checks"] = checks
    bad = bf.check_fleets(sc, a.fleet_samples) if a.fleet_samples else 0
    out["fleet_check"] = f"{a.fleet_samples} random model sizes x {out['months']} months, {bad} disagreements"
    out["fleet_check_bad"] = bad
    return out


def fmt_time(t):
    return f"{t['mean']:.3f} ± {t['stddev']:.3f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, help="the scaleplan executable")
    ap.add_argument("--scenarios", nargs="+", default=[os.path.join(ROOT, "scenarios/chat-assistant.yaml"),
                                                       os.path.join(ROOT, "bench/scenarios/frontier-8-options.yaml")])
    ap.add_argument("--n-points", type=int, default=4000, help="model sizes on the grid (log spaced)")
    ap.add_argument("--ratio-points", type=int, default=1000, help="tokens-per-parameter values on the grid (log spaced)")
    ap.add_argument("--runs", type=int, default=10, help="timed runs of scaleplan")
    ap.add_argument("--grid-runs", type=int, default=2, help="timed runs of the grid")
    ap.add_argument("--fleet-samples", type=int, default=20,
                    help="random model sizes at which the fleet enumeration is checked against scipy's MILP")
    ap.add_argument("--json", help="also write every result here")
    a = ap.parse_args()
    a.bin = os.path.abspath(a.bin)
    failures = []
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        for s in a.scenarios:
            results.append(bench_scenario(a, os.path.abspath(s), workdir))
        f8 = os.path.join(ROOT, "bench/scenarios/frontier-8-options.yaml")
        profiles = os.path.join(ROOT, "hardware-profiles")
        t_front = timed([a.bin, "frontier", f8, "--profiles", profiles, "--points", "40", "--format", "json"],
                        a.runs, 2, "frontier40", workdir)
        t_eval = timed([a.bin, "evaluate", f8, "--profiles", profiles, "--points", "40", "--format", "json"],
                       a.runs, 2, "evaluate40", workdir)
        front = json.loads(run([a.bin, "frontier", f8, "--profiles", profiles, "--points", "40", "--format", "json"]).stdout)
        # Output contract v1 wraps a list answer: {"schema_version", "frontier": [...], "warnings"}.
        front = front["frontier"] if isinstance(front, dict) else front

    print(f"date: {time.strftime('%Y-%m-%d', time.gmtime())}; load average before the run: {os.getloadavg()[0]:.2f}; "
          f"timing: {results[0]['t_scaleplan']['tool']}")
    print()
    print("| scenario | options x months | grid (N x tokens/param) | grid time (s) | scaleplan time (s) | ratio | "
          "grid optimum | scaleplan optimum | objective gap |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        g = r["grid_opt"]
        print(f"| {r['scenario']} | {r['options']} x {r['months']} | {r['grid'][0]} x {r['grid'][1]} = {r['points']:,} | "
              f"{fmt_time(r['t_grid'])} | {fmt_time(r['t_scaleplan'])} | {r['ratio']:.1f}x | "
              f"{g['value']:.6g} (N {g['params']:.4g}, D {g['tokens']:.4g}) | "
              f"{r['scaleplan_opt']['value']:.6g} (N {r['scaleplan_opt']['params']:.4g}, D {r['scaleplan_opt']['tokens']:.4g}) | "
              f"{100 * r['gap']:+.2f}% |")
    print()
    print("objective gap = (scaleplan - grid) / grid of the primary objective; negative: scaleplan better.")
    print("scaleplan time: `scaleplan evaluate` (optimum and its frontier); grid time: the same optimum and frontier.")
    for r in results:
        sc = bf.load_scenario(r["path"], os.path.join(ROOT, "hardware-profiles"))
        print(f"{r['scenario']}: grid steps {math.log(sc.params[1] / sc.params[0]) / (r['grid'][0] - 1):.2e} in ln N, "
              f"{math.log(sc.ratio[1] / sc.ratio[0]) / (r['grid'][1] - 1):.2e} in ln(D/N); "
              f"grid optimum evaluated by scaleplan: {r.get('grid_opt_by_scaleplan', float('nan')):.10g}")
    for r in results:
        fx, fy = r["frontier_axes"]
        print()
        print(f"## {r['scenario']}: frontier, {fy} for each bound on {fx} (scaleplan's x values)")
        print(f"| {fx} bound | scaleplan N | scaleplan {fy} | grid N | grid {fy} | gap |")
        print("|---:|---:|---:|---:|---:|---:|")
        worst = 0.0
        for row in r["frontier"]:
            gap = row["gap"]
            print(f"| {row['x']:.6g} | {row['sp_params']:.4g} | {row['sp_y']:.6g} | "
                  f"{row['grid_params'] and format(row['grid_params'], '.4g')} | {row['grid_y'] and format(row['grid_y'], '.6g')} | "
                  f"{'' if gap is None else format(100 * gap, '+.2f') + '%'} |")
            if gap is not None:
                worst = max(worst, gap)
        print(f"worst frontier gap: {100 * worst:+.2f}%")
        print()
        print(f"## {r['scenario']}: the two models on the same plans (largest relative difference per metric)")
        same = [c for c in r["checks"] if c["same_fleet"]]
        tied = [c for c in r["checks"] if not c["same_fleet"]]
        worst_by = {}
        for group, title in ((same, "same fleet"), (tied, "different fleet of equal cost")):
            if not group:
                continue
            w = {k: max((c["diffs"][k] for c in group if c["diffs"][k] == c["diffs"][k]), default=0.0) for k, _ in COMPARED}
            for k, v in w.items():
                worst_by[k] = max(worst_by.get(k, 0.0), v)
            print(f"- {len(group)} plans, {title}: " + ", ".join(f"{k} {v:.1e}" for k, v in w.items()))
        if tied:
            c = tied[0]
            print(f"  e.g. {c['label']}: scaleplan [{c['swift_fleet']}], python [{c['python_fleet']}] (peak replicas)")
        print(f"- fleet enumeration against scipy.optimize.milp (HiGHS): {r['fleet_check']}")
        # Checks.
        if r["gap"] > 1e-6:
            failures.append(f"{r['scenario']}: the grid's optimum beats scaleplan's by {100 * r['gap']:.2f}%")
        if worst > 1e-6:
            failures.append(f"{r['scenario']}: a grid point beats a scaleplan frontier point by {100 * worst:.2f}%")
        if r["fleet_check_bad"]:
            failures.append(f"{r['scenario']}: the fleet enumeration disagrees with scipy's MILP ({r['fleet_check']})")
        if r["ratio"] < 50:
            failures.append(f"{r['scenario']}: scaleplan is {r['ratio']:.1f}x faster than the grid (goal 50x)")
        for k in ("loss", "train_cost_usd", "total_cost_usd", "train_flops", "inference_flops"):
            if worst_by.get(k, 0) > 1e-9:
                failures.append(f"{r['scenario']}: the models disagree on {k} by {worst_by[k]:.1e}")

    print()
    print(f"## 40-point frontier, bench/scenarios/frontier-8-options.yaml (8 options)")
    print(f"scaleplan frontier --points 40: {fmt_time(t_front)} s wall, {t_front['user']:.3f} s user, "
          f"{len(front)} non-dominated points")
    print(f"scaleplan evaluate --points 40: {fmt_time(t_eval)} s wall, {t_eval['user']:.3f} s user")
    if t_front["mean"] >= 1:
        failures.append(f"the 40-point frontier takes {t_front['mean']:.2f} s (goal under 1 s)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"scenarios": results, "frontier40": t_front, "evaluate40": t_eval}, f, indent=1)
    print()
    if failures:
        print("FAILED CHECKS:")
        for f in failures:
            print(f"- {f}")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
