#!/usr/bin/env python3
"""Allocates and touches N megabytes (first argument, default 64), says so, then keeps running."""
import sys
import time

mb = int(sys.argv[1]) if len(sys.argv) > 1 else 64
block = bytearray(mb * 1024 * 1024)
for i in range(0, len(block), 4096):
    block[i] = 1
print(f"alloc: holding {mb} MB", flush=True)
while True:
    time.sleep(3600)
