"""The app server's configuration, read by gunicorn (``-c python:minga.gunicorn``).

``make run``, the deployment guide and the load benchmark use it, so what is measured is what
runs. Workers are processes (one per core, and one more, so a core is never idle while one
waits on the database); two threads in each let a worker serve one request while another
waits on the database or on SQLite's single writer. More threads made a busy server slower:
CPU-bound threads of one process take turns on Python's global lock, and with eight a
request cost more CPU and waited longer (docs/benchmarks.md, "A Congress vote": 1,000
casts with 200 readers on 2 cores, 3 × 2 against 3 × 8: 13.9 / 19.0 s against 23.4 / 26.5 s
on SQLite). Slow clients do not hold the threads in production: the reverse proxy buffers
requests and answers. ``MINGA_WORKERS`` and ``MINGA_THREADS`` override the counts.
"""

from __future__ import annotations

import os

cores = os.cpu_count() or 1
workers = int(os.environ.get("MINGA_WORKERS", cores + 1))
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
