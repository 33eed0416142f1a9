"""Benchmark ``minga clearing`` end to end, as users run it, on generated obligation files.

Usage::

    python benchmarks/bench_clearing.py [--large] [--runs N] [--networkx]

Generates seeded random obligation networks that look like trade credit: a few hub
organizations (Pareto-distributed activity, so degrees are heavily skewed) that
both owe and are owed, and amounts spread log-uniformly from 1.00 to 100,000,000.00
(in minor units). Each is written as a CSV file ``debtor,creditor,amount``, and then
``minga clearing --json FILE > report.json`` runs as a fresh process ``--runs`` times
(default 3): reading the file, clearing, writing ``setoff.csv``, ``positions.csv``
and ``report.json`` beside it and the JSON on stdout. Reported: wall-clock median,
minimum and maximum, CPU time, peak memory of the process, and the cleared totals,
which every run must agree on. The min-cost-flow solve alone is timed once in this
process for scale, and with ``--networkx`` the networkx baseline solves the 100k
network too (same optimum required).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from minga.core.clearing.parsing import read_obligation_columns
from minga.core.clearing.solver import aggregate_columns, minimal_remaining
from whole_process import describe, minga_command, run_once

CASES: dict[str, tuple[int, int]] = {
    "100k": (10_000, 100_000),
    "1m": (50_000, 1_000_000),
}
SEED = 20240611


def write_obligations(path: Path, organizations: int, obligations: int, seed: int = SEED) -> None:
    """A seeded, skewed random network of obligations, as a CSV file."""
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
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("debtor,creditor,amount\n")
        out.writelines(
            f"{names[d]},{names[c]},{a}\n"
            for d, c, a in zip(debtors.tolist(), creditors.tolist(), amounts.tolist(), strict=True)
        )


def run_case(name: str, runs: int, with_networkx: bool, directory: Path) -> dict[str, Any]:
    organizations, count = CASES[name]
    path = directory / f"obligations-{name}.csv"
    write_obligations(path, organizations, count)
    command = [*minga_command(), "clearing", "--json", str(path)]
    measured = []
    totals = set()
    for _ in range(runs):
        report = directory / f"report-{name}.json"
        with report.open("wb") as stdout:
            run = run_once(command, stdout=stdout)
        if run.status != 0:
            raise SystemExit(f"{' '.join(command)} exited with {run.status}")
        printed = json.loads(report.read_text(encoding="utf-8"))
        totals.add((printed["total_before"], printed["total_after"], printed["percent_cleared"]))
        measured.append(run)
    if len(totals) != 1:
        raise SystemExit(f"runs disagree on the cleared totals: {totals}")
    ((total_before, total_after, percent),) = totals

    network = aggregate_columns(read_obligation_columns(path))
    started = time.perf_counter()
    remaining = minimal_remaining(network)
    solve_s = time.perf_counter() - started
    assert int(remaining.sum()) == total_after
    row: dict[str, Any] = {
        "case": name,
        "organizations": organizations,
        "obligations": count,
        "edges": network.num_edges,
        "file_mib": round(path.stat().st_size / 2**20, 1),
        "total_before": total_before,
        "total_after": total_after,
        "cleared": total_before - total_after,
        "percent_cleared": percent,
        "command": " ".join(["minga", *command[len(minga_command()) :]]),
        **describe(measured),
        "solve_only_s": round(solve_s, 3),
    }
    if with_networkx:
        from minga.core.clearing.baseline import remaining_with_networkx

        started = time.perf_counter()
        baseline = remaining_with_networkx(network)
        row["networkx_solve_s"] = round(time.perf_counter() - started, 3)
        assert int(baseline.sum()) == total_after, "solvers disagree on the optimum"
    return row


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| case | obligations | pairs | cleared | `minga clearing --json` wall (median, min–max) "
        "| CPU | peak memory | solve alone | networkx solve |",
        "|" + "---|" * 9,
    ]
    for row in rows:
        wall, cpu, peak = row["wall_s"], row["cpu_s"], row["peak_mib"]
        networkx = row.get("networkx_solve_s")
        lines.append(
            f"| {row['case']} | {row['obligations']:,} | {row['edges']:,} "
            f"| {row['percent_cleared']} % "
            f"| {wall['median']:.2f} s ({wall['min']:.2f}–{wall['max']:.2f}) "
            f"| {cpu['median']:.2f} s | {peak['median']:,.0f} MiB "
            f"| {row['solve_only_s']:.2f} s "
            f"| {'not run' if networkx is None else f'{networkx:.2f} s'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--large", action="store_true", help="also run 1,000,000 obligations")
    parser.add_argument("--runs", type=int, default=3, help="whole-process runs per case")
    parser.add_argument(
        "--networkx", action="store_true", help="also solve the 100k case with networkx"
    )
    args = parser.parse_args(argv)

    rows = []
    with tempfile.TemporaryDirectory(prefix="minga-bench-clearing-") as directory:
        for name in ["100k", "1m"] if args.large else ["100k"]:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            with_networkx = args.networkx and name == "100k"
            rows.append(run_case(name, args.runs, with_networkx, Path(directory)))

    print(markdown(rows))
    print()
    machine = {"python": platform.python_version(), "machine": platform.machine()}
    print(json.dumps({"machine": machine, "seed": SEED, "results": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
