#!/usr/bin/env python3
"""Exits with code 1 at once, after one line on stderr. MARKER_FILE gets "pid unix-time" at each start."""
import os
import sys
import time

marker = os.environ.get("MARKER_FILE")
if marker:
    with open(marker, "a") as f:
        f.write(f"{os.getpid()} {time.time():.3f}\n")
print("crash: exiting with 1", file=sys.stderr, flush=True)
sys.exit(1)
