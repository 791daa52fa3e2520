#!/usr/bin/env bash
# The cost of devMode on a big tree: FOLDERS (5,000) folders holding FILES (50,000) files, plus a
# node_modules of 20,000 files that must cost nothing. Prints the time from launch until pmj says
# its watches are registered, pmj's RSS once they are, and a write -> restart check.
# Run by hand, not in CI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PMJ=${PMJ:-$here/../pmj}
FOLDERS=${FOLDERS:-5000}
FILES=${FILES:-50000}
work=$(mktemp -d /tmp/pmj-watch-tree.XXXXXX)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
"$PMJ" --version >/dev/null
python3 - "$work/tree" "$FOLDERS" "$FILES" <<'PY'
import os, sys
root, folders, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
dirs = []
for i in range(folders):
    d = os.path.join(root, f"pkg{i // 100}", f"mod{i}")
    os.makedirs(d, exist_ok=True)
    dirs.append(d)
for j in range(files):
    with open(os.path.join(dirs[j % folders], f"f{j}.py"), "w") as f:
        f.write("x = 1\n")
nm = os.path.join(root, "node_modules")
for k in range(200):
    d = os.path.join(nm, f"dep{k}")
    os.makedirs(d, exist_ok=True)
    for m in range(100):
        open(os.path.join(d, f"i{m}.js"), "w").close()
PY
cat >"$work/pmj.yaml" <<YAML
processes:
  app:
    command: sh -c 'echo started-\$(date +%s%N); exec sleep 1000'
    devMode: true
    watchPaths: [tree]
YAML
cd "$work"
start=$(date +%s%N)
"$PMJ" up --color=never >"$work/out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do grep -q "app: watching" "$work/out" && break; sleep 0.05; done
ready=$(date +%s%N)
grep "app: watching" "$work/out" || { echo "pmj never reported its watches" >&2; cat "$work/out" >&2; exit 1; }
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo "pmj watch_register_s $(awk -v a="$start" -v b="$ready" 'BEGIN{printf "%.3f", (b-a)/1e9}') s(launch_to_watching,${FOLDERS}_folders_${FILES}_files,includes_jvm_start)"
echo "pmj watch_rss_MB $(awk -v k="$rss" 'BEGIN{printf "%.1f", k/1024}') MB(with_the_tree_watched)"
before=$(grep -c started- "$work/out")
echo x >>"$work/tree/pkg7/mod700/f700.py"
for _ in $(seq 1 200); do [ "$(grep -c started- "$work/out")" -gt "$before" ] && break; sleep 0.05; done
echo "pmj watch_restart_after_write $([ "$(grep -c started- "$work/out")" -gt "$before" ] && echo yes || echo no)"
echo x >>"$work/tree/node_modules/dep3/i3.js"
