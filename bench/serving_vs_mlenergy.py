"""scaleplan's serving model against measured vLLM serving: the ML.ENERGY Leaderboard v3
configurations of its LM Arena chat task (dense models, or with --moe its mixture-of-experts
models), an independent check.

These rows are never used to fit or tune anything in scaleplan (AGENTS.md, issue 15): this
script only reports how far the shipped profiles (calibrated on other data sets where they are:
bench/calibrate_profiles.py) are from them, for the static
batch `estimate` reports and for the continuous-batching steady state the planner plans with.

Input: bench/data/mlenergy-v3-lm-arena-chat-dense.csv (see bench/data/SOURCES.md), one row per
measured configuration: model, GPU, weight precision, tensor-parallel degree, vLLM
max_num_seqs, the measured mean running batch, mean output length, median and p90 inter-token
latency, output throughput, total board power of the replica's GPUs and energy per output
token.

For each row, `scaleplan estimate --model M --hardware H --devices TP --batch B
--prompt-tokens P --output-tokens O --format json` with B the measured mean running batch
(rounded), O the measured mean output length, and P an assumed prompt length (the files give
none; LM Arena first turns are short: --prompt-tokens, default 200, and the script reports
100 and 500 beside it). Compared:
  - TPOT: static `tpot_ms` and steady-state `continuous_batching.tpot_ms` against the median
    inter-token latency; steady-state `tpot_p90_ms` against the p90 ITL;
  - energy per output token: static `joules_per_token` and steady-state
    `continuous_batching.joules_per_token` against `energy_per_token_joules`;
  - board power per GPU: static `power_w` and the steady state's joules per token x tokens/s /
    GPUs against `avg_power_watts` / GPUs.
Errors are (model - measured) / measured; tables give the median absolute error and the median
signed error (positive: the model is slower, or uses more energy) per GPU type.

Mixture-of-experts rows (--moe, bench/data/mlenergy-v3-lm-arena-chat-moe.csv) run tensor
parallelism 1 with expert parallelism over all the GPUs, so attention is data-parallel over
them: `--devices N --expert-parallel EP --attention-data-parallel N / TP`.

Usage: python3 bench/serving_vs_mlenergy.py --bin .build/release/scaleplan [--prompt-tokens 200] [--moe]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench", "data", "mlenergy-v3-lm-arena-chat-dense.csv")
MOE_DATA = os.path.join(ROOT, "bench", "data", "mlenergy-v3-lm-arena-chat-moe.csv")

MODELS = {
    "meta-llama/Llama-3.1-8B-Instruct": ("llama-3.1-8b", "bf16"),
    "meta-llama/Llama-3.1-70B-Instruct": ("llama-3.1-70b", "bf16"),
    "meta-llama/Llama-3.3-70B-Instruct": ("llama-3.3-70b", "bf16"),
    "meta-llama/Llama-3.1-405B-Instruct": ("llama-3.1-405b", "bf16"),
    "meta-llama/Llama-3.1-405B-Instruct-FP8": ("llama-3.1-405b", "fp8"),
    "Qwen/Qwen3-8B": ("qwen3-8b", "bf16"),
    "Qwen/Qwen3-14B": ("qwen3-14b", "bf16"),
    "Qwen/Qwen3-32B": ("qwen3-32b", "bf16"),
    "google/gemma-3-12b-it": ("gemma-3-12b", "bf16"),
    "google/gemma-3-27b-it": ("gemma-3-27b", "bf16"),
    "Qwen/Qwen3-30B-A3B-Instruct-2507": ("qwen3-30b-a3b", "bf16"),
    "Qwen/Qwen3-235B-A22B-Instruct-2507": ("qwen3-235b-a22b", "bf16"),
    "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8": ("qwen3-235b-a22b", "fp8"),
    "meta-llama/Llama-4-Scout-17B-16E-Instruct": ("llama-4-scout", "bf16"),
    "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8": ("llama-4-maverick", "fp8"),
    "deepseek-ai/DeepSeek-V3.1": ("deepseek-v3.1", "fp8"),
}
GPUS = {"H100": "h100-sxm", "B200": "b200"}


def estimate(binary: str, row: dict, prompt: int) -> dict | None:
    model, precision = MODELS[row["model_id"]]
    args = [binary, "estimate", "--model", model, "--hardware", GPUS[row["gpu_model"]], "--precision", precision,
            "--devices", row["tensor_parallel"], "--batch", str(max(1, round(float(row["avg_batch_size"])))),
            "--prompt-tokens", str(prompt), "--output-tokens", str(max(2, round(float(row["avg_output_len"])))),
            "--format", "json"]
    if int(row.get("expert_parallel") or 1) > 1:
        gpus, tp = int(row["num_gpus"]), int(row["tensor_parallel"])
        args[args.index("--devices") + 1] = str(gpus)
        args += ["--expert-parallel", row["expert_parallel"], "--attention-data-parallel", str(gpus // tp)]
    r = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        print(f"skipped {row['model_id']} on {row['gpu_model']}: {r.stderr.strip()}", file=sys.stderr)
        return None
    return json.loads(r.stdout)


def compare(binary: str, rows: list, prompt: int) -> list:
    out = []
    for row in rows:
        e = estimate(binary, row, prompt)
        if e is None:
            continue
        s = e["continuous_batching"]
        gpus = int(row["num_gpus"])
        measured = dict(itl=float(row["median_itl_ms"]), p90=float(row["p90_itl_ms"]),
                        energy=float(row["energy_per_token_joules"]), power=float(row["avg_power_watts"]) / gpus)
        steady_power = s["joules_per_token"] * s["tokens_per_second"] / gpus
        out.append(dict(
            gpu=row["gpu_model"], model=row["model_id"].split("/")[-1] + (f" ({row['num_gpus']} GPUs)"), batch=float(row["avg_batch_size"]),
            fits=e["fits"], stable=s["stable"],
            tpot_static=e["tpot_ms"] / measured["itl"] - 1, tpot_steady=s["tpot_ms"] / measured["itl"] - 1,
            p90_steady=s["tpot_p90_ms"] / measured["p90"] - 1,
            energy_static=e["joules_per_token"] / measured["energy"] - 1, energy_steady=s["joules_per_token"] / measured["energy"] - 1,
            power_static=e["power_w"] / measured["power"] - 1, power_steady=steady_power / measured["power"] - 1,
            measured_power=measured["power"], steady_power_w=steady_power))
    return out


def summary(results: list, key: str) -> str:
    values = [r[key] for r in results]
    if not values:
        return "-"
    return f"{100 * statistics.median(abs(v) for v in values):.0f}% ({100 * statistics.median(values):+.0f}%)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "scaleplan"))
    ap.add_argument("--prompt-tokens", type=int, default=200)
    ap.add_argument("--moe", action="store_true", help="the mixture-of-experts configurations instead of the dense ones")
    a = ap.parse_args()
    rows = [r for r in csv.DictReader(open(MOE_DATA if a.moe else DATA)) if r["model_id"] in MODELS]
    print(f"{len(rows)} measured configurations (H100 {sum(r['gpu_model'] == 'H100' for r in rows)}, "
          f"B200 {sum(r['gpu_model'] == 'B200' for r in rows)}); median |error| (median signed error)\n")
    print("| prompt tokens | GPU | rows | TPOT static | TPOT steady | p90 TPOT steady | J/token static | J/token steady | "
          "power static | power steady |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for prompt in sorted({a.prompt_tokens, 100, 500}):
        results = compare(a.bin, rows, prompt)
        for gpu in ("H100", "B200"):
            g = [r for r in results if r["gpu"] == gpu]
            print(f"| {prompt} | {gpu} | {len(g)} | " + " | ".join(summary(g, k) for k in (
                "tpot_static", "tpot_steady", "p90_steady", "energy_static", "energy_steady", "power_static", "power_steady")) + " |")
    results = compare(a.bin, rows, a.prompt_tokens)
    print(f"\nPower per GPU by measured running batch (prompt {a.prompt_tokens}): measured against the steady state, median W\n")
    print("| GPU | running batch | rows | measured W | steady-state W |")
    print("|---|---|---:|---:|---:|")
    for gpu in ("H100", "B200"):
        for lo, hi in ((0, 24), (24, 96), (96, 320), (320, 10_000)):
            g = [r for r in results if r["gpu"] == gpu and lo <= r["batch"] < hi]
            if g:
                print(f"| {gpu} | {lo}-{hi if hi < 10_000 else 'up'} | {len(g)} | {statistics.median(r['measured_power'] for r in g):.0f} | "
                      f"{statistics.median(r['steady_power_w'] for r in g):.0f} |")
    if a.moe:
        print(f"\nBy model (prompt {a.prompt_tokens}): median |error| (median signed error)\n")
        print("| model | GPU | rows | TPOT steady | J/token steady | power steady | fits (model) |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for model in sorted({r["model"] for r in results}):
            for gpu in ("H100", "B200"):
                g = [r for r in results if r["model"] == model and r["gpu"] == gpu]
                if g:
                    print(f"| {model} | {gpu} | {len(g)} | {summary(g, 'tpot_steady')} | {summary(g, 'energy_steady')} | "
                          f"{summary(g, 'power_steady')} | {sum(r['fits'] for r in g)}/{len(g)} |")
    unstable = [r for r in results if not r["stable"] or not r["fits"]]
    print(f"\n{len(unstable)} of {len(results)} rows run a batch the model calls unstable or out of memory "
          "(kept in the tables: the measurement ran it).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
