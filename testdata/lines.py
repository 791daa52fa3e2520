#!/usr/bin/env python3
"""Writes N numbered lines (default 200000) as fast as it can: "<tag> <n> <padding>"."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
tag = sys.argv[2] if len(sys.argv) > 2 else "line"
out = sys.stdout
pad = "x" * 40
for i in range(1, n + 1):
    out.write(f"{tag} {i} {pad}\n")
out.flush()
