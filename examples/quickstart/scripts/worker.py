#!/usr/bin/env python3
"""The quickstart's worker: asks the API for a greeting every few seconds."""
import argparse
import json
import os
import time
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("--every", type=float, default=2.0)
args = parser.parse_args()
url = os.environ.get("API_URL", "http://127.0.0.1:3000") + "/hello"
print(f"worker: polling {url} every {args.every:g}s", flush=True)
while True:
    with urllib.request.urlopen(url, timeout=5) as response:
        body = json.load(response)
    print(f"worker: {body['greeting']} (hit {body['hits']})", flush=True)
    time.sleep(args.every)
