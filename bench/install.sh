#!/usr/bin/env bash
# The install archives (dist/target/, made by mvn verify): their sizes; `pmj --version` and
# `pmj validate` of the unpacked image beside the source checkout's launcher (median of RUNS,
# default 10, after one untimed start); pmj's resident memory 5 s after N `sleep`s are up
# (N in SIZES, default "10 100"; targets 48 and 60 MB), from the image, spelled `pmj up` and
# `pmj -f FILE up` (and the source checkout's, spelled `pmj up`, beside it). The image is unpacked into a temporary folder with a fresh HOME.
# Run by hand, not in CI:   bench/install.sh        RUNS=20 SIZES=10 bench/install.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
RUNS=${RUNS:-10}
SIZES=${SIZES:-"10 100"}
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -n 1)
dist=$root/dist/target
image=$(ls "$dist"/pmj-"$version"-*-*.tar.gz | head -n 1)
work=$(mktemp -d /tmp/pmj-bench-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home
mkdir -p "$HOME" "$work/install" "$work/project"

mb() { awk -v b="$1" 'BEGIN{printf "%.1f", b/1048576}'; }
for a in "$image" "$dist/pmj-$version.tar.gz" "$dist/pmj-$version.zip"; do
  echo "size $(basename "$a") $(mb "$(wc -c <"$a")") MB"
done
tar -C "$work/install" -xzf "$image"
installed=$work/install/pmj-$version
echo "size unpacked image $(mb "$(du -sb "$installed" | cut -f1)") MB (runtime $(mb "$(du -sb "$installed/runtime" | cut -f1)") MB, caches $(mb "$(du -sb "$installed/lib/cache" | cut -f1)") MB)"

median_ms() { # COMMAND...: median wall time of RUNS runs, in ms
  local i t0 t1 times=()
  "$@" >/dev/null 2>&1 || true
  for ((i = 0; i < RUNS; i++)); do
    t0=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || true
    t1=$EPOCHREALTIME
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", (b-a)*1000}')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'
}
printf 'version: 1\nprocesses:\n  a: {command: sleep 1000}\n' >"$work/project/pmj.yaml"
cd "$work/project"
for launcher in "$installed/bin/pmj" "$root/pmj"; do
  echo "time $launcher --version $(median_ms "$launcher" --version) ms, validate $(median_ms "$launcher" validate) ms (median of $RUNS)"
done

rss() { # LAUNCHER N SPELLING: pmj's RSS 5 s after N sleeps are up
  local pmj=$1 n=$2 spelling=$3 dir=$work/up$2 pid
  shift
  mkdir -p "$dir"
  {
    echo "processes:"
    for i in $(seq 1 "$n"); do echo "  s$i: {command: sleep 1000}"; done
  } >"$dir/pmj.yaml"
  if [ "$spelling" = up ]; then
    (cd "$dir" && exec "$pmj" up >"$dir/out" 2>&1 </dev/null) &
  else
    (cd "$work" && exec "$pmj" -f "$dir/pmj.yaml" up >"$dir/out" 2>&1 </dev/null) &
  fi
  pid=$!
  until [ "$(grep -c ': started' "$dir/out" 2>/dev/null || true)" -ge "$n" ] 2>/dev/null; do sleep 0.1; done
  sleep 5
  echo "rss $pmj $spelling, $n sleeps: $(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status") MB ($(readlink "/proc/$pid/exe"))"
  kill -TERM "$pid"
  wait "$pid" || true
}
for n in $SIZES; do
  rss "$installed/bin/pmj" "$n" up
  rss "$root/pmj" "$n" up
done
rss "$installed/bin/pmj" 10 "-f FILE up"
# Nothing was made in the user's cache folder: the image's own caches served every start.
echo "user cache folder: $(find "$HOME" -type f | wc -l) files"
