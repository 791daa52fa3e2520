#!/usr/bin/env python3
"""Runs for 15 seconds (or the first argument, in seconds), then exits with code 1."""
import sys
import time

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 15.0
print(f"long_running: up for {seconds:g}s", flush=True)
time.sleep(seconds)
print("long_running: done, exiting with 1", flush=True)
sys.exit(1)
