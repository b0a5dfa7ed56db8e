#!/usr/bin/env bash
# Soak run of the fuzzing harness: CASES mutated inputs (default 100,000) through the library
# in-process on one core, restarting after a crash (the process dies by a signal) or a hang (a
# case runs past --timeout, exit 3) and recording the case. Results for RELIABILITY.md.
# Usage: bash bench/fuzz-soak.sh [CASES] [SEED]      Output: bench/fuzz-soak.log
# FUZZ_BIN=path runs a copy of the harness instead of building one (so a rebuild cannot change it mid-run).
set -uo pipefail
cd "$(dirname "$0")/.."
cases=${1:-100000}
seed=${2:-1}
log=bench/fuzz-soak.log
checkpoint=$(mktemp)
bin=${FUZZ_BIN:-}
if [ -z "$bin" ]; then swift build -c release --product scaleplan-fuzz >/dev/null || exit 2; bin=.build/release/scaleplan-fuzz; fi
# One core: pin to the last CPU when taskset exists.
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c "$(( $(nproc) - 1 ))"); fi
: > "$log"
start=0
crashes=0
hangs=0
began=$(date +%s)
while [ "$start" -lt "$cases" ]; do
  "${pin[@]}" nice "$bin" --seed "$seed" --start "$start" --cases $((cases - start)) \
    --checkpoint "$checkpoint" --timeout 30 --progress 10000 >> "$log" 2>&1
  status=$?
  if [ "$status" -eq 0 ] || [ "$status" -eq 1 ]; then break; fi
  # The checkpoint holds the case that was running and the counts of the cases before it.
  read -r at counts < "$checkpoint"
  echo "SUMMARY seed=$seed start=$start $counts" >> "$log"
  if [ "$status" -eq 3 ]; then hangs=$((hangs + 1)); else crashes=$((crashes + 1)); echo "CRASH seed=$seed case=$at exit=$status" >> "$log"; fi
  start=$((at + 1))
done
rm -f "$checkpoint"
# Every run segment ends with a SUMMARY line (written here for a segment that crashed or hung); add
# them up, and count each crashed or hung case once.
awk -v crashes="$crashes" -v hangs="$hangs" -v wall="$(( $(date +%s) - began ))" '
  /^SUMMARY/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] != "seed" && kv[1] != "start" && kv[1] !~ /slowest/) total[kv[1]] += kv[2];
               if (kv[1] == "slowest_s" && kv[2] + 0 > slow) slow = kv[2] + 0 } }
  END { total["cases"] += crashes + hangs
        printf "TOTAL cases=%d ok=%d exit1=%d exit2=%d findings=%d crashes=%d hangs=%d slowest_s=%.3f wall_s=%d\n",
        total["cases"], total["ok"], total["exit1"], total["exit2"], total["findings"], crashes, hangs, slow, wall }' "$log" | tee -a "$log"
