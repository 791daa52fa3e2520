#!/usr/bin/env python3
"""Serves the greeting from greeting.py; prints it at start so a restart shows in the output."""
import http.server
import os

from greeting import GREETING

PORT = int(os.environ.get("HOT_PORT", "8001"))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = (GREETING + "\n").encode()
        self.send_response(200)
        self.send_header("content-type", "text/plain")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        print("server: " + fmt % args, flush=True)


print(f"server: {GREETING!r} on http://127.0.0.1:{PORT}/", flush=True)
http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
