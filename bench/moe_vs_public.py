"""scaleplan's mixture-of-experts serving model against public measurements other than ML.ENERGY:
vLLM throughput runs (gpustack performance lab), TensorRT-LLM's DeepSeek-R1 single-user
latency on 8 B200s and MLPerf Inference v4.1's Mixtral 8x7B server run (bench/data/
moe-public-measurements.csv, sources per row; bench/data/SOURCES.md).

Nothing is fitted on these rows; the script reports how far the shipped profiles are.

Each row gives a model, hardware, precision and layout, and the measured output throughput and
mean TPOT. The running batch is the measured one by Little's law, throughput x TPOT / 1000
(`little`), or 1 for a single user (`one`). Prompt and output lengths are the benchmark's
(ShareGPT rows: 256 and 256 assumed, the files give the dataset only; MLPerf Mixtral: 1,024 in
and 145 out, the mean output the summary logs). scaleplan is run as `estimate --batch B` and its
static and steady-state TPOT at that batch are compared with the measured TPOT.

Usage: python3 bench/moe_vs_public.py [--bin .build/release/scaleplan]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench", "data", "moe-public-measurements.csv")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "scaleplan"))
    a = ap.parse_args()
    print("| row | model | hardware | layout | batch | measured TPOT ms | static TPOT ms | steady TPOT ms | error (steady) | fits |")
    print("|---|---|---|---|---:|---:|---:|---:|---:|---|")
    for row in csv.DictReader(open(DATA)):
        tps, tpot = float(row["measured_tokens_per_second"]), float(row["measured_tpot_ms"])
        batch = 1 if row["batch_rule"] == "one" else max(1, round(tps * tpot / 1000))
        args = [a.bin, "estimate", "--model", row["model"], "--hardware", row["hardware"], "--precision", row["precision"],
                "--devices", row["devices"], "--expert-parallel", row["expert_parallel"],
                "--attention-data-parallel", row["attention_data_parallel"], "--batch", str(batch),
                "--prompt-tokens", row["prompt_tokens"], "--output-tokens", row["output_tokens"], "--format", "json"]
        if row["bf16_layers"]:
            args += ["--bf16-layers", row["bf16_layers"]]
        r = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
        if r.returncode != 0:
            print(f"| {row['id']} | skipped: {r.stderr.strip()} |")
            continue
        e = json.loads(r.stdout)
        steady = e["continuous_batching"]["tpot_ms"]
        layout = f"{row['devices']}x" + (f" EP{row['expert_parallel']}" if row["expert_parallel"] != "1" else " TP") + \
            (f"+DP{row['attention_data_parallel']}" if row["attention_data_parallel"] != "1" else "")
        print(f"| {row['id']} | {row['model']} | {row['hardware']}/{row['precision']} | {layout} | {batch} | {tpot:.1f} | "
              f"{e['tpot_ms']:.1f} | {steady:.1f} | {100 * (steady / tpot - 1):+.0f}% | {'yes' if e['fits'] else 'no'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
