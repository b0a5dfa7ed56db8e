"""`scaleplan estimate` before and after calibration, llm-analysis and GenZ, on the same measured rows.

Rows (dense models only):
- the calibration data sets of hardware-profiles/measurements (SOURCES.md there): serving-nim.csv,
  serving-tensorrt-llm.csv and serving-gpt-fast.csv (fitted), serving-vllm-ci.csv (held out);
  measured TTFT and TPOT of a fixed batch (or a closed-loop concurrency, taken as the batch);
- the ML.ENERGY Leaderboard v3 dense runs (bench/data/mlenergy-v3-lm-arena-chat-dense.csv), the
  independent check never fitted on: median inter-token latency, output throughput and energy per
  output token of vLLM at its measured mean running batch, a 200-token prompt assumed.

Predictors, each given the same model shape (scaleplan's catalogue shape, from `estimate`'s
`model` object), hardware figures (the scaleplan profile's peaks, memory, bandwidth and link),
precision, batch, lengths and tensor-parallel degree:
- scaleplan before: the profile without its `efficiency:` block (the defaults);
- scaleplan after: the shipped, calibrated profile;
- llm-analysis 0.2.2 (PyPI, cli99) with its default efficiencies (1.0);
- GenZ (PyPI genz-llm 0.0.16) with its default system efficiency (1.0).
scaleplan uses its static batch on the calibration sets (as `calibrate` fits) and its
continuous-batching steady state on ML.ENERGY (as the planner plans); llm-analysis and GenZ
have only a static batch. Energy: only scaleplan predicts it. Peers' throughput is
batch / TPOT.

Prints Markdown tables for BENCHMARKS.md: per data set and batch range, the median and max
|relative error| of each predictor. Run through bench/serving_vs_peers.sh, which installs the
pinned peers into bench/.venv-peers.

Usage: bench/.venv-peers/bin/python bench/serving_vs_peers.py --bin .build/release/scaleplan
"""
from __future__ import annotations

import argparse
import csv
import importlib.metadata
import io
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import warnings
from contextlib import redirect_stdout

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from calibrate_profiles import without_efficiency  # noqa: E402
from serving_vs_mlenergy import GPUS, MODELS as MLENERGY_MODELS  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEASUREMENTS = os.path.join(ROOT, "hardware-profiles", "measurements")
SETS = [("serving-nim.csv", "fit"), ("serving-tensorrt-llm.csv", "fit"), ("serving-gpt-fast.csv", "fit"),
        ("serving-vllm-ci.csv", "held out")]
MLENERGY = os.path.join(ROOT, "bench", "data", "mlenergy-v3-lm-arena-chat-dense.csv")
MLENERGY_PROMPT = 200
RANGES = [(1, 1), (2, 16), (17, 64), (65, 256), (257, 10**9)]
PREDICTORS = ["scaleplan before", "scaleplan after", "llm-analysis", "GenZ"]
# Weight bytes per value for the peers' precision settings.
LLM_ANALYSIS_DTYPE = {"bf16": "w16a16e16", "fp8": "w8a8e16", "int8": "w8a16e16", "int4": "w4a16e16"}
GENZ_BITS = {"bf16": "bf16", "fp8": "fp8", "int8": "int8", "int4": "int4"}


