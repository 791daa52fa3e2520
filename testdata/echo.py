#!/usr/bin/env python3
"""Prints its arguments (or "hello"), then keeps running until stopped.

If MARKER_FILE is set, appends one line ("pid unix-time") to it at start, so tests can count starts.
"""
import os
import sys
import time

marker = os.environ.get("MARKER_FILE")
if marker:
    with open(marker, "a") as f:
        f.write(f"{os.getpid()} {time.time():.3f}\n")
print(" ".join(sys.argv[1:]) or "hello", flush=True)
while True:
    time.sleep(3600)
