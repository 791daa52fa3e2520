#!/usr/bin/env python3
"""Exits with code 1 at once, after one line on stderr. MARKER_FILE counts starts."""
import os
import sys

marker = os.environ.get("MARKER_FILE")
if marker:
    with open(marker, "a") as f:
        f.write(f"{os.getpid()}\n")
print("crash: exiting with 1", file=sys.stderr, flush=True)
sys.exit(1)
