#!/usr/bin/env bash
# Console throughput: lines/s that pmj prints into a real terminal (a tmux pane, 200x50), once
# through the console (status footer, keys) and once through the plain writer (--no-console),
# same workload, same terminal, RUNS times each, alternating. 4 producers each write N lines of
# 85 characters; pmj exits when they are done. Time = launch to exit (JVM start included).
# Run by hand, not in CI.   N=250000 RUNS=3 bench/console-throughput.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PMJ=${PMJ:-$here/../pmj}
N=${N:-250000}
RUNS=${RUNS:-3}
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 2; }
work=$(mktemp -d /tmp/pmj-console-bench.XXXXXX)
trap 'tmux kill-session -t pmjbench 2>/dev/null || true; rm -rf "$work"' EXIT
"$PMJ" --version >/dev/null
line=$(printf 'x%.0s' $(seq 1 85))
{
  echo "processes:"
  for i in 1 2 3 4; do
    echo "  p$i:"
    echo "    command: sh -c 'yes $line | head -n $N'"
    echo "    restart: never"
  done
} >"$work/pmj.yaml"
run() { # name args
  local name=$1 args=$2
  rm -f "$work/t"
  tmux kill-session -t pmjbench 2>/dev/null || true
  tmux new-session -d -s pmjbench -x 200 -y 50 -c "$work" \
    "s=\$(date +%s%N); $PMJ up $args; e=\$(date +%s%N); echo \$((e-s)) >$work/t.tmp; mv $work/t.tmp $work/t; sleep 600"
  for _ in $(seq 1 1200); do [ -f "$work/t" ] && break; sleep 0.1; done
  [ -f "$work/t" ] || { echo "$name did not finish" >&2; tmux capture-pane -p -t pmjbench >&2; exit 1; }
  local ns; ns=$(cat "$work/t")
  awk -v ns="$ns" -v n=$((4 * N)) -v name="$name" 'BEGIN{printf "%s wall_s %.3f lines_per_s %.0f\n", name, ns/1e9, n/(ns/1e9)}'
  tmux kill-session -t pmjbench 2>/dev/null || true
}
for r in $(seq 1 "$RUNS"); do
  run plain "--no-console"
  run console ""
done | tee "$work/results"
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
mp=$(awk '$1=="plain"{print $3}' "$work/results" | median)
mc=$(awk '$1=="console"{print $3}' "$work/results" | median)
awk -v p="$mp" -v c="$mc" -v n=$((4 * N)) 'BEGIN{printf "median: plain %.3f s (%.0f lines/s), console %.3f s (%.0f lines/s): the console takes %.2fx the plain time (target <= 2x)\n", p, n/p, c, n/c, c/p}'
