"""Timing whole processes as users run them, for the command-line benchmarks.

Each run is a fresh process, started and waited for here: its wall-clock time (start to
exit, start-up and imports included), its CPU time and its peak resident memory, the
last two as the kernel accounts them for that one child (``os.wait4``). Figures are
reported as the median with the minimum and maximum, so one slow or lucky run moves
nothing and the spread shows how noisy the machine was.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float
    peak_mib: float
    status: int
    timed_out: bool = False


def run_once(
    command: Sequence[str],
    *,
    stdin: IO[bytes] | None = None,
    stdout: IO[bytes] | None = None,
    timeout: float | None = None,
) -> Run:
    """Run ``command`` once (stderr discarded) and measure it; kill it after ``timeout`` s."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        stdout=stdout if stdout is not None else subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_environment(),
    )
    timer = threading.Timer(timeout, process.kill) if timeout else None
    if timer is not None:
        timer.start()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if timer is not None:
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        # Linux reports ru_maxrss in KiB.
        peak_mib=usage.ru_maxrss / 1024,
        status=process.returncode,
        timed_out=process.returncode < 0 and timeout is not None and wall >= timeout,
    )


def _environment() -> dict[str, str]:
    # The checkout's own code, whether or not the package is installed.
    path = os.environ.get("PYTHONPATH")
    source = str(ROOT / "src")
    return {**os.environ, "PYTHONPATH": source if not path else f"{source}{os.pathsep}{path}"}


def minga_command() -> list[str]:
    """``minga`` as users start it: the console script beside this Python if installed."""
    script = Path(sys.executable).with_name("minga")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "minga.cli"]


def spread(values: Sequence[float]) -> dict[str, float]:
    """Median, minimum and maximum, rounded for reports."""
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def describe(runs: Sequence[Run]) -> dict[str, object]:
    return {
        "runs": len(runs),
        "wall_s": spread([run.wall_s for run in runs]),
        "cpu_s": spread([run.cpu_s for run in runs]),
        "peak_mib": spread([run.peak_mib for run in runs]),
    }
