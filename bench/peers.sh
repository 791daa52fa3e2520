#!/usr/bin/env bash
# Installs the tools pmj is compared with, when missing: foreman, entr (Debian), concurrently,
# nodemon (npm, under $PEERS_ROOT, default /tmp/peers/node). Sourced by the other scripts.
PEERS_ROOT=${PEERS_ROOT:-/tmp/peers/node}
export PEERS_BIN=${PEERS_BIN:-$PEERS_ROOT/node_modules/.bin}
install_peers() {
  local apt=() npm=()
  command -v foreman >/dev/null 2>&1 || apt+=(ruby-foreman)
  command -v entr >/dev/null 2>&1 || apt+=(entr)
  command -v tmux >/dev/null 2>&1 || apt+=(tmux)
  for t in concurrently nodemon; do [ -x "$PEERS_BIN/$t" ] || npm+=("$t"); done
  if [ ${#apt[@]} -gt 0 ]; then
    echo "# installing ${apt[*]} (apt)" >&2
    { apt-get update -qq && apt-get install -y -qq "${apt[@]}"; } >&2 || echo "# apt install failed" >&2
  fi
  if [ ${#npm[@]} -gt 0 ]; then
    echo "# installing ${npm[*]} (npm, $PEERS_ROOT)" >&2
    npm install --silent --prefix "$PEERS_ROOT" "${npm[@]}" >&2 || echo "# npm install failed" >&2
  fi
}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PMJ=${PMJ:-$here/../pmj}
SHARED_BENCH=${SHARED_BENCH:-$here/../../shared/bench}
[ -d "$SHARED_BENCH" ] || { echo "no benchmark harness at $SHARED_BENCH (set SHARED_BENCH)" >&2; exit 2; }
# Build pmj and its class-data archive before anything is timed.
"$PMJ" --version >/dev/null
