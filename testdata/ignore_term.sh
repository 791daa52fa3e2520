#!/bin/sh
# Ignores SIGTERM, so only SIGKILL after stopTimeout ends it.
trap '' TERM
echo "ignore_term: ignoring TERM"
while :; do sleep 1; done
