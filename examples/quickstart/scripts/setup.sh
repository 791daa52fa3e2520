#!/bin/sh
# One-shot task: prepares what the others need, then exits 0 (restart: never).
echo "setup: preparing (log level $LOG_LEVEL)"
mkdir -p "$PMJ_PROJECT_DIR/.pmj"
echo "setup: done"
