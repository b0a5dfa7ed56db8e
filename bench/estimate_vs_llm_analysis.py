"""Side-by-side: `scaleplan estimate` against llm-analysis (PyPI `llm-analysis`, cli99) on the
same model shapes, hardware figures, batch, lengths, precision and efficiency factors.

Prints Markdown tables for BENCHMARKS.md. Run through bench/estimate_vs_llm_analysis.sh, which
builds scaleplan and installs the pinned llm-analysis into bench/.venv.

How llm-analysis is configured to match scaleplan (see BENCHMARKS.md for the reasoning):
- GPU: a GPUConfig built from `scaleplan hardware show NAME` (peak bf16 FLOP/s, HBM capacity and
  bandwidth, interconnect bandwidth and latency of hardware-profiles/NAME.yaml), not llm-analysis'
  own gpu_configs/*.json.
- Model: the shape scaleplan reports under `model` (layers, hidden, heads, KV heads, vocabulary);
  llm-analysis' MLP has two d x ffn matrices, so ffn_embed_dim = 1.5 f gives the same MLP weight
  count as the gated (SwiGLU) MLP's three d x f matrices.
- bf16 weights, activations, embeddings and KV cache (dtype w16a16e16, kv_cache_dtype_bytes 2).
- Efficiencies: llm-analysis has one flops_efficiency and one hbm_memory_efficiency for both
  phases, so it is run twice per case: with scaleplan's prefill factors (its prefill latency is
  the TTFT) and with the decode factors (its decode latency is the TPOT). A third run uses
  llm-analysis' own defaults (both 1.0) for reference.
- Tensor parallelism: tp_size = the device count scaleplan uses (its smallest fitting power of
  two, `min_devices_to_fit`); batch_size_per_gpu = the replica's batch (dp_size 1).

The script also re-evaluates scaleplan's documented roofline (docs/HARDWARE.md) in Python to
split its times into compute, weight, KV and communication terms, and checks that the split
reproduces the binary's TTFT, TPOT and memory to 1e-9 before printing anything.
"""
import argparse
import importlib.metadata
import json
import logging
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MODELS = {
    # Meta Llama 3 8B config.json: d 4096, 32 layers, 32 heads, 8 KV heads, f 14336, V 128256.
    "Llama-3-8B": dict(layers=32, hidden=4096, heads=32, kv_heads=8, vocab=128256),
    # Meta Llama 2 70B config.json: d 8192, 80 layers, 64 heads, 8 KV heads, f 28672, V 32000.
    "Llama-2-70B": dict(layers=80, hidden=8192, heads=64, kv_heads=8, vocab=32000),
}
HARDWARE = ["h100-sxm", "a100-80gb"]
BATCHES = [1, 64]
PROMPT, OUTPUT = 512, 256
BF16 = 2  # bytes


