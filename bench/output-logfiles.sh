#!/usr/bin/env bash
# Output throughput of pmj without and with log files (3 of the 4 producers write a logFile),
# beside the bare shell, in one run: log writing must not slow the terminal path measurably.
# Run by hand, not in CI.   RUNS=5 bench/output-logfiles.sh
set -euo pipefail
source "$(dirname "$0")/peers.sh"
export SHARED_BENCH
here=$(cd "$(dirname "$0")" && pwd)
echo "# pmj without log files" >&2
TOOLS="baseline pmj" "$SHARED_BENCH/output-throughput.sh" | sed 's/^pmj /pmj-no-logfiles /'
echo "# pmj with 3 log files" >&2
PMJ_CONFIG_GEN="$here/gen-logfiles.sh" TOOLS="pmj" "$SHARED_BENCH/output-throughput.sh" | sed 's/^pmj /pmj-3-logfiles /'
