"""Calibrates the shipped GPU profiles on the public serving measurements, with an honest split.

For each accelerator with measured rows (h100-sxm, a100-80gb, h200, l40s), runs

    scaleplan calibrate --hardware <profile without its efficiency block> \
        serving-nim.csv serving-tensorrt-llm.csv serving-gpt-fast.csv --check serving-vllm-ci.csv

(hardware-profiles/measurements, provenance in SOURCES.md there). The fit sets are vendor and
reference-decoder measurements; the vLLM CI latency runs are held out and only predicted. The
ML.ENERGY Leaderboard v3 files are not read here: they are the independent check of
bench/serving_vs_mlenergy.py.

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


def calibrate(binary: str, name: str) -> dict:
    profile = os.path.join(ROOT, "hardware-profiles", f"{name}.yaml")
    with open(profile) as f:
        base = without_efficiency(f.read())
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"{name}.yaml")
        with open(path, "w") as f:
            f.write(base)
        cmd = [binary, "calibrate", "--hardware", path, *[f"{MEASUREMENTS}/{x}" for x in FIT],
               "--check", *[f"{MEASUREMENTS}/{x}" for x in CHECK], "--format", "json", "--quiet"]
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"calibrate {name} failed: {r.stderr.strip()}")
    return json.loads(r.stdout)


def block(result: dict) -> str:
    rows = {}
    for e in result["by_data_set"]:
        if e["role"] == "fit":
            rows[e["quantity"]] = rows.get(e["quantity"], 0) + e["rows"]
    lines = ["# Efficiency factors calibrated by bench/calibrate_profiles.py (BENCHMARKS.md, \"Calibrated profiles\")."]
    lines.append("efficiency:")
    for f in result["factors"]:
        if not f["fitted"]:
            continue
        phase = "tpot_s" if f["factor"].startswith("decode") else "ttft_s"
        note = ", at the bound of its range" if f["at_bound"] else ""
        source = (f"calibrate: bounded least squares on {rows.get(phase, 0)} measured rows of {', '.join(FIT)} "
                  f"(hardware-profiles/measurements, SOURCES.md); held out: {', '.join(CHECK)}{note}")
        lines.append(f"  {f['factor']}: {{value: {significant(f['after'])}, source: \"{source}\"}}")
    return "\n".join(lines) + "\n"


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
    print()
    print("| hardware | factor | default | fitted | at bound |")
    print("|---|---|---:|---:|---|")
    for name, result in fitted.items():
        for f in result["factors"]:
            if f["fitted"]:
                print(f"| {name} | {f['factor']} | {significant(f['before'])} | {significant(f['after'])} | {'yes' if f['at_bound'] else 'no'} |")
    if args.write:
        for name, result in fitted.items():
            path = os.path.join(ROOT, "hardware-profiles", f"{name}.yaml")
            with open(path) as f:
                base = without_efficiency(f.read())
            with open(path, "w") as f:
                f.write(base + block(result))


if __name__ == "__main__":
    main()
