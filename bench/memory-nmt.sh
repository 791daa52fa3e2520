#!/usr/bin/env bash
# pmj's own memory with N idle processes (default 10 and 100): resident set, threads (by name,
# numbers stripped) and the JVM's Native Memory Tracking summary, 5 s after all N are up.
# PMJ picks the launcher (another checkout's pmj to compare). KINDS=interactive gives each process
# a terminal of its own (interactive: true), KINDS="plain interactive" measures both.
# Run by hand, not in CI.
#   bench/memory-nmt.sh           SIZES=100 PMJ=/other/pmj bench/memory-nmt.sh
#   SIZES=10 KINDS="plain interactive" bench/memory-nmt.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PMJ=${PMJ:-$here/../pmj}
SIZES=${SIZES:-"10 100"}
KINDS=${KINDS:-plain}
"$PMJ" --version >/dev/null
jcmd=$(command -v jcmd || true)
for kind in $KINDS; do
for n in $SIZES; do
  extra=""
  [ "$kind" = interactive ] && extra=", interactive: true"
  work=$(mktemp -d /tmp/pmj-bench-nmt.XXXXXX)
  {
    echo "processes:"
    for i in $(seq 1 "$n"); do echo "  s$i: {command: sleep 1000$extra}"; done
  } >"$work/pmj.yaml"
  (cd "$work" && JAVA_TOOL_OPTIONS=-XX:NativeMemoryTracking=summary setsid "$PMJ" up >"$work/out" 2>&1 &)
  until [ "$(grep -c ': started' "$work/out" 2>/dev/null)" -ge "$n" ]; do sleep 0.1; done
  sleep 5
  # This run's pmj: the one whose folder is $work (others may run on the machine).
  pid=""
  for p in $(pgrep -f "java.*pmj-run.jar up"); do
    [ "$(readlink "/proc/$p/cwd")" = "$work" ] && pid=$p
  done
  [ -n "$pid" ] || { echo "no pmj found for $work" >&2; exit 1; }
  java_bin=$(readlink -f "/proc/$pid/exe")
  jcmd=$(dirname "$java_bin")/jcmd
  echo "$kind n=$n rss_MB $(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status") threads $(awk '/Threads/ {print $2}' "/proc/$pid/status") java $java_bin"
  for t in /proc/"$pid"/task/*; do cat "$t/comm"; done | sed 's/[-0-9]*$//' | sort | uniq -c | sort -rn | head -8 | sed 's/^/  threads /'
  [ -x "$jcmd" ] && "$jcmd" "$pid" VM.native_memory summary | grep -E '^Total|^-' | sed 's/^/  nmt /'
  (cd "$work" && "$PMJ" down >/dev/null 2>&1) || kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -rf "$work"
done
done
