"""Benchmark of the barter core: OR-Tools min-cost flow against the networkx baseline.

Run from the repository root: ``python benchmarks/bench_barter.py``. Times the
three public TradeMaximizer want lists (if ../shared/data/trademaximizer/ is
there) and seeded synthetic instances, including the scale goal of 10,000
items with 200,000 wants. Reports medians over a few repeats, the ratio, and
checks that both solvers reach the same (items traded, total rank). Prints a
Markdown table, then the same figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from minga.core.barter import (  # noqa: E402 - the path is set just above
    BarterProblem,
    BarterResult,
    Item,
    Want,
    parse_wantlist,
    solve,
    solve_with_networkx,
)

DATA = ROOT / ".." / "shared" / "data" / "trademaximizer"
# Popularity exponent of the synthetic wants: 1.3 leaves about half the items
# unwanted or unmatched, closer to the real files (a third to a half trade)
# than uniform wants, where nearly everything trades.
ZIPF = 1.3


def synthetic(items: int, wants_per_item: int, seed: int, items_per_user: int = 4) -> BarterProblem:
    """Items of ``items / items_per_user`` users; wants skewed towards popular items (Zipf-like),
    so that a realistic share of the items cannot trade."""
    rng = random.Random(seed)
    names = [f"S{k:05d}" for k in range(items)]
    popularity = list(range(items))
    rng.shuffle(popularity)
    cumulative: list[float] = []
    total = 0.0
    for k in range(items):
        total += 1.0 / (1 + popularity[k]) ** ZIPF
        cumulative.append(total)
    result: list[Item] = []
    for k, name in enumerate(names):
        chosen: dict[int, None] = {}
        while len(chosen) < wants_per_item:
            for j in rng.choices(range(items), cum_weights=cumulative, k=2 * wants_per_item):
                if j != k and len(chosen) < wants_per_item:
                    chosen[j] = None
        result.append(
            Item(
                name=name,
                owner=f"user{k // items_per_user}",
                wants=tuple(Want(names[j], r) for r, j in enumerate(chosen, start=1)),
            )
        )
    return BarterProblem(tuple(result))


def median_seconds(
    run: Callable[[], BarterResult], repeats: int
) -> tuple[float, list[float], BarterResult]:
    times: list[float] = []
    result: BarterResult | None = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(times), times, result


def bench_case(
    name: str, problem: BarterProblem, repeats: int, nx_repeats: int, parse_s: float
) -> dict[str, object]:
    wants = sum(len(item.wants) for item in problem.items)
    print(f"... {name}: {len(problem.items)} items, {wants} wants", file=sys.stderr, flush=True)
    ortools_s, ortools_all, fast = median_seconds(lambda: solve(problem), repeats)
    row: dict[str, object] = {
        "case": name,
        "items": len(problem.items),
        "wants": wants,
        "input_s": parse_s,
        "ortools_median_s": round(ortools_s, 4),
        "ortools_runs_s": [round(t, 4) for t in ortools_all],
        "items_traded": fast.items_traded,
        "total_rank": fast.total_rank,
        "cycles": len(fast.cycles),
    }
    if nx_repeats > 0:
        nx_s, nx_all, slow = median_seconds(lambda: solve_with_networkx(problem), nx_repeats)
        assert (slow.items_traded, slow.total_rank) == (fast.items_traded, fast.total_rank), name
        row["networkx_median_s"] = round(nx_s, 4)
        row["networkx_runs_s"] = [round(t, 4) for t in nx_all]
        row["ratio_networkx_over_ortools"] = round(nx_s / ortools_s, 1)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench_barter.py")
    parser.add_argument("--repeats", type=int, default=5, help="OR-Tools runs per case")
    parser.add_argument("--nx-repeats", type=int, default=3, help="networkx runs per case")
    args = parser.parse_args()

    rows: list[dict[str, object]] = []
    for filename in ("ask.txt", "xmas.txt", "onewant.txt"):
        path = DATA / filename
        if not path.is_file():
            print(f"skipping {filename}: {path} not found", file=sys.stderr)
            continue
        text = path.read_text(encoding="utf-8")
        start = time.perf_counter()
        parsed = parse_wantlist(text)
        parse_s = round(time.perf_counter() - start, 4)
        rows.append(bench_case(filename, parsed.problem, args.repeats, args.nx_repeats, parse_s))

    for items, seed in ((2_000, 1), (10_000, 42)):
        start = time.perf_counter()
        problem = synthetic(items, 20, seed=seed)
        build_s = round(time.perf_counter() - start, 4)
        name = f"synthetic {items:,} items x 20 wants"
        rows.append(bench_case(name, problem, args.repeats, args.nx_repeats, build_s))

    header = (
        "| case | items | wants | items traded | total rank | OR-Tools median s "
        "| networkx median s | networkx / OR-Tools |"
    )
    print(header)
    print("|" + "---|" * 8)
    for row in rows:
        nx_s = row.get("networkx_median_s", "not run")
        ratio = row.get("ratio_networkx_over_ortools", "-")
        print(
            f"| {row['case']} | {row['items']} | {row['wants']} | {row['items_traded']} "
            f"| {row['total_rank']} | {row['ortools_median_s']} | {nx_s} | {ratio} |"
        )
    print()
    machine = {"python": platform.python_version(), "machine": platform.machine()}
    print(json.dumps({"machine": machine, "repeats": args.repeats, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
