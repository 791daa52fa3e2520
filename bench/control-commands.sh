#!/usr/bin/env bash
# `pmj ps` and `pmj restart` against a running pmj with 10 processes, beside `pm2 ls` and
# `pm2 restart` against a pm2 daemon with 10 processes, in the same run (hyperfine, warm).
# Also the API's round trip (GET /api/processes, median of 100 warm requests).
# Run by hand, not in CI.   RUNS=30 bench/control-commands.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PMJ=${PMJ:-$here/../pmj}
RUNS=${RUNS:-20}
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
PM2=${PM2:-$(command -v pm2 || true)}
[ -n "$PM2" ] || { echo "# pm2 not installed (npm install -g pm2): only pmj is measured" >&2; }
"$PMJ" --version >/dev/null
work=$(mktemp -d /tmp/pmj-bench-control.XXXXXX)
export PM2_HOME=$work/pm2-home
cleanup() {
  (cd "$work" && "$PMJ" down >/dev/null 2>&1) || true
  [ -n "$PM2" ] && "$PM2" kill >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
{
  echo "processes:"
  for i in $(seq 1 10); do echo "  s$i: {command: sleep 1000}"; done
} > "$work/pmj.yaml"
(cd "$work" && setsid "$PMJ" up > "$work/pmj.out" 2>&1 &)
until grep -q "s10: started" "$work/pmj.out" 2>/dev/null && [ -f "$work/.pmj/state.json" ]; do sleep 0.1; done
echo "machine loadavg_start $(cut -d' ' -f1 /proc/loadavg)"
cd "$work"
hyperfine -N -w 3 -r "$RUNS" --export-json "$work/pmj.json" "$PMJ ps" "$PMJ restart s1" >&2
if [ -n "$PM2" ]; then
  for i in $(seq 1 10); do "$PM2" start sleep --name "s$i" -- 1000 >/dev/null; done
  hyperfine -N -w 3 -r "$RUNS" --export-json "$work/pm2.json" "$PM2 ls" "$PM2 restart s1" >&2
fi
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
for name in ("pmj", "pm2"):
    f = os.path.join(work, name + ".json")
    if not os.path.exists(f):
        continue
    for r in json.load(open(f))["results"]:
        cmd = " ".join(os.path.basename(w) if i == 0 else w for i, w in enumerate(r["command"].split()))
        print(f"{cmd.replace(' ', '_')} wall_s {r['median']:.3f} s(median_of_{len(r['times'])}) "
              f"range {min(r['times']):.3f}-{max(r['times']):.3f}")
PY
python3 "$here/api-roundtrip.py" "$work/.pmj/state.json"
echo "machine loadavg_end $(cut -d' ' -f1 /proc/loadavg)"
