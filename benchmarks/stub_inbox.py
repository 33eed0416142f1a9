"""A stub of many remote servers' inboxes on one loopback port, for ``bench_fanout.py``.

Each request names its server in ``Host`` (``srv-N.test``). The server answers 202, except
the first POST to every twentieth server, which gets 503 (a server briefly down), so the
sender's retries are part of what is timed. ``GET /stats`` answers what arrived, as JSON.

    python benchmarks/stub_inbox.py PORT
"""

from __future__ import annotations

import json
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

posts: Counter[str] = Counter()
accepted: Counter[str] = Counter()
refused: Counter[str] = Counter()
lock = threading.Lock()


class Inbox(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        signed = "Signature" in self.headers and b'"type"' in body
        number = int(host.split("-")[1].split(".")[0]) if host.startswith("srv-") else -1
        with lock:
            posts[host] += 1
            first = posts[host] == 1
            if signed and not (first and number % 20 == 0):
                accepted[host] += 1
                status = 202
            else:
                refused[host] += 1
                status = 503 if signed else 400
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        with lock:
            stats = {"posts": sum(posts.values()), "accepted": dict(accepted)}
            stats["refused"] = dict(refused)
        body = json.dumps(stats).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Inbox)
    server.daemon_threads = True
    print("ready", flush=True)
    server.serve_forever()
