#!/usr/bin/env python3
"""Prints "tick N" every INTERVAL seconds (first argument, default 0.1) until stopped.

With a second argument "color", every line is red with ANSI codes. If MARKER_FILE is set,
appends "pid unix-time" to it at start, so tests can count starts.
"""
import os
import sys
import time

interval = float(sys.argv[1]) if len(sys.argv) > 1 else 0.1
color = len(sys.argv) > 2 and sys.argv[2] == "color"
marker = os.environ.get("MARKER_FILE")
if marker:
    with open(marker, "a") as f:
        f.write(f"{os.getpid()} {time.time():.3f}\n")
n = 0
while True:
    n += 1
    line = f"tick {n}"
    print(f"\033[31m{line}\033[0m" if color else line, flush=True)
    time.sleep(interval)
