#!/usr/bin/env bash
# Side-by-side benchmark: scaleplan's Chinchilla fit against scipy doing the same fit,
# in one run on this machine. Creates bench/.venv (numpy, scipy) on first use.
# Usage: bash bench/run.sh [--processes P]   (P: scipy worker processes, default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q numpy==2.4.6 scipy==1.17.1
fi
swift build -c release --product scaleplan >/dev/null
bench/.venv/bin/python bench/compare.py "$@"