def run(binary: str, args: list) -> dict | None:
    r = subprocess.run([binary] + args + ["--format", "json"], capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        print(f"skipped {' '.join(args)}: {r.stderr.strip()}", file=sys.stderr)
        return None
    return json.loads(r.stdout)


def rows() -> list:
    out = []
    for name, role in SETS:
        with open(os.path.join(MEASUREMENTS, name)) as f:
            for i, r in enumerate(csv.DictReader(f), start=2):
                measured = {}
                if r["ttft_ms"]:
                    measured["ttft"] = float(r["ttft_ms"])
                if r["tpot_ms"]:
                    measured["tpot"] = float(r["tpot_ms"])
                out.append(dict(data_set=name, role=role, label=f"{name}:{i}", model=r["model"], hardware=r["hardware"],
                                precision=r["precision"] or "bf16", devices=int(r["devices"] or 1), batch=int(r["batch"]),
                                prompt=int(r["prompt_tokens"]), output=int(r["output_tokens"]), steady=False,
                                measured=measured))
    with open(MLENERGY) as f:
        for i, r in enumerate(csv.DictReader(f), start=2):
            model, precision = MLENERGY_MODELS[r["model_id"]]
            out.append(dict(data_set="ML.ENERGY v3 (check)", role="independent", label=f"mlenergy:{i}", model=model,
                            hardware=GPUS[r["gpu_model"]], precision=precision, devices=int(r["tensor_parallel"]),
                            batch=max(1, round(float(r["avg_batch_size"]))), prompt=MLENERGY_PROMPT,
                            output=max(2, round(float(r["avg_output_len"]))), steady=True,
                            measured=dict(tpot=float(r["median_itl_ms"]),
                                          throughput=float(r["output_throughput_tokens_per_sec"]),
                                          energy=float(r["energy_per_token_joules"]))))
    return out


def scaleplan(binary: str, row: dict, profile: str) -> dict | None:
    e = run(binary, ["estimate", "--model", row["model"], "--hardware", profile, "--precision", row["precision"],
                     "--devices", str(row["devices"]), "--batch", str(row["batch"]), "--prompt-tokens", str(row["prompt"]),
                     "--output-tokens", str(row["output"])])
    if e is None:
        return None
    if row["steady"]:
        s = e["continuous_batching"]
        return dict(tpot=s["tpot_ms"], ttft=s["ttft_ms"], throughput=s["tokens_per_second"], energy=s["joules_per_token"],
                    model=e["model"])
    return dict(tpot=e["tpot_ms"], ttft=e["ttft_ms"], throughput=e["tokens_per_second"], energy=e["joules_per_token"],
                model=e["model"])


def figures(binary: str, name: str) -> dict:
    show = run(binary, ["hardware", "show", name])
    return {f["figure"]: f["value"] for f in show["figures"]}


def llm_analysis(row: dict, m: dict, fig: dict) -> dict | None:
    from llm_analysis.analysis import LLMAnalysis
    from llm_analysis.config import DtypeConfig, GPUConfig, ModelConfig, ParallelismConfig
    model = ModelConfig(name=f"shape-{m['layers']}x{m['hidden']}", num_layers=m["layers"], n_head=m["heads"],
                        hidden_dim=m["hidden"], vocab_size=m["vocab"], num_key_value_heads=m["kv_heads"],
                        ffn_embed_dim=int(1.5 * m["intermediate"]), expansion_ratio=1.5 * m["intermediate"] / m["hidden"],
                        model_type="llama")
    peak8 = fig.get("peak_fp8") or fig.get("peak_int8")
    gpu = GPUConfig(name="profile", mem_per_GPU_in_GB=fig.get("reported_memory", fig["memory"]), hbm_bandwidth_in_GB_per_sec=fig["memory_bandwidth"] * 1e3,
                    intra_node_bandwidth_in_GB_per_sec=fig["interconnect_bandwidth"],
                    intra_node_min_message_latency=fig["interconnect_latency"] * 1e-6,
                    peak_fp16_TFLOPS=fig["peak_bf16"], peak_i8_TFLOPS=peak8, peak_i4_TFLOPS=fig.get("peak_int4") or peak8)
    try:
        a = LLMAnalysis(model, gpu, DtypeConfig(name=LLM_ANALYSIS_DTYPE[row["precision"]]),
                        ParallelismConfig(tp_size=row["devices"]))
        with redirect_stdout(io.StringIO()):
            r = a.inference(batch_size_per_gpu=row["batch"], seq_len=row["prompt"], num_tokens_to_generate=row["output"],
                            use_kv_cache=True, kv_cache_dtype_bytes=1 if row["precision"] == "fp8" else 2)
    except Exception as exc:  # a peer refusing a row is reported, not fatal
        print(f"llm-analysis skipped {row['label']}: {exc}", file=sys.stderr)
        return None
    tpot = r["decode_latency"] * 1e3
    return dict(tpot=tpot, ttft=r["prefill_latency"] * 1e3, throughput=row["batch"] * 1e3 / tpot)


def genz(row: dict, m: dict, fig: dict) -> dict | None:
    from GenZ import decode_moddeling, prefill_moddeling
    from GenZ.Models.default_models import ModelConfig
    config = ModelConfig(model=f"shape-{m['layers']}x{m['hidden']}", vocab_size=m["vocab"], hidden_size=m["hidden"],
                         intermediate_size=m["intermediate"], num_ffi=2, num_decoder_layers=m["layers"],
                         num_attention_heads=m["heads"], head_dim=m["head_dim"], num_key_value_heads=m["kv_heads"],
                         max_model_len=max(8192, row["prompt"] + row["output"]))
    system = dict(Flops=fig["peak_bf16"], Memory_size=fig.get("reported_memory", fig["memory"]), Memory_BW=fig["memory_bandwidth"] * 1e3,
                  ICN=fig["interconnect_bandwidth"], real_values=True)
    try:
        with warnings.catch_warnings(), redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            # One step at the mean context (prompt + output / 2), the KV cache sized for the
            # whole request (input + output tokens = prompt + output).
            d = decode_moddeling(model=config, batch_size=row["batch"], input_tokens=row["prompt"] + row["output"] // 2,
                                 output_tokens=row["output"] - row["output"] // 2, system_name=system,
                                 bits=GENZ_BITS[row["precision"]], tensor_parallel=row["devices"])
            p = prefill_moddeling(model=config, batch_size=row["batch"], input_tokens=row["prompt"], system_name=system,
                                  bits=GENZ_BITS[row["precision"]], tensor_parallel=row["devices"])
    except Exception as exc:
        print(f"GenZ skipped {row['label']}: {exc}", file=sys.stderr)
        return None
    return dict(tpot=d["Latency"], ttft=p["Latency"], throughput=row["batch"] * 1e3 / d["Latency"])


def error_cells(results: list, q: str) -> list:
    """Per predictor, "median% (max%)" of |predicted / measured - 1| of quantity `q` over the
    rows it gives a figure for; "n/a" when it gives none."""
    cells = []
    for p in PREDICTORS:
        errs = [abs(res["preds"][p][q] / res["row"]["measured"][q] - 1)
                for res in results if res["preds"][p] is not None and q in res["preds"][p]]
        cells.append(f"{100 * statistics.median(errs):.0f}% ({100 * max(errs):.0f}%)" if errs else "n/a")
    return cells


def band(batch: int) -> str:
    for lo, hi in RANGES:
        if lo <= batch <= hi:
            return f"{lo}" if lo == hi else (f"{lo}-{hi}" if hi < 10**9 else f"{lo}+")
    return "?"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "scaleplan"))
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    logging.getLogger("llm_analysis").setLevel(logging.ERROR)
    from llm_analysis.logger import logger as la_logger
    la_logger.setLevel(logging.ERROR)

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        defaults, figs = {}, {}
        for name in {r["hardware"] for r in rows()}:
            path = os.path.join(tmp, f"{name}.yaml")
            with open(os.path.join(ROOT, "hardware-profiles", f"{name}.yaml")) as f:
                text = without_efficiency(f.read())
            with open(path, "w") as f:
                f.write(text)
            defaults[name] = path
            figs[name] = figures(binary, name)
        for row in rows():
            after = scaleplan(binary, row, row["hardware"])
            before = scaleplan(binary, row, defaults[row["hardware"]])
            if after is None or before is None:
                continue
            m = after["model"]
            fig = figs[row["hardware"]]
            preds = {"scaleplan before": before, "scaleplan after": after,
                     "llm-analysis": llm_analysis(row, m, fig), "GenZ": genz(row, m, fig)}
            results.append(dict(row=row, preds=preds))

    print(f"llm-analysis {importlib.metadata.version('llm-analysis')}, GenZ (genz-llm) {importlib.metadata.version('genz-llm')}; "
          f"{len(results)} rows. Median |error| (max |error|); n/a where a predictor gives no figure.")
    print()
    quantities = [("tpot", "TPOT"), ("ttft", "TTFT"), ("throughput", "throughput"), ("energy", "J/token")]
    groups: dict = {}
    for res in results:
        r = res["row"]
        groups.setdefault((r["data_set"], r["role"], band(r["batch"])), []).append(res)
    order = [s for s, _ in SETS] + ["ML.ENERGY v3 (check)"]
    print("| data set | role | batch | quantity | rows | " + " | ".join(PREDICTORS) + " |")
    print("|---|---|---|---|---:|" + "---:|" * len(PREDICTORS))
    for key in sorted(groups, key=lambda k: (order.index(k[0]), [band(lo) for lo, _ in RANGES].index(k[2]))):
        members = groups[key]
        for q, title in quantities:
            with_q = [res for res in members if q in res["row"]["measured"]]
            if not with_q:
                continue
            cells = error_cells(with_q, q)
            print(f"| {key[0]} | {key[1]} | {key[2]} | {title} | {len(with_q)} | " + " | ".join(cells) + " |")
    for common in (False, True):
        print()
        print("All rows of a role together" + (", only the rows every predictor gives a figure for (the same rows):" if common else
                                               " (each predictor over the rows it gives a figure for):"))
        print()
        print("| role | quantity | rows | " + " | ".join(PREDICTORS) + " |")
        print("|---|---|---:|" + "---:|" * len(PREDICTORS))
        for role in ["fit", "held out", "independent"]:
            for q, title in quantities:
                with_q = [res for res in results if res["row"]["role"] == role and q in res["row"]["measured"]]
                if common:
                    with_q = [res for res in with_q if all(res["preds"][p] is not None for p in PREDICTORS)]
                if not with_q:
                    continue
                cells = error_cells(with_q, q)
                print(f"| {role} | {title} | {len(with_q)} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
