"""Benchmark multilateral clearing: OR-Tools min-cost flow against a networkx baseline.

Usage::

    python benchmarks/bench_clearing.py [--large] [--repeats N] [--networkx-large]

Generates seeded random obligation networks that look like trade credit: a few hub
organizations (Pareto-distributed activity, so degrees are heavily skewed) that
both owe and are owed, and amounts spread log-uniformly from 1.00 to 100,000,000.00
(in minor units). Each case runs in a fresh child process so that its peak resident
memory (``ru_maxrss``) is its own: generating the input, clearing, building the
result. Times are medians over the repeats, end to end (``clear(obligations)``:
aggregation, solve, checks and result objects); the OR-Tools solve alone is shown
too. networkx is timed on the 100k case; on the 1M case only with
``--networkx-large`` because its pure-Python network simplex takes far longer
(about 11 minutes for one run on a 2-core x86-64 VM, against seconds for OR-Tools).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from minga.core.clearing import Obligation, clear
from minga.core.clearing.baseline import clear_with_networkx
from minga.core.clearing.solver import aggregate, minimal_remaining

CASES: dict[str, tuple[int, int]] = {
    "100k": (10_000, 100_000),
    "1m": (50_000, 1_000_000),
}
SEED = 20240611


def generate(organizations: int, obligations: int, seed: int = SEED) -> list[Obligation]:
    """A seeded, skewed random network of obligations."""
    rng = np.random.default_rng(seed)
    # Pareto activity: a few hubs take part in a large share of the obligations.
    # Debtor and creditor activity are correlated (big firms owe and are owed a
    # lot), which is what makes trade-credit networks rich in cycles.
    activity = rng.pareto(1.5, organizations) + 1.0
    noise = rng.lognormal(0.0, 0.5, organizations)
    as_debtor = activity * noise
    as_creditor = activity / noise
    debtors = rng.choice(organizations, obligations, p=as_debtor / as_debtor.sum())
    creditors = rng.choice(organizations, obligations, p=as_creditor / as_creditor.sum())
    # Redraw self-debts instead of dropping them so the count stays exact.
    while True:
        same = debtors == creditors
        if not same.any():
            break
        creditors[same] = rng.integers(0, organizations, int(same.sum()))
    amounts = np.exp(rng.uniform(np.log(100), np.log(10**10), obligations)).astype(np.int64)
    amounts = np.maximum(amounts, 1)
    names = [f"org{i:06d}" for i in range(organizations)]
    return [
        Obligation(names[d], names[c], a)
        for d, c, a in zip(debtors.tolist(), creditors.tolist(), amounts.tolist(), strict=True)
    ]


def timed(function: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run_case(name: str, repeats: int, with_networkx: bool) -> dict[str, Any]:
    """Run one case in this process and return its measurements."""
    organizations, count = CASES[name]
    start = time.perf_counter()
    obligations = generate(organizations, count)
    generate_s = time.perf_counter() - start

    ortools_s, result = timed(lambda: clear(obligations), repeats)
    network = aggregate(obligations)
    solve_s, _ = timed(lambda: minimal_remaining(network), repeats)
    row: dict[str, Any] = {
        "case": name,
        "organizations": organizations,
        "obligations": count,
        "edges": network.num_edges,
        "total_before": result.total_before,
        "total_after": result.total_after,
        "cleared": result.cleared,
        "percent_cleared": result.percent_cleared_text(),
        "generate_s": round(generate_s, 3),
        "ortools_s": round(ortools_s, 3),
        "ortools_solve_only_s": round(solve_s, 3),
        "repeats": repeats,
        "networkx_s": None,
        "ratio_networkx_over_ortools": None,
    }
    if with_networkx:
        # The baseline is slow; one run at 1M is already minutes, so never repeat it more
        # than the OR-Tools side.
        networkx_s, baseline = timed(lambda: clear_with_networkx(obligations), repeats)
        assert baseline.total_after == result.total_after, "solvers disagree on the optimum"
        row["networkx_s"] = round(networkx_s, 3)
        row["ratio_networkx_over_ortools"] = round(networkx_s / ortools_s, 1)
    # Linux reports ru_maxrss in KiB.
    row["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return row


def markdown(rows: list[dict[str, Any]]) -> str:
    header = (
        "| case | orgs | obligations | edges | cleared | OR-Tools end-to-end (s) "
        "| OR-Tools solve (s) | networkx (s) | networkx / OR-Tools | peak RSS (MiB) |"
    )
    lines = [header, "|" + "---|" * 10]
    for row in rows:
        networkx = "skipped" if row["networkx_s"] is None else f"{row['networkx_s']:.3f}"
        ratio = (
            "n/a"
            if row["ratio_networkx_over_ortools"] is None
            else f"{row['ratio_networkx_over_ortools']}x"
        )
        lines.append(
            f"| {row['case']} | {row['organizations']:,} | {row['obligations']:,} "
            f"| {row['edges']:,} | {row['percent_cleared']} % | {row['ortools_s']:.3f} "
            f"| {row['ortools_solve_only_s']:.3f} | {networkx} | {ratio} "
            f"| {row['peak_rss_mib']:,} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", action="store_true", help="also run 1,000,000 obligations")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per case (median)")
    parser.add_argument(
        "--networkx-large",
        action="store_true",
        help="also time networkx on the 1M case (slow)",
    )
    parser.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--networkx", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.case is not None:
        # Child mode: one case, one JSON line, so the parent gets clean peak memory.
        print(json.dumps(run_case(args.case, args.repeats, args.networkx)))
        return 0

    plan = [("100k", True)]
    if args.large:
        plan.append(("1m", args.networkx_large))
    rows = []
    for name, with_networkx in plan:
        command = [sys.executable, __file__, "--case", name, "--repeats", str(args.repeats)]
        if with_networkx:
            command.append("--networkx")
        print(f"running {name} ...", file=sys.stderr, flush=True)
        child = subprocess.run(command, check=True, capture_output=True, text=True)
        rows.append(json.loads(child.stdout.strip().splitlines()[-1]))

    print(markdown(rows))
    print()
    print(
        json.dumps(
            {
                "python": platform.python_version(),
                "machine": platform.machine(),
                "seed": SEED,
                "results": rows,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
