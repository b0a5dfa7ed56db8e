"""Calibrates the shipped GPU profiles on the public serving measurements, with an honest split.

For each accelerator with measured rows (h100-sxm, a100-80gb, h200, l40s), runs

    scaleplan calibrate --hardware <profile without its efficiency block> \
        serving-nim.csv serving-tensorrt-llm.csv serving-gpt-fast.csv --check serving-vllm-ci.csv

(hardware-profiles/measurements, provenance in SOURCES.md there). The fit sets are vendor and
reference-decoder measurements; the vLLM CI latency runs are held out and only predicted. Then,
for each accelerator with measured board power (h100-sxm, b200), it fits the power factors on
top of the time factors just written:

    scaleplan calibrate --hardware <profile with its time factors> --fit power power-inferencex.csv

The ML.ENERGY Leaderboard v3 files are not read here: they are the independent check of
bench/serving_vs_mlenergy.py (latency, energy and power by batch).

Prints, per accelerator, data set and quantity, the median and max relative error before
(default factors) and after the fit, as a Markdown table for BENCHMARKS.md. With --write it
replaces the `efficiency:` block of hardware-profiles/<name>.yaml by the fitted factors,
rounded to 4 significant figures, each sourced to this fit; factors the fit did not set keep
the defaults (`EfficiencyFactors.defaults`). Tests/HardwareTests/ShippedCalibrationTests.swift
checks that the shipped blocks are what this fit gives.

Usage: python3 bench/calibrate_profiles.py --bin .build/release/scaleplan [--write]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEASUREMENTS = "hardware-profiles/measurements"
FIT = ["serving-nim.csv", "serving-tensorrt-llm.csv", "serving-gpt-fast.csv"]
CHECK = ["serving-vllm-ci.csv"]
HARDWARE = ["h100-sxm", "a100-80gb", "h200", "l40s"]
POWER_FIT = ["power-inferencex.csv"]
POWER_HARDWARE = ["h100-sxm", "b200"]
POWER_KEYS = ("compute_power_factor", "bandwidth_power_factor")


def without_efficiency(text: str) -> str:
    """The profile text with its `efficiency:` block (and the comment above it) removed."""
    out, skipping = [], False
    for line in text.splitlines():
        if line.startswith("# Efficiency factors calibrated"):
            skipping = True
            continue
        if line.startswith("efficiency:"):
            skipping = True
            continue
        if skipping and (line.startswith("  ") or line.startswith("#")):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out).rstrip("\n") + "\n"


def significant(x: float, digits: int = 4) -> str:
    if x == 0:
        return "0"
    return f"{float(f'{x:.{digits}g}'):g}"


def calibrate(binary: str, name: str, time_block: str | None = None) -> dict:
    """The time fit of `name` (no `time_block`), or its power fit on the profile with `time_block`."""
    profile = os.path.join(ROOT, "hardware-profiles", f"{name}.yaml")
    with open(profile) as f:
        base = without_efficiency(f.read())
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"{name}.yaml")
        with open(path, "w") as f:
            f.write(base if time_block is None or "\n  " not in time_block else base + time_block)
        if time_block is None:
            cmd = [binary, "calibrate", "--hardware", path, *[f"{MEASUREMENTS}/{x}" for x in FIT],
                   "--check", *[f"{MEASUREMENTS}/{x}" for x in CHECK], "--format", "json", "--quiet"]
        else:
            cmd = [binary, "calibrate", "--hardware", path, "--fit", "power", *[f"{MEASUREMENTS}/{x}" for x in POWER_FIT],
                   "--format", "json", "--quiet"]
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"calibrate {name} failed: {r.stderr.strip()}")
    return json.loads(r.stdout)


def fit_rows(result: dict) -> dict:
    rows = {}
    for e in result["by_data_set"]:
        if e["role"] == "fit":
            rows[e["quantity"]] = rows.get(e["quantity"], 0) + e["rows"]
    return rows


def block(result: dict | None, power: dict | None = None) -> str:
    """The `efficiency:` block of the time fit `result` and the power fit `power`."""
    lines = ["# Efficiency factors calibrated by bench/calibrate_profiles.py (BENCHMARKS.md, \"Calibrated profiles\")."]
    lines.append("efficiency:")
    lines += time_lines(result) if result else []
    if power:
        rows = fit_rows(power).get("power_w", 0)
        for f in power["factors"]:
            if f["fitted"] and f["factor"] in POWER_KEYS:
                note = ", at the bound of its range" if f["at_bound"] else ""
                source = (f"calibrate: bounded least squares on {rows} measured board-power rows of {', '.join(POWER_FIT)} "
                          f"(hardware-profiles/measurements, SOURCES.md), utilisations at the measured times; "
                          f"independent check: bench/serving_vs_mlenergy.py{note}")
                lines.append(f"  {f['factor']}: {{value: {significant(f['after'])}, source: \"{source}\"}}")
    return "\n".join(lines) + "\n"


def time_lines(result: dict) -> list:
    rows = fit_rows(result)
    lines = []
    for f in result["factors"]:
        if not f["fitted"] or f["factor"] in POWER_KEYS:
            continue
        phase = "tpot_s" if f["factor"].startswith("decode") else "ttft_s"
        note = ", at the bound of its range" if f["at_bound"] else ""
        source = (f"calibrate: bounded least squares on {rows.get(phase, 0)} measured rows of {', '.join(FIT)} "
                  f"(hardware-profiles/measurements, SOURCES.md); held out: {', '.join(CHECK)}{note}")
        lines.append(f"  {f['factor']}: {{value: {significant(f['after'])}, source: \"{source}\"}}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=".build/release/scaleplan")
    parser.add_argument("--write", action="store_true", help="write the fitted blocks into the shipped profiles")
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    print("| hardware | data set | role | quantity | rows | median before | median after | max before | max after |")
    print("|---|---|---|---|---:|---:|---:|---:|---:|")
    fitted = {}
    for name in HARDWARE:
        result = calibrate(binary, name)
        for e in result["by_data_set"]:
            data_set = os.path.basename(e["data_set"])
            print(f"| {name} | {data_set} | {e['role']} | {e['quantity'].replace('_s', '')} | {e['rows']} | "
                  f"{100 * e['median_error_before']:.1f}% | {100 * e['median_error_after']:.1f}% | "
                  f"{100 * e['max_error_before']:.1f}% | {100 * e['max_error_after']:.1f}% |")
        fitted[name] = result
    powered = {}
    for name in POWER_HARDWARE:
        result = calibrate(binary, name, time_block=block(fitted.get(name)))
        for e in result["by_data_set"]:
            if e["quantity"] != "power_w":
                continue
            print(f"| {name} | {os.path.basename(e['data_set'])} | {e['role']} | power | {e['rows']} | "
                  f"{100 * e['median_error_before']:.1f}% | {100 * e['median_error_after']:.1f}% | "
                  f"{100 * e['max_error_before']:.1f}% | {100 * e['max_error_after']:.1f}% |")
        powered[name] = result
    print()
    print("| hardware | factor | default | fitted | at bound |")
    print("|---|---|---:|---:|---|")
    for name, result in list(fitted.items()) + list(powered.items()):
        for f in result["factors"]:
            if f["fitted"]:
                print(f"| {name} | {f['factor']} | {significant(f['before'])} | {significant(f['after'])} | {'yes' if f['at_bound'] else 'no'} |")
    if args.write:
        for name in dict.fromkeys(HARDWARE + POWER_HARDWARE):
            path = os.path.join(ROOT, "hardware-profiles", f"{name}.yaml")
            with open(path) as f:
                base = without_efficiency(f.read())
            with open(path, "w") as f:
                f.write(base + block(fitted.get(name), powered.get(name)))


if __name__ == "__main__":
    main()
