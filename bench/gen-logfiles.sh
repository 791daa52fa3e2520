#!/bin/sh
# PMJ_CONFIG_GEN for output-logfiles.sh: the harness's default pmj.yaml, with p1, p2 and p3 also
# writing their output to log files (p4 writes none).
set -e
"$SHARED_BENCH/gen-pmj-yaml.sh" "$1" "$2" | awk -v dir="$2/logs" '
  { print }
  /^  p[123]:$/ { name = substr($1, 1, 2); print "    logFile: \"" dir "/" name ".log\"" }
'
