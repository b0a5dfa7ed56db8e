#!/usr/bin/env bash
# Side-by-side benchmark: `scaleplan estimate` against llm-analysis (PyPI, cli99) on the same
# models, hardware figures, batches, lengths and efficiency factors, in one run.
# Builds scaleplan (release) into .build-bench and runs bench/estimate_vs_llm_analysis.py with
# bench/.venv, installing the pinned llm-analysis there if it is missing.
# Usage: bash bench/estimate_vs_llm_analysis.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LLM_ANALYSIS_VERSION=0.2.2
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  # The same pins as bench/run.sh, which installs them only when it creates the venv itself.
  bench/.venv/bin/pip install -q numpy==2.4.6 scipy==1.17.1
fi
installed=$(bench/.venv/bin/python -c "import importlib.metadata as m; print(m.version('llm-analysis'))" 2>/dev/null || true)
if [ "$installed" != "$LLM_ANALYSIS_VERSION" ]; then
  bench/.venv/bin/pip install -q "llm-analysis==$LLM_ANALYSIS_VERSION"
fi
swift build -c release --product scaleplan --scratch-path .build-bench >/dev/null
echo "date: $(date -u +%Y-%m-%d); $(swift --version 2>&1 | head -1)"
# transformers (an llm-analysis dependency) prints a notice about missing PyTorch on import.
bench/.venv/bin/python bench/estimate_vs_llm_analysis.py --bin .build-bench/release/scaleplan \
  2> >(grep -v "None of PyTorch, TensorFlow" >&2)
