#!/usr/bin/env python3
"""GET /api/processes on a running pmj, 100 times on one kept-alive connection after 20 warm-up
requests: median and 90th percentile of the round trip. Argument: the instance's .pmj/state.json."""
import http.client
import json
import statistics
import sys
import time

state = json.load(open(sys.argv[1]))
conn = http.client.HTTPConnection("127.0.0.1", state["port"])
headers = {"Authorization": "Bearer " + state["token"]}


def once():
    t = time.perf_counter()
    conn.request("GET", "/api/processes", headers=headers)
    r = conn.getresponse()
    r.read()
    assert r.status == 200, r.status
    return time.perf_counter() - t


for _ in range(20):
    once()
times = sorted(once() for _ in range(100))
print(f"pmj api_get_processes_ms {statistics.median(times) * 1000:.2f} ms(median_of_100) "
      f"p90 {times[89] * 1000:.2f}")
