#!/usr/bin/env bash
# 4 producers x 1,000,000 lines of 85 characters, under pmj, concurrently, foreman and a bare
# shell (p & p & p & p & wait), output to /dev/null (timed runs) and to a file (verified):
# wall and CPU seconds, lines/s, broken (torn) and lost lines. Run by hand, not in CI.
#   bench/output-throughput.sh            RUNS=5 TOOLS="baseline pmj" bench/output-throughput.sh
set -euo pipefail
source "$(dirname "$0")/peers.sh"
install_peers
TOOLS=${TOOLS:-"baseline concurrently foreman pmj"} exec "$SHARED_BENCH/output-throughput.sh"
