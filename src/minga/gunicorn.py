"""The app server's configuration, read by gunicorn (``-c python:minga.gunicorn``).

``make run``, the deployment guide and the load benchmark use it, so what is measured is what
runs. One worker process per core, two threads in each: a worker serves one request while
another waits on the database or on SQLite's single writer. More made a busy server slower:
CPU-bound threads of one process take turns on Python's global lock, and a spare process
takes CPU from the database server beside it, so each request cost more CPU and waited
longer (docs/benchmarks.md, "A Congress vote": 1,000 casts with 200 readers on 2 cores,
p95 of the casts 1.4 s with 2 × 2 against 1.8 s with 3 × 2 and 2.2–3.0 s with 3 × 8 on
SQLite; 1.8–1.9 s against 2.1–3.2 s and 3.6–4.6 s on PostgreSQL). Slow clients do not hold
the threads in production: the reverse proxy buffers requests and answers.
``MINGA_WORKERS`` and ``MINGA_THREADS`` override the counts.
"""

from __future__ import annotations

import os

cores = os.cpu_count() or 1
workers = int(os.environ.get("MINGA_WORKERS", cores))
threads = int(os.environ.get("MINGA_THREADS", 2))
worker_class = "gthread"
# A vote or an upload on a slow connection must not be cut off; a hung request still ends.
timeout = 120
graceful_timeout = 30
keepalive = 5
forwarded_allow_ips = "127.0.0.1"
# Each worker touches its heartbeat file at every turn of its loop; on a disk that write
# can wait (gunicorn's own advice), in memory it cannot.
# gunicorn makes that file with mkstemp and unlinks it at once, so a shared directory is safe.
_IN_MEMORY = "/dev/shm"  # noqa: S108
if os.path.isdir(_IN_MEMORY) and os.access(_IN_MEMORY, os.W_OK):
    worker_tmp_dir = _IN_MEMORY
