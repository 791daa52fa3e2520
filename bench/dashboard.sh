#!/usr/bin/env bash
# Figures of the dashboard in headless Chromium (Debian's chromium and chromium-driver): page
# weight, time to a filled table of 100 processes, frames per second and long tasks while one
# of them writes about 1,000 lines a second into the log view. Run by hand, not in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q test -Dtest=DashboardLoadBench -Dpmj.bench=true -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep '^dashboard '
