#!/usr/bin/env bash
# Side-by-side benchmark: `scaleplan evaluate` against a dense brute-force grid in Python
# (bench/brute_force_planner.py: N x tokens-per-param grid, serving fleet enumerated per N and
# month) on scenarios/chat-assistant.yaml and bench/scenarios/frontier-8-options.yaml, then the
# 40-point frontier of the 8-option scenario on its own. Prints the tables for BENCHMARKS.md and
# exits 1 when a check fails (the grid beats scaleplan, the speed ratio is below 50x, the
# frontier takes 1 s or more, or the two models disagree on a plan's loss, cost or FLOPs).
# Builds scaleplan (release) into .build-bench; uses bench/.venv (numpy, scipy, PyYAML) and
# hyperfine when installed (Debian package `hyperfine`), else repeated timing in Python.
# Usage: bash bench/planner_vs_grid.sh [--n-points 4000] [--ratio-points 1000] [--runs 10]
#        [--grid-runs 2] [--scenarios FILE...] [--json OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  # The same pins as bench/run.sh.
  bench/.venv/bin/pip install -q numpy==2.4.6 scipy==1.17.1
fi
if ! bench/.venv/bin/python -c "import yaml" 2>/dev/null; then
  bench/.venv/bin/pip install -q PyYAML==6.0.3
fi
mkdir -p .build-bench
if ! swift build -c release --product scaleplan --scratch-path .build-bench >.build-bench/build.log 2>&1; then
  cat .build-bench/build.log >&2
  exit 2
fi
echo "$(swift --version 2>&1 | head -1); $(bench/.venv/bin/python --version); hyperfine: $(hyperfine --version 2>/dev/null || echo none)"
bench/.venv/bin/python bench/planner_vs_grid.py --bin .build-bench/release/scaleplan "$@"
