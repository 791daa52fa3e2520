#!/usr/bin/env bash
# 10 processes `sh -c 'echo ready-N; exec sleep 1000'` plus one with a grandchild, under pmj,
# concurrently and foreman: time from launch until all 10 ready lines are printed, time from
# SIGINT (to the runner alone, and to its process group as Ctrl-C does) to exit, orphans left.
# Run by hand, not in CI.   TRIALS=20 bench/startup-shutdown.sh
set -euo pipefail
source "$(dirname "$0")/peers.sh"
install_peers
TOOLS=${TOOLS:-"concurrently foreman pmj"} exec "$SHARED_BENCH/startup-latency.sh"
