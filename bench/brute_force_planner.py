"""A dense brute-force planner: an independent Python re-implementation of scaleplan's plan
evaluation, searched exhaustively on a grid instead of by GLPK.

For every model size N on a log grid it builds each serving option's replica (Llama-3-family
shape, every tensor-parallel degree that fits at every running batch of continuous batching in
steady state, the cheapest per request within memory, stable queues and the SLO, roofline step
times, power) and sizes the cheapest integer fleet for every month by enumeration
(depth-first over replica counts, cut only by a bound that cannot remove an optimum). For every
(N, D) on the grid (D = N x tokens-per-param on a second log grid) it evaluates the loss, the
training and serving cost, energy, compute and days, and keeps the best point that meets every
constraint. The loss is the loss as served: a fleet limited to options of at least P weight
bits (one tier per precision the scenario lists) serves the model at its worst precision, which
adds Kumar et al. 2024's post-training rounding loss below 16 bits, so every tier is searched
(scenarios without a `quantization:` section only).
The same grid gives the epsilon-constraint frontier for free: for each bound on x,
the grid's least y.

The formulas are those of docs/HARDWARE.md and the doc comments of Sources/Hardware,
Sources/Demand and Sources/Planner (PlanEvaluator, ServingModel, FleetSizer), with the papers
they cite, implemented a second time rather than translated: batches are scanned exhaustively
instead of bisected, the Llama width is looked up in a table instead of searched, and the fleet
is enumerated instead of solved by GLPK. It reads scenarios with law presets and a demand given
by requests_per_day, tokens_per_day or tokens (not volume tables or law files).

Usage:
  python bench/brute_force_planner.py SCENARIO [--n-points 4000] [--ratio-points 1000]
      [--profiles hardware-profiles] [--compare scaleplan.json] [--json OUT]
  python bench/brute_force_planner.py SCENARIO --point N D      (metrics of one plan, JSON)
  python bench/brute_force_planner.py SCENARIO --check-fleets K (fleet enumeration vs HiGHS)
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import yaml
from scipy.stats import poisson

DAYS_PER_MONTH = 365.25 / 12
HOURS_PER_MONTH = DAYS_PER_MONTH * 24
MAX_BATCH = 1024          # largest running batch per replica (vLLM max_num_seqs)
BUDGET = 8192             # tokens per engine step (vLLM max_num_batched_tokens)
MAX_QUEUE_UTIL = 0.95     # slot and prefill-budget utilisation
MAX_ENGINE_UTIL = 0.8     # throughput over the replica's capacity
MAX_TP = 8                # largest tensor-parallel degree (one node)
USABLE_MEMORY = 0.9       # vLLM's default gpu_memory_utilization
LLAMA_VOCAB = 128_256
BYTES = {"fp32": 4.0, "bf16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}
KV_PRECISION = {"fp8": "fp8", "fp32": "fp32"}   # everything else keeps a bf16 KV cache
BITS = {"fp32": 32.0, "bf16": 16.0, "fp8": 8.0, "int8": 8.0, "int4": 4.0}
# Kumar et al. 2024 (arXiv:2411.04330, eq. 2, Appendix K Table 2): post-training rounding to P bits
# adds C_T D^gamma_D / N^gamma_N exp(-P / gamma_post) nats per token to the loss.
KUMAR_PTQ = {"C_T": 0.0598, "gamma_D": 0.5068, "gamma_N": 0.3439, "gamma_post": 0.5907}


def quantization_loss(n, d, bits):
    """The served loss's excess over the trained loss for weights rounded to `bits` after training
    (0 at 16 bits or more)."""
    k = KUMAR_PTQ
    bits = np.asarray(bits, float)
    delta = k["C_T"] * np.exp(-bits / k["gamma_post"]) * np.asarray(d, float) ** k["gamma_D"] / np.asarray(n, float) ** k["gamma_N"]
    return np.where(bits >= 16, 0.0, delta)

# Efficiency defaults of a hardware profile (hardware-profiles/README.md).
EFFICIENCY_DEFAULTS = {
    "prefill_compute": 0.55, "prefill_bandwidth": 0.6, "decode_compute": 0.5, "decode_bandwidth": 0.6,
    "prefill_overhead_ms": 0.0, "decode_overhead_ms": 0.0,
    "compute_power_factor": 1.5, "bandwidth_power_factor": 1.5, "training_power_factor": 1.5, "training_mfu": 0.45,
}

# Loss-law presets: (form, parameters), from the papers cited in `scaleplan law presets`.
PRESETS = {
    # Hoffmann et al. 2022, eq. 10 (Approach 3, unrounded TeX values).
    "hoffmann2022": ("chinchilla", dict(E=1.6934, A=406.40, B=410.72, alpha=0.33917084, beta=0.2849083)),
    # Besiroglu et al. 2024, eq. 4.
    "epoch2024": ("chinchilla", dict(E=1.8169, A=482.01, B=2085.43, alpha=0.3478, beta=0.3659)),
    # Sardana et al. 2024, section 2 (rounded Chinchilla values).
    "sardana2024": ("chinchilla", dict(E=1.69, A=406.4, B=410.7, alpha=0.336, beta=0.283)),
    # Kaplan et al. 2020, eq. 1.5, Table 2.
    "kaplan2020": ("kaplan", dict(Nc=8.8e13, Dc=5.4e13, alphaN=0.076, alphaD=0.095)),
    # Muennighoff et al. 2023, C4 fit (A = e^a, B = e^b, E = e^e).
    "muennighoff2023-c4": ("data_constrained", dict(
        E=math.exp(0.6254804), A=math.exp(6.255414), B=math.exp(7.3049974), alpha=0.3526596, beta=0.3526596,
        rStarD=15.387756, rStarN=5.309743)),
    # Gadre et al. 2024: L = E + a N^b + c 6^(b/2) (M N)^b, as a Chinchilla form.
    "gadre2024": ("chinchilla", dict(E=1.83665, A=166.21, B=366.69 * 6 ** (-0.27285 / 2), alpha=0.27285, beta=0.27285)),
}

OBJECTIVES = ["loss", "cost", "compute", "energy", "latency", "train_time"]


# ----------------------------------------------------------------------------- input

def si(value) -> float:
    """A number with an optional SI suffix (K, M, B/G, T, P), as scenario files write them."""
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    s = str(value).strip().replace("_", "")
    mult = {"K": 1e3, "k": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12, "P": 1e15}.get(s[-1:], None)
    if mult is not None:
        return float(s[:-1]) * mult
    return float(s)


@dataclass
class Profile:
    name: str
    peaks: dict        # precision -> TFLOP/s
    memory_gb: float
    bandwidth_tbps: float
    link_gbps: float
    link_latency_us: float
    tdp_w: float
    idle_w: float
    usd_per_hour: float
    eff: dict

    def peak_flops(self, precision: str) -> float:
        """FLOP/s the math runs at for weights in `precision` (weight-only falls back to bf16, fp32)."""
        for p in (precision, "bf16", "fp32"):
            if p in self.peaks:
                return self.peaks[p] * 1e12
        raise ValueError(f"{self.name} has no peak for {precision}")

    def watts(self, compute_util, bandwidth_util=0.0):
        """Serving board power: idle + (TDP - idle) min(1, k_c u_c + k_b u_b) (Fan et al. 2007, one
        activity term per resource)."""
        x = self.eff["compute_power_factor"] * compute_util + self.eff["bandwidth_power_factor"] * bandwidth_util
        return self.idle_w + (self.tdp_w - self.idle_w) * np.clip(x, 0.0, 1.0)

    def training_watts(self, mfu):
        """Training board power: idle + (TDP - idle) min(1, k_t MFU)."""
        return self.idle_w + (self.tdp_w - self.idle_w) * np.clip(self.eff["training_power_factor"] * mfu, 0.0, 1.0)


def load_profile(path: str) -> Profile:
    with open(path) as f:
        y = yaml.safe_load(f)
    val = lambda node: si(node["value"])
    eff = dict(EFFICIENCY_DEFAULTS)
    for k, v in (y.get("efficiency") or {}).items():
        eff[k] = val(v)
    return Profile(
        name=y["name"], peaks={k: val(v) for k, v in y["peak_tflops"].items()},
        # The memory budget uses the driver-reported total where the profile states one.
        memory_gb=val(y["memory"].get("reported_capacity_gb", y["memory"]["capacity_gb"])), bandwidth_tbps=val(y["memory"]["bandwidth_tb_per_s"]),
        link_gbps=val(y["interconnect"]["bandwidth_gb_per_s"]), link_latency_us=val(y["interconnect"]["latency_us"]),
        tdp_w=val(y["power"]["tdp_w"]), idle_w=val(y["power"]["idle_w"]), usd_per_hour=val(y["price"]["usd_per_hour"]),
        eff=eff)


@dataclass
class Option:
    profile: Profile
    precision: str
    usd_per_hour: float
    max_devices: int | None

    @property
    def label(self):
        return f"{self.profile.name}/{self.precision}"


@dataclass
class Scenario:
    name: str
    law: tuple
    unique_tokens: float | None
    train: Profile
    train_mfu: float
    train_price: float
    train_devices: int
    train_pue: float
    options: list = field(default_factory=list)
    serving: bool = False
    months: np.ndarray | None = None        # requests per month
    peaks: np.ndarray | None = None         # peak requests/s per month
    prompt: float = 0.0                     # mean tokens per request
    output: float = 0.0
    total_tokens: float | None = None       # lifetime-total demand instead of a forecast
    fixed_util: tuple | None = None
    ttft_max: float | None = None           # s
    tpot_max: float | None = None           # s
    serve_pue: float = 1.0
    objectives: list = field(default_factory=list)
    bounds: dict = field(default_factory=dict)     # objective -> upper bound
    params: tuple = (1e6, 1e14)
    ratio: tuple = (0.1, 1e5)
    frontier: dict = field(default_factory=dict)

    @property
    def request_shape(self):
        """Prompt and output tokens of one request, whole tokens, at least 1."""
        if self.total_tokens is not None:
            return int(self.prompt), int(self.output)
        return max(1, int(round_half_away(self.prompt))), max(1, int(round_half_away(self.output)))

    @property
    def lifetime_requests(self):
        if self.total_tokens is not None:
            return self.total_tokens / (self.prompt + self.output)
        return float(self.months.sum())

    @property
    def lifetime_tokens(self):
        if self.total_tokens is not None:
            return self.total_tokens
        return float((self.months * self.prompt).sum() + (self.months * self.output).sum())


def round_half_away(x: float) -> float:
    return math.copysign(math.floor(abs(x) + 0.5), x)


def load_scenario(path: str, profile_dir: str) -> Scenario:
    with open(path) as f:
        y = yaml.safe_load(f)
    profiles = {}

    def prof(name):
        if name not in profiles:
            profiles[name] = load_profile(os.path.join(profile_dir, f"{name}.yaml"))
        return profiles[name]

    if y.get("quantization") is not None:
        raise SystemExit("brute_force_planner.py models the default quantisation (Kumar et al. 2024, rounding after training) only")
    law = y["law"]
    if "preset" not in law:
        raise SystemExit("brute_force_planner.py handles law presets only")
    t = y["training"]
    hw = prof(t["hardware"])
    sc = Scenario(
        name=y["scenario"], law=PRESETS[law["preset"]], unique_tokens=si(t["unique_tokens"]) if "unique_tokens" in t else None,
        train=hw, train_mfu=si(t.get("mfu", hw.eff["training_mfu"])), train_price=si(t.get("price_per_hour", hw.usd_per_hour)),
        train_devices=int(si(t.get("devices", 1024))), train_pue=si(t.get("pue", 1)))
    c = y.get("constraints") or {}
    names = {"loss_max": "loss", "cost_max": "cost", "compute_max": "compute", "energy_max": "energy",
             "train_days_max": "train_time", "latency_max": "latency"}
    for k, o in names.items():
        if k in c:
            sc.bounds[o] = si(c[k])
    if "max_days" in t:
        sc.bounds["train_time"] = min(sc.bounds.get("train_time", math.inf), si(t["max_days"]))
    pmin, pmax = si(c.get("params_min", 1e6)), si(c.get("params_max", 1e14))
    rmin, rmax = si(c.get("tokens_per_param_min", 0.1)), si(c.get("tokens_per_param_max", 1e5))
    s = y.get("search") or {}
    if "params" in s:
        pmin, pmax = max(pmin, si(s["params"][0])), min(pmax, si(s["params"][1]))
    if "tokens_per_param" in s:
        rmin, rmax = max(rmin, si(s["tokens_per_param"][0])), min(rmax, si(s["tokens_per_param"][1]))
    sc.params, sc.ratio = (pmin, pmax), (rmin, rmax)
    sc.objectives = list(y["objectives"])
    fr = y.get("frontier") or {}
    ox = sc.objectives[1] if len(sc.objectives) > 1 else "loss"
    oy = sc.objectives[0]
    if sc.objectives == ["loss"]:
        ox, oy = "cost", "loss"
    sc.frontier = {"x": fr.get("x", ox), "y": fr.get("y", oy), "points": int(fr.get("points", 20))}

    inf = y.get("inference")
    if inf:
        sc.serving = True
        hws = inf["hardware"] if isinstance(inf["hardware"], list) else [inf["hardware"]]
        precs = inf.get("precision", ["bf16"])
        precs = precs if isinstance(precs, list) else [precs]
        price = inf.get("price_per_hour")
        caps = inf.get("max_devices") or {}
        for h in hws:
            p = prof(h)
            for q in precs:
                usd = p.usd_per_hour
                if isinstance(price, dict):
                    usd = si(price.get(h, usd))
                elif price is not None:
                    usd = si(price)
                sc.options.append(Option(p, q, usd, int(si(caps[h])) if h in caps else None))
        if "mfu" in inf:
            sc.fixed_util = (si(inf["mfu"]["prefill"]), si(inf["mfu"]["decode"]))
        slo = inf.get("slo") or {}
        sc.ttft_max = si(slo["ttft_ms"]) / 1000 if "ttft_ms" in slo else None
        sc.tpot_max = si(slo["tpot_ms"]) / 1000 if "tpot_ms" in slo else None
        sc.serve_pue = si(inf.get("pue", 1))
        d = inf["demand"]
        if "tokens" in d and "horizon_months" not in d:
            sc.total_tokens = si(d["tokens"])
            sc.prompt, sc.output = si(d.get("prompt_tokens", 1)), si(d.get("output_tokens", 1))
        else:
            sc.prompt, sc.output = si(d["prompt_tokens"]), si(d["output_tokens"])
            horizon = int(si(d["horizon_months"]))
            if "requests_per_day" in d:
                per_day = si(d["requests_per_day"])
            elif "tokens_per_day" in d:
                per_day = si(d["tokens_per_day"]) / (sc.prompt + sc.output)
            elif "tokens" in d:
                per_day = si(d["tokens"]) / (horizon * DAYS_PER_MONTH) / (sc.prompt + sc.output)
            else:
                raise SystemExit("brute_force_planner.py does not read demand volume tables")
            g = si(d["growth_per_month"]) if "growth_per_month" in d else 0.0
            kind = d.get("growth", "exponential" if "growth_per_month" in d else "constant")
            if kind == "constant":
                mult = np.ones(horizon)
            elif kind == "linear":
                mult = 1 + g * np.arange(horizon)
            else:
                mult = np.array([(1 + g) ** m for m in range(horizon)])
            sc.months = per_day * mult * DAYS_PER_MONTH
            sc.peaks = sc.months / (DAYS_PER_MONTH * 86_400) * si(d.get("peak_to_mean", 1))
    return sc


# ----------------------------------------------------------------------------- loss law

def loss(sc: Scenario, n, d):
    """Predicted loss, nats per token, at N parameters and D tokens (arrays broadcast)."""
    form, p = sc.law
    if form == "chinchilla":
        return p["E"] + p["A"] * n ** -p["alpha"] + p["B"] * d ** -p["beta"]
    if form == "kaplan":
        return ((p["Nc"] / n) ** (p["alphaN"] / p["alphaD"]) + p["Dc"] / d) ** p["alphaD"]
    # Muennighoff et al. 2023, eqs. 5-7: effective data and parameters under repetition.
    u = sc.unique_tokens
    if u is None:
        return p["E"] + p["A"] * n ** -p["alpha"] + p["B"] * d ** -p["beta"]
    n, d = np.broadcast_arrays(np.asarray(n, float), np.asarray(d, float))
    rd = np.maximum(d / u - 1, 0)
    d_eff = np.where(d > u, u + u * p["rStarD"] * (1 - np.exp(-rd / p["rStarD"])), d)
    g = (p["alpha"] * p["A"] / (p["beta"] * p["B"])) ** (1 / (p["alpha"] + p["beta"]))
    un = np.minimum(n, g * (u * g) ** (p["beta"] / p["alpha"]))
    rn = np.maximum(n / un - 1, 0)
    n_eff = np.where(n > un, un + un * p["rStarN"] * (1 - np.exp(-rn / p["rStarN"])), n)
    return p["E"] + p["A"] * n_eff ** -p["alpha"] + p["B"] * d_eff ** -p["beta"]


# ----------------------------------------------------------------------------- model shape

_WIDTHS = np.arange(128, 128 * 100_000 + 1, 128, dtype=np.int64)


def _shape(layers: int, d: int, heads: int, kv_heads: int):
    f = int(math.ceil(3.5 * d / 256)) * 256
    return dict(layers=layers, hidden=d, heads=heads, kv_heads=kv_heads, inter=f, head_dim=d // heads)


def _param_count(s) -> float:
    d, kv, f = float(s["hidden"]), float(s["kv_heads"] * s["head_dim"]), float(s["inter"])
    return s["layers"] * (2 * d * d + 2 * d * kv + 3 * d * f) + 2 * LLAMA_VOCAB * d


def _family_counts():
    d = _WIDTHS.astype(float)
    heads = _WIDTHS // 128
    kv = np.gcd(heads, 8).astype(float)
    f = np.ceil(3.5 * d / 256) * 256
    return heads * (2 * d * d + 2 * d * kv * 128 + 3 * d * f) + 2 * LLAMA_VOCAB * d


_COUNTS = _family_counts()
assert np.all(np.diff(_COUNTS) > 0), "the family's parameter count must grow with the width"


def llama_shape(n: float):
    """The Llama-3-family shape (head dim 128, d/L = 128, MLP 3.5 d, 8 KV heads from d = 1024 up,
    vocabulary 128256) whose parameter count is closest to n (docs/HARDWARE.md)."""
    i = int(np.searchsorted(_COUNTS, n, side="right"))      # first width with more than n parameters
    if i == 0:
        best = 0
    elif i >= len(_COUNTS):
        best = len(_COUNTS) - 1
    else:
        best = i - 1 if abs(_COUNTS[i - 1] - n) <= abs(_COUNTS[i] - n) else i
    w = int(_WIDTHS[best])
    heads = w // 128
    s = _shape(max(1, heads), w, heads, math.gcd(heads, 8))
    if w < 1024 or w % 1024 == 0:
        return s
    d = int(round_half_away(w / 1024)) * 1024
    one = _param_count(_shape(1, d, d // 128, 8))
    per_layer = _param_count(_shape(2, d, d // 128, 8)) - one
    layers = max(1, int(round_half_away((n - one) / per_layer)) + 1)
    return _shape(layers, d, d // 128, 8)


# ----------------------------------------------------------------------------- serving

@dataclass
class Replica:
    option: Option
    devices: int
    batch: int
    rps: float            # requests per second of one replica
    joules: float         # busy energy per request, all devices, PUE included
    ttft: float           # s
    tpot: float           # s

    @property
    def device_seconds(self):
        return self.devices / self.rps


def _roofline(sc: Scenario, opt: Option, n: float, s, k: int, b: np.ndarray):
    """Prefill and decode-step times (s), utilisations and memory per device for batches b."""
    prof, P, O = opt.profile, *sc.request_shape
    e = prof.eff
    peak, bw = prof.peak_flops(opt.precision), prof.bandwidth_tbps * 1e12
    wbytes = n * BYTES[opt.precision]
    kvb = BYTES[KV_PRECISION.get(opt.precision, "bf16")]
    L, d = s["layers"], s["hidden"]
    # The input embedding (V d, untied) is looked up, not multiplied: 2 N_m FLOPs per token with
    # N_m = N (1 - V d / count), N_m bytes streamed per pass plus one embedding row per token.
    nm = n * (1 - LLAMA_VOCAB * d / _param_count(s))
    mbytes = nm * BYTES[opt.precision]
    row = d * BYTES[opt.precision]
    chunk = 8192                                                            # prefill tokens per pass (vLLM)
    passes = np.ceil(b * P / chunk)
    kv_per_token = 2 * L * s["kv_heads"] * s["head_dim"] * kvb                 # bytes per context token
    link = lambda tokens: 0.0 if k == 1 else 2 * L * (prof.link_latency_us * 1e-6
                                                      + 2 * (k - 1) / k * tokens * d * 2 / (prof.link_gbps * 1e9))
    # Prefill: B P tokens, causal attention over P (P + 1) / 2 positions per sequence.
    pf = (2 * nm * b * P + b * 4 * L * d * (P * (P + 1) / 2)) / k
    pb = (passes * mbytes + b * P * row + b * P * kv_per_token) / k
    pt = np.maximum(pf / (e["prefill_compute"] * peak), pb / (e["prefill_bandwidth"] * bw)) + link(b * P) \
        + e["prefill_overhead_ms"] / 1000
    pu = (np.minimum(1, pf / (pt * peak)), np.minimum(1, pb / (pt * bw)))
    # Decode step at the mean context P + O / 2.
    c = P + O / 2
    df = b * (2 * nm + 4 * L * d * c) / k
    db = (mbytes + b * row + b * c * kv_per_token) / k
    dt = np.maximum(df / (e["decode_compute"] * peak), db / (e["decode_bandwidth"] * bw)) + link(b) \
        + e["decode_overhead_ms"] / 1000
    du = (np.minimum(1, df / (dt * peak)), np.minimum(1, db / (dt * bw)))
    # Memory per device: weights, KV cache at full context (KV heads split over k), activations, logits.
    kv_dev = 2 * L * ((s["kv_heads"] + k - 1) // k) * s["head_dim"] * kvb
    mem = wbytes / k + b * (P + O) * kv_dev + np.minimum(b * P, chunk) * (4 * d + 3 * s["inter"]) * 2 / k + b * LLAMA_VOCAB * 4
    return pt, pu, dt, du, mem


def _steady_state(sc: Scenario, opt: Option, n: float, s, k: int, batches=None):
    """Continuous batching in steady state at the running batches `batches` (default every
    integer 1..1024; docs/HARDWARE.md, "Continuous batching in steady state"), vectorised over
    the batch and the number of prompts a step holds. Returns per batch: mean step, TTFT,
    requests/s, busy joules per request, whether the batch is feasible (memory and queues; SLOs
    are applied by the caller), and the replica's capacity (requests/s at the largest batch)."""
    prof, (P, O) = opt.profile, sc.request_shape
    e = prof.eff
    peak, bw = prof.peak_flops(opt.precision), prof.bandwidth_tbps * 1e12
    kvb = BYTES[KV_PRECISION.get(opt.precision, "bf16")]
    L, d = s["layers"], s["hidden"]
    nm = n * (1 - LLAMA_VOCAB * d / _param_count(s))
    mbytes, row = nm * BYTES[opt.precision], d * BYTES[opt.precision]
    kv_token = 2 * L * s["kv_heads"] * s["head_dim"] * kvb
    kv_dev = 2 * L * ((s["kv_heads"] + k - 1) // k) * s["head_dim"] * kvb
    steps, ctx = O - 1, P + O / 2
    # Sequence slots: what the KV cache at the mean context holds beside the weights and one
    # full step's activations, with fp32 logits per sequence.
    free_mem = prof.memory_gb * 1e9 * USABLE_MEMORY - n * BYTES[opt.precision] / k - BUDGET * (4 * d + 3 * s["inter"]) * 2 / k
    slots = int(min(MAX_BATCH, math.floor(free_mem / (ctx * kv_dev + LLAMA_VOCAB * 4)))) if free_mem > 0 else 0
    if slots < 1 or (P + O) * kv_dev + LLAMA_VOCAB * 4 > free_mem:
        return None
    b = (np.arange(1, MAX_BATCH + 1, dtype=float) if batches is None else np.asarray(batches, dtype=float))[:, None]
    m = b / steps                                                # prompts per step, mean
    kmax = int(np.ceil(m.max() + 8 * math.sqrt(m.max()) + 12))
    K = np.arange(0, kmax + 2, dtype=float)[None, :]             # prompts in a step
    pmf = poisson.pmf(K[:, :-1], m)
    free_budget = BUDGET - b

    def step(prompts):
        c = np.minimum(prompts * P, np.maximum(free_budget, 0))
        dec_f = b * (2 * nm + 4 * L * d * ctx)
        pre_f = c * (2 * nm + 4 * L * d * (P + 1) / 2)
        compute = (dec_f / e["decode_compute"] + pre_f / e["prefill_compute"]) / (k * peak)
        byts = (mbytes + b * row + b * ctx * kv_token + c * (row + kv_token)) / k
        memory = byts / (e["decode_bandwidth"] * bw)
        link = 0.0 if k == 1 else 2 * L * (prof.link_latency_us * 1e-6 + 2 * (k - 1) / k * (b + c) * d * 2 / (prof.link_gbps * 1e9))
        t = np.maximum(compute, memory) + link + e["decode_overhead_ms"] / 1000
        return t, prof.watts(np.minimum(1, (dec_f + pre_f) / k / (t * peak)), np.minimum(1, byts / (t * bw)))

    t_all, w_all = step(K)
    t, t_next, w = t_all[:, :-1], t_all[:, 1:], w_all[:, :-1]
    mass = pmf.sum(axis=1, keepdims=True)
    mean = (pmf * t).sum(axis=1, keepdims=True) / mass
    second = (pmf * t * t).sum(axis=1, keepdims=True) / mass
    joules_step = (pmf * t * w).sum(axis=1, keepdims=True) / mass
    with_prompt = (pmf * t_next).sum(axis=1, keepdims=True) / mass
    rps = b / (steps * mean)
    with np.errstate(divide="ignore", invalid="ignore"):
        prefill = np.ceil(P / free_budget) * with_prompt
        rho_p = m * P / free_budget
        wait_p = rho_p * (P / free_budget * mean) / (2 * (1 - rho_p))
        service = prefill + steps * mean
        load = b + m * np.ceil(P / free_budget)                  # occupied slots, in steps
        # Erlang B as a Poisson ratio, then Erlang C and the M/D/s (Allen-Cunneen) wait.
        eb = poisson.pmf(slots, load) / poisson.cdf(slots, load)
        rho_s = load / slots
        ec = np.where(rho_s < 1, eb / (1 - rho_s * (1 - eb)), 1.0)
        wait_s = np.where(rho_s < 1, ec * service / (slots - load) / 2, np.inf)
    ttft = wait_s + wait_p + second / (2 * mean) + prefill
    ok = (b <= slots) & (free_budget > 0) & (rho_p <= MAX_QUEUE_UTIL) & (rho_s <= MAX_QUEUE_UTIL)
    joules = joules_step * k * sc.serve_pue * steps / b
    if batches is None:
        n_max = max(1, min(slots, int(math.floor(BUDGET / (1 + P / steps) * (1 - 1e-9)))))
        capacity = _steady_state(sc, opt, n, s, k, [n_max])[2][0]
    else:
        capacity = math.nan
    return mean[:, 0], ttft[:, 0], rps[:, 0], joules[:, 0], ok[:, 0], capacity


def replica(sc: Scenario, opt: Option, n: float) -> Replica | None:
    """The replica of one option for a model of n parameters, or None when it cannot serve.
    Requests of two or more output tokens are served by continuous batching in steady state
    (every running batch from 1 to 1024 is evaluated; the cheapest feasible wins), one output
    token as a static batch."""
    P, O = sc.request_shape
    if sc.fixed_util is None and O >= 2:
        s = llama_shape(n)
        best = None
        for k in (1, 2, 4, 8):
            r = _steady_state(sc, opt, n, s, k)
            if r is None:
                continue
            tpot, ttft, rps, joules, ok, capacity = r
            if sc.ttft_max is not None:
                ok = ok & (ttft <= sc.ttft_max)
            if sc.tpot_max is not None:
                ok = ok & (tpot <= sc.tpot_max)
            if not ok[0]:
                continue
            # The feasible batches run from 1 up to the first that fails (each limit grows with
            # the batch); the cheapest is found among them by enumeration.
            last = int(np.argmin(ok)) if not ok.all() else len(ok)
            idx = np.arange(last)
            cost = k / rps[idx]
            i = int(idx[int(np.argmin(cost))])
            b, rep = float(i + 1), (float(rps[i]), float(joules[i]), float(ttft[i]), float(tpot[i]))
            # Throughput at most MAX_ENGINE_UTIL of capacity: where the batch found exceeds it,
            # the fractional batch at which it is exactly that share (bisection on the batch).
            target = MAX_ENGINE_UTIL * capacity
            if rep[0] > target:
                # Bracket from the integer batches already evaluated (throughput grows with the
                # batch), then refine on 64 points at a time down to 1e-12 of the batch.
                below = np.nonzero(rps[:i + 1] <= target)[0]
                lo, hi = (float(below[-1] + 1), float(below[-1] + 2)) if len(below) else (0.0, 1.0)
                while hi - lo > 1e-12 * hi:
                    pts = np.linspace(lo, hi, 66)[1:-1]
                    r_pts = _steady_state(sc, opt, n, s, k, pts)[2]
                    ok_pts = np.nonzero(r_pts <= target)[0]
                    lo, hi = (float(pts[ok_pts[-1]]), float(pts[ok_pts[-1] + 1]) if ok_pts[-1] + 1 < len(pts) else hi) \
                        if len(ok_pts) else (lo, float(pts[0]))
                b = lo
                t1, tt, rr, jj, _, _ = _steady_state(sc, opt, n, s, k, [b])
                rep = (float(rr[0]), float(jj[0]), float(tt[0]), float(t1[0]))
            c = k / rep[0]
            if best is not None and not c < best[0] * (1 - 1e-9):
                continue
            best = (c, Replica(opt, k, max(1, round(b)), rep[0], rep[1], rep[2], rep[3]))
        return best[1] if best else None
    return static_replica(sc, opt, n)


def static_replica(sc: Scenario, opt: Option, n: float) -> Replica | None:
    """The static-batch replica (fixed utilisation, or one output token), or None."""
    prof = opt.profile
    P, O = sc.request_shape
    if sc.fixed_util is not None:
        up, ud = sc.fixed_util
        peak = prof.peak_flops(opt.precision)
        prefill = 2 * n * P / (peak * up)
        step = 2 * n / (peak * ud)
        secs = prefill + step * O
        joules = (prof.watts(up) * prefill + prof.watts(ud) * step * O) * sc.serve_pue
        r = Replica(opt, 1, 1, 1 / secs, float(joules), prefill, step)
        return r if _meets_slo(sc, r.ttft, r.tpot) else None
    s = llama_shape(n)
    usable = prof.memory_gb * 1e9 * USABLE_MEMORY
    batches = np.arange(1, MAX_BATCH + 1, dtype=float)
    best = None
    # Every tensor-parallel degree that fits, each at every batch from 1 to 1024; the replica
    # is the (degree, batch) within memory and the SLO with the fewest device-seconds per
    # request (fewer devices on a tie), found by enumeration, not by scaleplan's rules.
    for k in (1, 2, 4, 8):
        if k > MAX_TP:
            break
        _, _, _, _, mem1 = _roofline(sc, opt, n, s, k, np.array([1.0]))
        if mem1[0] > usable:
            continue
        pt, pu, dt, du, mem = _roofline(sc, opt, n, s, k, batches)
        ok = mem <= usable
        if sc.ttft_max is not None:
            ok &= pt <= sc.ttft_max
        if sc.tpot_max is not None:
            ok &= dt <= sc.tpot_max
        if not ok.any():
            continue
        idx = np.nonzero(ok)[0]
        req = pt[idx] + (O - 1) * dt[idx]
        cost = k * req / batches[idx]
        j = int(np.argmin(cost))
        i = int(idx[j])
        b = i + 1
        if best is not None and not cost[j] < best[0] * (1 - 1e-9):
            continue
        pw = prof.watts(pu[0][i], pu[1][i])
        dw = prof.watts(du[0][i], du[1][i])
        joules = (pw * pt[i] + dw * (O - 1) * dt[i]) * k * sc.serve_pue / b
        best = (float(cost[j]), Replica(opt, k, b, b / float(req[j]), float(joules), float(pt[i]), float(dt[i])))
    return best[1] if best else None


def _meets_slo(sc, ttft, tpot):
    return (sc.ttft_max is None or ttft <= sc.ttft_max) and (sc.tpot_max is None or tpot <= sc.tpot_max)


def cheapest_month(reps: list, peak: float):
    """The cheapest integer replica counts covering `peak` requests/s within the per-type device
    caps, by exhaustive depth-first enumeration. Options are taken in increasing cost per
    request/s; a branch is cut only when its cost so far plus the remaining demand at the best
    remaining cost per request/s (a lower bound on any completion, caps ignored) cannot beat
    the best fleet found. Returns (counts, cost per month in USD) or None when the caps cannot
    cover the peak."""
    m = len(reps)
    if peak <= 0:
        return [0] * m, 0.0
    cost = [r.devices * r.option.usd_per_hour * HOURS_PER_MONTH for r in reps]
    ratio = [cost[a] / reps[a].rps for a in range(m)]
    order = sorted(range(m), key=lambda a: ratio[a])
    caps = {}
    for r in reps:
        if r.option.max_devices is not None:
            h = r.option.profile.name
            caps[h] = min(caps.get(h, r.option.max_devices), r.option.max_devices)
    best = [math.inf, None]
    counts = [0] * m
    left = dict(caps)

    def dfs(level, remaining, spent):
        a = order[level]
        r = reps[a]
        h = r.option.profile.name
        most = math.ceil(remaining / r.rps)
        while most > 0 and (most - 1) * r.rps >= remaining:
            most -= 1
        while most * r.rps < remaining:
            most += 1
        if h in left:
            most = min(most, left[h] // r.devices)
        if level == m - 1:
            if most * r.rps >= remaining and spent + most * cost[a] < best[0]:
                counts[a] = most
                best[0], best[1] = spent + most * cost[a], list(counts)
                counts[a] = 0
            return
        nxt = ratio[order[level + 1]]
        for q in range(most, -1, -1):
            rest = remaining - q * r.rps
            spend = spent + q * cost[a]
            if rest <= 0:
                if spend < best[0]:
                    counts[a] = q
                    best[0], best[1] = spend, list(counts)
                    counts[a] = 0
                continue
            if spend + rest * nxt >= best[0]:
                break                      # fewer replicas of a only raise this bound
            counts[a] = q
            if h in left:
                left[h] -= q * r.devices
            dfs(level + 1, rest, spend)
            if h in left:
                left[h] += q * r.devices
            counts[a] = 0

    dfs(0, peak, 0.0)
    if best[1] is None:
        return None
    return best[1], best[0]


@dataclass
class Serving:
    cost: float           # USD over the horizon
    joules: float         # J over the horizon
    tpot_ms: float
    ttft_ms: float
    fleet: list           # [(label, devices, batch, rps, [replicas by month])]


def tiers(sc: Scenario) -> list:
    """The served precisions a fleet may be limited to, as weight bits, most bits first: a fleet
    of tier t uses only options of at least t bits, and its model is served at t bits (the
    fleet's worst precision sets the served loss)."""
    return sorted({BITS[o.precision] for o in sc.options}, reverse=True) if sc.serving else [16.0]


def serve(sc: Scenario, n: float, bits: float = 0.0) -> Serving | None:
    """The fleet and its lifetime serving cost and energy for a model of n parameters, from the
    options of at least `bits` weight bits."""
    reps = [r for r in (replica(sc, o, n) for o in sc.options if BITS[o.precision] >= bits) if r is not None]
    if not reps:
        return None
    if sc.total_tokens is not None:
        a = min(reps, key=lambda r: r.device_seconds * r.option.usd_per_hour)
        req = sc.lifetime_requests
        return Serving(req * a.device_seconds / 3600 * a.option.usd_per_hour, req * a.joules,
                       a.tpot * 1000, a.ttft * 1000, [(a.option.label, a.devices, a.batch, a.rps, [])])
    by_month = []
    known = {}
    for p in sc.peaks:
        if p not in known:
            known[p] = cheapest_month(reps, float(p))
        if known[p] is None:
            return None
        by_month.append(known[p][0])
    counts = np.array(by_month, dtype=float)          # months x options
    used = [a for a in range(len(reps)) if counts[:, a].any()]
    usd = joules = 0.0
    for mth, requests in enumerate(sc.months):
        capacity = sum(counts[mth, a] * reps[a].rps for a in used)
        for a in used:
            r = reps[a]
            provisioned = counts[mth, a] * r.devices * HOURS_PER_MONTH * 3600        # device-seconds
            usd += provisioned / 3600 * r.option.usd_per_hour
            served = requests * (counts[mth, a] * r.rps / capacity if capacity > 0 else 0)
            busy = min(provisioned, served * r.device_seconds)
            joules += served * r.joules + (provisioned - busy) * r.option.profile.idle_w * sc.serve_pue
    fleet = [(reps[a].option.label, reps[a].devices, reps[a].batch, reps[a].rps, [int(c) for c in counts[:, a]])
             for a in used]
    return Serving(usd, joules, max(reps[a].tpot for a in used) * 1000 if used else 0.0,
                   max(reps[a].ttft for a in used) * 1000 if used else 0.0, fleet)


# ----------------------------------------------------------------------------- metrics

def objective(sc: Scenario, name: str, n, d, sv):
    """One objective for plans (n, d) whose serving is `sv` (serving cost USD, energy J, TPOT ms;
    arrays broadcast): loss in nats/token, cost in USD, compute in FLOP, energy in kWh, latency
    in ms, train_time in days."""
    if name == "loss":
        return loss(sc, n, d) + quantization_loss(n, d, sv.get("bits", 16.0))
    if name == "latency":
        return sv["tpot_ms"] + 0 * n
    train = _training(sc, n, d)
    if name == "cost":
        return train["train_cost"] + sv["cost"]
    if name == "energy":
        return train["train_energy_kwh"] + sv["joules"] / 3.6e6
    if name == "compute":
        return train["train_flops"] + 2 * n * (sc.lifetime_tokens if sc.serving else 0.0)
    if name == "train_time":
        return train["train_days"]
    raise ValueError(name)


def _training(sc: Scenario, n, d):
    """Training FLOPs 6ND, device-seconds at MFU of the bf16 peak, and their cost, energy, days."""
    flops = 6 * n * d
    dev_s = flops / (sc.train.peak_flops("bf16") * sc.train_mfu)
    watts = sc.train.training_watts(sc.train_mfu)
    return {"train_flops": flops, "train_cost": dev_s / 3600 * sc.train_price,
            "train_energy_kwh": dev_s * watts * sc.train_pue / 3.6e6, "train_days": dev_s / sc.train_devices / 86_400}


def metrics(sc: Scenario, n, d, sv):
    """Every objective and the training/serving parts of one plan."""
    out = dict(_training(sc, n, d))
    out.update(inference_flops=2 * n * (sc.lifetime_tokens if sc.serving else 0.0), inference_cost=sv["cost"],
               inference_energy_kwh=sv["joules"] / 3.6e6, tpot_ms=sv["tpot_ms"])
    for o in OBJECTIVES:
        out[o] = objective(sc, o, n, d, sv)
    return out


def point(sc: Scenario, n: float, d: float, bits: float | None = None) -> dict:
    """Metrics of one plan, fleet included (for comparison with scaleplan's report), served at
    `bits` (a tier of `tiers`; default the fleet of every option, served at its worst precision)."""
    if bits is None:
        bits = min(tiers(sc))
    sv = serve(sc, n, bits) if sc.serving else Serving(0.0, 0.0, 0.0, 0.0, [])
    if sv is None:
        return {"params": n, "tokens": d, "servable": False}
    if sc.serving and sv.fleet:
        # The model is served at the worst precision its fleet uses.
        bits = min(BITS[f[0].split("/")[1]] for f in sv.fleet)
    elif not sc.serving:
        bits = 16.0
    m = metrics(sc, n, d, {"cost": sv.cost, "joules": sv.joules, "tpot_ms": sv.tpot_ms, "bits": bits})
    out = {k: float(v) for k, v in m.items()}
    out.update(params=n, tokens=d, servable=True, ttft_ms=sv.ttft_ms, served_bits=bits,
               trained_loss=float(loss(sc, n, d)),
               fleet=[{"option": f[0], "devices_per_replica": f[1], "batch": f[2], "requests_per_second_per_replica": f[3],
                       "replicas_by_month": f[4]} for f in sv.fleet])
    return out


# ----------------------------------------------------------------------------- the grid

def grid_search(sc: Scenario, n_points: int, ratio_points: int, eps_list=None, block: int = 256):
    """Evaluates every (N, tokens-per-param) grid point; returns the best feasible point of the
    primary objective and, for each bound in `eps_list`, the least frontier-y among feasible
    points whose frontier-x is within the bound. Rows of N are evaluated in blocks to bound memory."""
    t0 = time.perf_counter()
    ns = np.exp(np.linspace(math.log(sc.params[0]), math.log(sc.params[1]), n_points))
    ms = np.exp(np.linspace(math.log(sc.ratio[0]), math.log(sc.ratio[1]), ratio_points))
    levels = tiers(sc)
    cost = np.zeros((len(levels), n_points))
    joules = np.zeros((len(levels), n_points))
    tpot = np.zeros((len(levels), n_points))
    served = np.full((len(levels), n_points), 16.0)       # the worst precision the tier's fleet uses
    ok_n = np.ones((len(levels), n_points), bool)
    if sc.serving:
        for t, bits in enumerate(levels):
            for i, n in enumerate(ns):
                sv = serve(sc, float(n), bits)
                if sv is None:
                    ok_n[t, i] = False
                    cost[t, i] = joules[t, i] = tpot[t, i] = np.inf
                else:
                    cost[t, i], joules[t, i], tpot[t, i] = sv.cost, sv.joules, sv.tpot_ms
                    served[t, i] = min((BITS[f[0].split("/")[1]] for f in sv.fleet), default=16.0)
    t_fleet = time.perf_counter() - t0
    primary = sc.objectives[0]
    fx, fy = sc.frontier["x"], sc.frontier["y"]
    eps_list = list(eps_list or [])
    needed = set(sc.bounds) | {primary} | ({fx, fy} if eps_list else set())
    best = [math.inf, None]                       # primary value, (tier, i, j)
    front = [[math.inf, None] for _ in eps_list]
    for t in range(len(levels)):
        for lo in range(0, n_points, block):
            hi = min(n_points, lo + block)
            N = ns[lo:hi, None]
            D = N * ms[None, :]
            bits = served[t, lo:hi, None]
            delta = quantization_loss(N, D, bits)
            sv = {"cost": cost[t, lo:hi, None], "joules": joules[t, lo:hi, None], "tpot_ms": tpot[t, lo:hi, None], "bits": 16.0}
            m = {o: np.broadcast_to(objective(sc, o, N, D, sv), D.shape) for o in needed}
            if "loss" in m:
                m["loss"] = m["loss"] + delta
            feasible = np.broadcast_to(ok_n[t, lo:hi, None], D.shape).copy()
            for o, bound in sc.bounds.items():
                feasible &= m[o] <= bound * (1 + 1e-12)

            def least(values, mask, slot):
                v = np.where(mask, values, np.inf)
                k = int(np.argmin(v))
                if v.flat[k] < slot[0]:
                    slot[0], slot[1] = float(v.flat[k]), (t, lo + k // ratio_points, k % ratio_points)

            least(m[primary], feasible, best)
            for e, slot in zip(eps_list, front):
                least(m[fy], feasible & (m[fx] <= e * (1 + 1e-12)), slot)

    def plan(slot):
        if slot[1] is None:
            return None
        t, i, j = slot[1]
        return point(sc, float(ns[i]), float(ns[i] * ms[j]), levels[t])

    return {"grid": [n_points, ratio_points], "points": n_points * ratio_points,
            "optimum": plan(best), "fleet_seconds": t_fleet,
            "frontier": [{"x_bound": e, "point": plan(slot)} for e, slot in zip(eps_list, front)],
            "seconds": time.perf_counter() - t0}


def check_fleets(sc: Scenario, samples: int, seed: int = 1) -> int:
    """Compares the enumerated monthly fleet with scipy's MILP solver (HiGHS) on `samples` random
    model sizes, every month; returns the number of disagreements (printed)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    rng = np.random.default_rng(seed)
    bad = total = 0
    for n in np.exp(rng.uniform(math.log(sc.params[0]), math.log(sc.params[1]), samples)):
        reps = [r for r in (replica(sc, o, float(n)) for o in sc.options) if r is not None]
        if not reps:
            continue
        c = np.array([r.devices * r.option.usd_per_hour * HOURS_PER_MONTH for r in reps])
        rows, lo, hi = [[r.rps for r in reps]], [0.0], [np.inf]
        for h in sorted({r.option.profile.name for r in reps if r.option.max_devices is not None}):
            rows.append([r.devices if r.option.profile.name == h else 0 for r in reps])
            lo.append(-np.inf)
            hi.append(min(r.option.max_devices for r in reps if r.option.profile.name == h))
        for peak in sc.peaks:
            total += 1
            mine = cheapest_month(reps, float(peak))
            lo[0] = float(peak)
            res = milp(c, constraints=LinearConstraint(np.array(rows, float), lo, hi), integrality=np.ones(len(reps)),
                       bounds=Bounds(0, np.inf), options={"mip_rel_gap": 0})
            theirs = res.fun if res.success else None
            if (mine is None) != (theirs is None) or (mine and abs(mine[1] - theirs) > 1e-9 * max(1.0, theirs)):
                bad += 1
                print(f"N {n:.6g} peak {peak:.6g}: enumeration {mine and mine[1]}, HiGHS {theirs}")
    print(f"fleet check: {total - bad} of {total} monthly fleets agree with scipy.optimize.milp")
    return bad


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario")
    ap.add_argument("--profiles", default=os.path.join(os.path.dirname(__file__), "..", "hardware-profiles"))
    ap.add_argument("--n-points", type=int, default=4000, help="model sizes on the log grid")
    ap.add_argument("--ratio-points", type=int, default=1000, help="tokens-per-parameter values on the log grid")
    ap.add_argument("--compare", help="scaleplan's JSON report: its frontier's x values become the grid's bounds")
    ap.add_argument("--point", nargs=2, type=float, metavar=("N", "D"), help="print the metrics of one plan and stop")
    ap.add_argument("--json", help="write the result here")
    ap.add_argument("--check-fleets", type=int, metavar="K",
                    help="compare the enumerated fleets with scipy's MILP solver at K random model sizes and stop")
    a = ap.parse_args(argv)
    sc = load_scenario(a.scenario, a.profiles)
    if a.check_fleets:
        return 1 if check_fleets(sc, a.check_fleets) else 0
    if a.point:
        print(json.dumps(point(sc, *a.point), indent=1))
        return 0
    eps = []
    if a.compare:
        with open(a.compare) as f:
            report = json.load(f)
        key = {"loss": "loss", "cost": "total_cost_usd", "compute": "total_flops", "energy": "energy_kwh",
               "latency": "tpot_ms", "train_time": "train_days"}
        axes = report.get("frontier_axes") or {}
        if axes:
            sc.frontier["x"], sc.frontier["y"] = axes["x"], axes["y"]
        eps = [p[key[sc.frontier["x"]]] for p in report.get("frontier", [])]
    res = grid_search(sc, a.n_points, a.ratio_points, eps)
    res["scenario"] = sc.name
    res["primary"] = sc.objectives[0]
    res["frontier_axes"] = {"x": sc.frontier["x"], "y": sc.frontier["y"]}
    text = json.dumps(res, indent=1)
    if a.json:
        with open(a.json, "w") as f:
            f.write(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
