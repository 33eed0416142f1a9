"""`make bench`: run every benchmark script in turn and keep what each printed.

Each script measures one group of figures in docs/benchmarks.md. Their output goes to the
terminal and to benchmarks/results/<name>.txt, with the machine they ran on.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ("registry", ["bench_registry.py"]),
    ("ledger-sqlite", ["bench_ledger.py"]),
    ("ledger-postgresql", ["bench_ledger.py", "--database-url", "{postgres}"]),
    ("assemblies", ["bench_assemblies.py"]),
    ("congress-sqlite", ["bench_congress.py"]),
    ("congress-postgresql", ["bench_congress.py", "--database-url", "{postgres}"]),
    ("comms", ["bench_comms.py"]),
    ("fanout", ["bench_fanout.py"]),
    ("tally", ["bench_tally.py"]),
    ("barter", ["bench_barter.py"]),
    ("clearing", ["bench_clearing.py", "--large"]),
    ("library", ["bench_library.py"]),
    ("seeds", ["bench_seeds.py"]),
    ("education", ["bench_education.py"]),
    ("funds", ["bench_funds.py"]),
]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT = 54411


@contextlib.contextmanager
def postgres() -> Iterator[str | None]:
    """A throw-away PostgreSQL 15 server on a private port, run as the postgres user
    (it refuses root); None where it cannot be started here."""
    su = shutil.which("su")
    if not (PG_BIN / "initdb").exists() or os.geteuid() != 0 or su is None:
        yield None
        return
    directory = Path(tempfile.mkdtemp(prefix="minga-bench-pg-"))
    shutil.chown(directory, "postgres", "postgres")

    def as_postgres(command: str) -> None:
        subprocess.run(
            [su, "postgres", "-s", "/bin/sh", "-c", command], check=True, capture_output=True
        )

    try:
        as_postgres(f"{PG_BIN}/initdb -D {directory}/data -U postgres -A trust -E UTF8")
        as_postgres(
            f"{PG_BIN}/pg_ctl -D {directory}/data -l {directory}/log -w "
            f"-o '-p {PG_PORT} -k {directory} -c listen_addresses=127.0.0.1' start"
        )
        as_postgres(f"{PG_BIN}/createdb -h 127.0.0.1 -p {PG_PORT} -U postgres minga_bench")
        yield f"postgres://postgres@127.0.0.1:{PG_PORT}/minga_bench"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            as_postgres(f"{PG_BIN}/pg_ctl -D {directory}/data -m fast stop")
        shutil.rmtree(directory, ignore_errors=True)


def main() -> int:
    only = set(sys.argv[1:])
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    machine = f"{platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · {platform.platform()}"
    print(f"# Benchmarks on {machine}\n")
    failed = []
    with postgres() as postgres_url:
        for name, command in SCRIPTS:
            if only and name not in only:
                continue
            if "{postgres}" in command and postgres_url is None:
                print(f"## {name}\n\nskipped: no PostgreSQL 15 server can be started here\n")
                continue
            failed += run(
                name,
                [part.replace("{postgres}", postgres_url or "") for part in command],
                results,
                machine,
            )
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


def run(name: str, command: list[str], results: Path, machine: str) -> list[str]:
    """Run one benchmark script; returns [name] if it failed."""
    print(f"## {name}\n", flush=True)
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, str(HERE / command[0]), *command[1:]],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    output = completed.stdout + (completed.stderr if completed.returncode else "")
    print(output)
    print(f"({name}: {elapsed:.0f} s wall, exit {completed.returncode})\n", flush=True)
    (results / f"{name}.txt").write_text(f"{machine}\n\n{output}")
    return [name] if completed.returncode else []


if __name__ == "__main__":
    sys.exit(main())
