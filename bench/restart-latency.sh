#!/usr/bin/env bash
# Latency from a file write to the restarted process's first output line, median and max over
# TRIALS (20) writes: pmj with its default debounce (50ms) and with `debounce: 0ms`, beside
# nodemon and entr in the same run. Then the cost of watching a big tree (watch-tree.sh).
# Run by hand, not in CI.   TRIALS=40 bench/restart-latency.sh
set -euo pipefail
source "$(dirname "$0")/peers.sh"
install_peers
echo "# nodemon, entr, and pmj with the default debounce" >&2
TOOLS=${TOOLS:-"nodemon entr pmj"} "$SHARED_BENCH/restart-on-change.sh"
echo "# pmj with debounce: 0ms" >&2
TOOLS=pmj PMJ_DEBOUNCE=0ms "$SHARED_BENCH/restart-on-change.sh" | sed 's/^pmj /pmj-debounce0 /'
"$(dirname "$0")/watch-tree.sh"