def scaleplan(bin_path, args):
    out = subprocess.run([bin_path] + args + ["--format", "json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def profile_figures(bin_path, name):
    show = scaleplan(bin_path, ["hardware", "show", name])
    return {f["figure"]: f["value"] for f in show["figures"]}


def estimate(bin_path, hw, shape, batch, devices):
    return scaleplan(bin_path, [
        "estimate", "--hardware", hw, "--layers", str(shape["layers"]), "--hidden", str(shape["hidden"]),
        "--heads", str(shape["heads"]), "--kv-heads", str(shape["kv_heads"]), "--vocab", str(shape["vocab"]),
        "--batch", str(batch), "--prompt-tokens", str(PROMPT), "--output-tokens", str(OUTPUT),
        "--precision", "bf16", "--devices", str(devices)])


def scaleplan_terms(fig, m, batch, k):
    """scaleplan's roofline and memory fit (docs/HARDWARE.md, Sources/Hardware/Roofline.swift and
    MemoryFit.swift) split into terms, for the diagnostics; checked against the binary."""
    L, d, f, V = m["layers"], m["hidden"], m["intermediate"], m["vocab"]
    hd = d // m["heads"]
    n = m["parameters"]
    kv_tok = 2 * L * m["kv_heads"] * hd * BF16  # KV bytes per token, whole model
    peak, bw = fig["peak_bf16"] * 1e12, fig["memory_bandwidth"] * 1e12
    link, alpha = fig["interconnect_bandwidth"] * 1e9, fig["interconnect_latency"] * 1e-6

    def comm(tokens):
        return 0.0 if k == 1 else 2 * L * (alpha + 2 * (k - 1) / k * tokens * d * 2 / link)

    p, b = PROMPT, batch
    c = PROMPT + OUTPUT / 2
    # The input embedding table (V d, untied) is looked up, not multiplied: N_m = N (1 - V d / count),
    # plus one embedding row (d bf16 values) read per token. Prefill runs in ceil(B P / 8192) passes.
    count = L * (2 * d * d + 2 * d * m["kv_heads"] * hd + 3 * d * f) + 2 * V * d
    nm = n * (1 - V * d / count)
    chunk = 8192
    passes = -(-(b * p) // chunk)
    pre_flops = (2 * nm * b * p + b * 4 * L * d * p * (p + 1) / 2) / k
    pre = dict(flops=pre_flops,
               compute=pre_flops / (fig["prefill_compute"] * peak),
               weights=(passes * nm * BF16 + b * p * d * BF16) / k / (fig["prefill_bandwidth"] * bw),
               kv=b * p * kv_tok / k / (fig["prefill_bandwidth"] * bw),
               comm=comm(b * p))
    dec_flops = b * (2 * nm + 4 * L * d * c) / k
    dec = dict(flops=dec_flops,
               compute=dec_flops / (fig["decode_compute"] * peak),
               weights=(nm * BF16 + b * d * BF16) / k / (fig["decode_bandwidth"] * bw),
               kv=b * c * kv_tok / k / (fig["decode_bandwidth"] * bw),
               comm=comm(b))
    for ph in (pre, dec):
        ph["memory"] = ph["weights"] + ph["kv"]
        ph["seconds"] = max(ph["compute"], ph["memory"]) + ph["comm"]
    kv_heads_dev = -(-m["kv_heads"] // k)
    mem = dict(weights=n * BF16 / k,
               kv=b * (PROMPT + OUTPUT) * 2 * L * kv_heads_dev * hd * BF16,
               act=min(b * PROMPT, chunk) * (4 * d + 3 * f) * 2 / k + b * V * 4)
    mem["total"] = mem["weights"] + mem["kv"] + mem["act"]
    return pre, dec, mem


def llm_analysis_run(la, m, fig, batch, k, flops_eff, hbm_eff):
    from llm_analysis.analysis import LLMAnalysis
    model = la["ModelConfig"](
        name=f"scaleplan-shape-{m['layers']}x{m['hidden']}", num_layers=m["layers"], n_head=m["heads"],
        hidden_dim=m["hidden"], vocab_size=m["vocab"], num_key_value_heads=m["kv_heads"],
        ffn_embed_dim=int(1.5 * m["intermediate"]), expansion_ratio=1.5 * m["intermediate"] / m["hidden"],
        model_type="llama")
    gpu = la["GPUConfig"](
        name="scaleplan-profile", mem_per_GPU_in_GB=fig.get("reported_memory", fig["memory"]),
        hbm_bandwidth_in_GB_per_sec=fig["memory_bandwidth"] * 1e3,
        intra_node_bandwidth_in_GB_per_sec=fig["interconnect_bandwidth"],
        intra_node_min_message_latency=fig["interconnect_latency"] * 1e-6,
        peak_fp16_TFLOPS=fig["peak_bf16"], peak_i8_TFLOPS=fig.get("peak_int8"))
    analysis = LLMAnalysis(model, gpu, la["DtypeConfig"](name="w16a16e16"), la["ParallelismConfig"](tp_size=k),
                           flops_efficiency=flops_eff, hbm_memory_efficiency=hbm_eff)
    r = analysis.inference(batch_size_per_gpu=batch, seq_len=PROMPT, num_tokens_to_generate=OUTPUT,
                           use_kv_cache=True, layernorm_dtype_bytes=BF16, kv_cache_dtype_bytes=BF16)
    r["num_params_total"] = analysis.total_num_params
    return r


def close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(abs(a), abs(b))


def ratio(a, b):
    return f"{a / b:.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build-bench", "release", "scaleplan"))
    args = ap.parse_args()

    from llm_analysis.logger import logger as la_logger
    from llm_analysis.config import ModelConfig, GPUConfig, DtypeConfig, ParallelismConfig
    la_logger.setLevel(logging.ERROR)
    la = dict(ModelConfig=ModelConfig, GPUConfig=GPUConfig, DtypeConfig=DtypeConfig,
              ParallelismConfig=ParallelismConfig)

    t0 = time.perf_counter()
    rows = []
    for model_name, shape in MODELS.items():
        for hw in HARDWARE:
            fig = profile_figures(args.bin, hw)
            for batch in BATCHES:
                k = estimate(args.bin, hw, shape, batch, 1)["min_devices_to_fit"]
                if k is None:
                    print(f"skipped {model_name} {hw} batch {batch}: scaleplan finds no fitting device count")
                    continue
                sp = estimate(args.bin, hw, shape, batch, k)
                m = sp["model"]
                pre, dec, mem = scaleplan_terms(fig, m, batch, k)
                for what, mine, theirs in [("TTFT", pre["seconds"] * 1e3, sp["ttft_ms"]),
                                           ("TPOT", dec["seconds"] * 1e3, sp["tpot_ms"]),
                                           ("memory", mem["total"] / 1e9, sp["memory_gb"])]:
                    if not close(mine, theirs):
                        sys.exit(f"decomposition of scaleplan's {what} ({mine}) does not reproduce the binary ({theirs})")
                la_pre = llm_analysis_run(la, m, fig, batch, k, fig["prefill_compute"], fig["prefill_bandwidth"])
                la_dec = llm_analysis_run(la, m, fig, batch, k, fig["decode_compute"], fig["decode_bandwidth"])
                la_def = llm_analysis_run(la, m, fig, batch, k, None, None)
                rows.append(dict(model=model_name, hw=hw, k=k, batch=batch, sp=sp, pre=pre, dec=dec, mem=mem,
                                 la_pre=la_pre, la_dec=la_dec, la_def=la_def, fits=sp["fits"]))
    elapsed = time.perf_counter() - t0

    version = importlib.metadata.version("llm-analysis")
    print(f"llm-analysis {version}; prompt {PROMPT}, output {OUTPUT}, bf16 weights and KV cache; "
          f"{len(rows)} cases in {elapsed:.1f} s on {os.cpu_count()} cores")
    print()

    def case(r):
        return f"| {r['model']} | {r['hw']} | {r['k']} | {r['batch']} "

    def la_mem(r):
        d = r["la_dec"]
        act = max(d["prefill_activation_memory_per_gpu"], d["decode_activation_memory_per_gpu"])
        return d["weight_memory_per_gpu"], d["kv_cache_memory_per_gpu"], act

    print("Main table (llm-analysis with scaleplan's efficiency factors; memory per GPU, decimal GB):")
    print()
    print("| model | hardware | TP | batch | TTFT ms scaleplan | TTFT ms llm-analysis | ratio | "
          "TPOT ms scaleplan | TPOT ms llm-analysis | ratio | GB/GPU scaleplan | GB/GPU llm-analysis | ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        sp = r["sp"]
        ttft_la = r["la_pre"]["prefill_latency"] * 1e3
        tpot_la = r["la_dec"]["decode_latency"] * 1e3
        mem_la = sum(la_mem(r)) / 1e9
        print(case(r) + f"| {sp['ttft_ms']:.1f} | {ttft_la:.1f} | {ratio(sp['ttft_ms'], ttft_la)} "
              f"| {sp['tpot_ms']:.2f} | {tpot_la:.2f} | {ratio(sp['tpot_ms'], tpot_la)} "
              f"| {sp['memory_gb']:.2f} | {mem_la:.2f} | {ratio(sp['memory_gb'], mem_la)} |")
    print()

    print("Memory per GPU, GB (scaleplan / llm-analysis). llm-analysis activations: the larger of its "
          "prefill and decode activation buffers (the weights and KV cache are held throughout):")
    print()
    print("| model | hardware | TP | batch | weights | KV cache at P+O | activations | scaleplan fits (72 GB budget) |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        w, kv, act = la_mem(r)
        mem = r["mem"]
        print(case(r) + f"| {mem['weights'] / 1e9:.2f} / {w / 1e9:.2f} | {mem['kv'] / 1e9:.3f} / {kv / 1e9:.3f} "
              f"| {mem['act'] / 1e9:.3f} / {act / 1e9:.3f} | {'yes' if r['fits'] else 'no'} |")
    print()

    print("Where the time goes (ms, per GPU; scaleplan terms from its documented formulas, "
          "reproducing its output to 1e-9; llm-analysis terms from its own breakdown):")
    print()
    print("| model | hardware | TP | batch | prefill GFLOP scaleplan / llm-analysis | "
          "prefill all-reduces scaleplan / llm-analysis | llm-analysis prefill layernorm; input-embedding term | "
          "decode scaleplan: max(compute, weights + KV) + all-reduces | "
          "decode llm-analysis: attn + MLP + norms; all-reduces; embeddings; KV load/store |")
    print("|---|---|---:|---:|---:|---:|---:|---|---|")
    for r in rows:
        pre, dec, d, p = r["pre"], r["dec"], r["la_dec"], r["la_pre"]
        la_flops = p["prefill_num_flops_fwd_total"] / r["k"]
        # Per-layer all-reduces only; llm-analysis adds one more inside its input-embedding term.
        la_comm = p["prefill_latency_fwd_tp_comm"]
        layers = d["decode_latency_fwd_attn"] + d["decode_latency_fwd_mlp"] + d["decode_latency_fwd_layernorm"]
        emb = d["decode_latency_fwd_input_embedding"] + d["decode_latency_fwd_output_embedding_loss"]
        print(case(r) + f"| {pre['flops'] / 1e9:,.0f} / {la_flops / 1e9:,.0f} ({pre['flops'] / la_flops:.2f}x) "
              f"| {pre['comm'] * 1e3:.2f} / {la_comm * 1e3:.2f} "
              f"| {p['prefill_latency_fwd_layernorm'] * 1e3:.2f}; {p['prefill_latency_fwd_input_embedding'] * 1e3:.2f} "
              f"| max({dec['compute'] * 1e3:.2f}, {dec['weights'] * 1e3:.2f} + {dec['kv'] * 1e3:.2f}) + {dec['comm'] * 1e3:.2f} "
              f"| {layers * 1e3:.2f}; {d['decode_latency_fwd_tp_comm'] * 1e3:.2f}; {emb * 1e3:.2f}; "
              f"{d['kv_cache_latency'] * 1e3:.2f} |")
    print()

    print("llm-analysis at its own default efficiencies (flops_efficiency = hbm_memory_efficiency = 1.0):")
    print()
    print("| model | hardware | TP | batch | TTFT ms scaleplan | TTFT ms llm-analysis (1.0) | ratio | "
          "TPOT ms scaleplan | TPOT ms llm-analysis (1.0) | ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        sp, dd = r["sp"], r["la_def"]
        print(case(r) + f"| {sp['ttft_ms']:.1f} | {dd['prefill_latency'] * 1e3:.1f} | "
              f"{ratio(sp['ttft_ms'], dd['prefill_latency'] * 1e3)} | {sp['tpot_ms']:.2f} | "
              f"{dd['decode_latency'] * 1e3:.2f} | {ratio(sp['tpot_ms'], dd['decode_latency'] * 1e3)} |")
    print()

    print("Parameter counts (scaleplan shape / llm-analysis):")
    seen = set()
    for r in rows:
        if r["model"] in seen:
            continue
        seen.add(r["model"])
        print(f"- {r['model']}: {r['sp']['model']['parameters'] / 1e9:.3f}B / {r['la_dec']['num_params_total'] / 1e9:.3f}B")


if __name__ == "__main__":
    main()
