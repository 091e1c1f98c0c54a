#!/usr/bin/env bash
# Runs the reference scripts of ../shared/anchors (PyTorch, NumPy + OpenBLAS) on this machine, 1 and 2
# threads, writing JSON-lines files for the bench report:
#
#   bash bench/scripts/run-anchors.sh [OUT_DIR]        (default: reports/anchors; about 6 minutes on 2 cores)
#   mvn -q -Preport -DskipTests verify -Dreport.args="quick --anchors reports/anchors"
#
# Needs Debian's python3-torch, python3-numpy, libopenblas0-pthread and python3-threadpoolctl
# (apt-get install -y ...), run with /usr/bin/python3. OMP_WAIT_POLICY=PASSIVE keeps PyTorch's OpenMP
# pool and OpenBLAS's threads from oversubscribing two cores. OPENBLAS_CORETYPE is left to OpenBLAS unless
# the CPU has AVX-512, where 0.3.21 would otherwise fall back to SSE3 kernels (see the anchors' README).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
anchors="$here/../shared/anchors"
out=${1:-$here/reports/anchors}
[ -d "$anchors" ] || { echo "run-anchors: no anchor scripts at $anchors" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
if grep -q avx512f /proc/cpuinfo 2>/dev/null; then export OPENBLAS_CORETYPE=SkylakeX; fi
export OMP_WAIT_POLICY=PASSIVE
cd "$anchors"
for script in w1_matmul w2_mlp w3_scalar_overhead w4_rnn w5_rtrl; do
  for threads in 1 2; do
    # The scalar-overhead workload is single-threaded by nature.
    [ "$script" = w3_scalar_overhead ] && [ "$threads" = 2 ] && continue
    echo "run-anchors: $script, $threads thread(s), $(date +%T)"
    rm -f "$out/$script-$threads.jsonl"
    /usr/bin/python3 "$script.py" "$threads" "$out/$script-$threads.jsonl" > "$out/$script-$threads.log" 2>&1 \
      || { echo "run-anchors: $script failed, see $out/$script-$threads.log" >&2; exit 1; }
  done
done
echo "run-anchors: done, JSON lines in $out"
