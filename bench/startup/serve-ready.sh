#!/usr/bin/env bash
# Time from starting `parley serve` to the first 200 from /readyz (bots loaded, database reachable).
# Usage: bench/startup/serve-ready.sh PARLEY_BINARY [RUNS]   (PARLEY_DATA_DIR should be a warm data folder)
# Prints one time in seconds per run, then the median.
set -euo pipefail
binary=$1
runs=${2:-5}
port=${PORT:-18431}
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$binary" serve --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "parley serve exited before it was ready" >&2; exit 1; fi
    sleep 0.01
  done
  end=$(date +%s.%N)
  kill -TERM "$pid"; wait "$pid" || true
  times+=("$(echo "$end - $start" | bc -l)")
  echo "${times[-1]}"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "median %.3f s over %d runs\n", m, NR}'
