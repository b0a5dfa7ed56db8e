#!/usr/bin/env bash
# `scaleplan estimate` (default and calibrated factors), llm-analysis and GenZ against the
# measured serving rows (hardware-profiles/measurements and the ML.ENERGY v3 check), side by
# side in one run (bench/serving_vs_peers.py). Installs the pinned peers into bench/.venv-peers
# and uses the release build in .build (run `swift build -c release` first).
# Usage: bash bench/serving_vs_peers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x bench/.venv-peers/bin/python ]; then
  python3 -m venv bench/.venv-peers
  bench/.venv-peers/bin/pip install -q numpy==2.4.6 llm-analysis==0.2.2 genz-llm==0.0.16
fi
echo "date: $(date -u +%Y-%m-%d); $(swift --version 2>&1 | head -1)"
bench/.venv-peers/bin/python bench/serving_vs_peers.py --bin .build/release/scaleplan 2> >(grep -v "System:" >&2)
