#!/usr/bin/env python3
"""Crashes with exit code 1, at once or after --after seconds."""
import argparse
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--after", type=float, default=0.0)
args = parser.parse_args()
print(f"flaky: starting, will crash in {args.after:g}s", flush=True)
time.sleep(args.after)
print("flaky: crashing now", file=sys.stderr, flush=True)
sys.exit(1)
