#!/usr/bin/env bash
# What CPU and memory sampling costs with 100 processes: one sample measured alone
# (SamplerCost.java), and the whole of an idle pmj running 100 processes for 60 s (its CPU
# includes the sampling every 2 s and everything else pmj does when nothing happens).
# Run by hand, not in CI.   SECONDS_IDLE=120 bench/metrics-cost.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PMJ=${PMJ:-$here/../pmj}
IDLE=${SECONDS_IDLE:-60}
"$PMJ" --version >/dev/null
java -XX:TieredStopAtLevel=1 -cp "$here/../runner/target/pmj-run.jar" "$here/SamplerCost.java" 100
work=$(mktemp -d /tmp/pmj-bench-metrics.XXXXXX)
trap '(cd "$work" && "$PMJ" down >/dev/null 2>&1) || true; rm -rf "$work"' EXIT
{
  echo "processes:"
  for i in $(seq 1 100); do echo "  s$i: {command: sleep 1000}"; done
} > "$work/pmj.yaml"
(cd "$work" && setsid "$PMJ" up > "$work/pmj.out" 2>&1 &)
until grep -q "s100: started" "$work/pmj.out" 2>/dev/null && [ -f "$work/.pmj/state.json" ]; do sleep 0.2; done
pid=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['pid'])" "$work/.pmj/state.json")
sleep 5
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
t0=$(ticks)
sleep "$IDLE"
t1=$(ticks)
awk -v a="$t0" -v b="$t1" -v s="$IDLE" 'BEGIN { printf "pmj idle_cpu_percent_100_processes %.3f %% of one core over %d s\n", (b - a) / 100 / s * 100, s }'
echo "pmj rss_MB_100_processes $(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$pid/status)"
