"""`make bench`: run every benchmark script in turn and keep what each printed.

Each script measures one group of figures in docs/benchmarks.md. Their output goes to the
terminal and to benchmarks/results/<name>.txt, with the machine they ran on.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ("registry", ["bench_registry.py"]),
    ("tally", ["bench_tally.py"]),
    ("barter", ["bench_barter.py"]),
    ("clearing", ["bench_clearing.py", "--large"]),
]


def main() -> int:
    only = set(sys.argv[1:])
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    machine = f"{platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · {platform.platform()}"
    print(f"# Benchmarks on {machine}\n")
    failed = []
    for name, command in SCRIPTS:
        if only and name not in only:
            continue
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
        if completed.returncode:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
