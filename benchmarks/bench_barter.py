"""Benchmark ``minga barter`` end to end, beside TradeMaximizer when its jar is given.

Usage, from the repository root::

    python benchmarks/bench_barter.py [--runs N] [--trademaximizer JAR]

Cases: the three public TradeMaximizer want lists (ask.txt, xmas.txt, onewant.txt, if
``../shared/data/trademaximizer/`` is there) and two seeded synthetic barters written
in the same want-list syntax, of 2,000 items with 40,000 wants and of 10,000 items with
200,000 wants. Each case runs ``minga barter --json FILE`` and, when a jar is given,
``java -jar JAR < FILE`` as fresh processes, taking turns, ``--runs`` times each
(default 3): wall-clock median, minimum and maximum, CPU time and peak memory, and the
number of items each traded, which must be equal.

TradeMaximizer (Chris Okasaki's Java program, https://github.com/chrisokasaki/TradeMaximizer)
is not part of this repository: build its jar yourself and pass its path with
``--trademaximizer`` or the ``TRADEMAXIMIZER_JAR`` environment variable. Without it
only Minga is measured, and the output says so. Note that its default search takes
minutes on the 10,000-item case; ``--peer-timeout`` bounds each of its runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from minga.core.barter import parse_wantlist
from whole_process import Run, describe, minga_command, run_once

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "trademaximizer"
PUBLIC = ("ask.txt", "xmas.txt", "onewant.txt")
SYNTHETIC = ((2_000, 1), (10_000, 42))
WANTS_PER_ITEM = 20
# Popularity exponent of the synthetic wants: 1.3 leaves about half the items
# unwanted or unmatched, closer to the real files (a third to a half trade)
# than uniform wants, where nearly everything trades.
ZIPF = 1.3
TM_TRADES = re.compile(r"Num trades\s*=\s*(\d+) of (\d+) items")


def write_synthetic(
    path: Path, items: int, wants_per_item: int, seed: int, items_per_user: int = 4
) -> None:
    """Items of ``items / items_per_user`` users; wants skewed towards popular items
    (Zipf-like), so that a realistic share of the items cannot trade. Written with
    usernames and colons, as ``(user) ITEM : WANT ...``."""
    rng = random.Random(seed)
    names = [f"S{k:05d}" for k in range(items)]
    popularity = list(range(items))
    rng.shuffle(popularity)
    cumulative: list[float] = []
    total = 0.0
    for k in range(items):
        total += 1.0 / (1 + popularity[k]) ** ZIPF
        cumulative.append(total)
    with path.open("w", encoding="utf-8") as out:
        out.write("#! REQUIRE-COLONS REQUIRE-USERNAMES\n")
        for k, name in enumerate(names):
            chosen: dict[int, None] = {}
            while len(chosen) < wants_per_item:
                for j in rng.choices(range(items), cum_weights=cumulative, k=2 * wants_per_item):
                    if j != k and len(chosen) < wants_per_item:
                        chosen[j] = None
            wants = " ".join(names[j] for j in chosen)
            out.write(f"(user{k // items_per_user}) {name} : {wants}\n")


def minga_run(path: Path, output: Path) -> tuple[Run, int]:
    with output.open("wb") as stdout:
        run = run_once([*minga_command(), "barter", "--json", str(path)], stdout=stdout)
    if run.status != 0:
        raise SystemExit(f"minga barter {path} exited with {run.status}")
    return run, json.loads(output.read_text(encoding="utf-8"))["items_traded"]


def trademaximizer_run(
    java: str, jar: Path, path: Path, output: Path, timeout: float
) -> tuple[Run, int | None]:
    with path.open("rb") as stdin, output.open("wb") as stdout:
        run = run_once([java, "-jar", str(jar)], stdin=stdin, stdout=stdout, timeout=timeout)
    found = TM_TRADES.search(output.read_text(encoding="utf-8", errors="replace"))
    if run.timed_out or found is None:
        return run, None
    return run, int(found.group(1))


def bench_case(
    name: str,
    path: Path,
    runs: int,
    peer: tuple[str, Path] | None,
    peer_timeout: float,
    scratch: Path,
) -> dict[str, Any]:
    table = parse_wantlist(path.read_text(encoding="utf-8")).table
    print(f"... {name}", file=sys.stderr, flush=True)
    ours: list[Run] = []
    theirs: list[Run] = []
    traded: set[int] = set()
    peer_traded: set[int | None] = set()
    for _ in range(runs):
        # Taking turns keeps a drift of the machine's speed out of the ratio.
        run, items = minga_run(path, scratch / "minga.json")
        ours.append(run)
        traded.add(items)
        if peer is not None:
            run, peer_items = trademaximizer_run(*peer, path, scratch / "tm.txt", peer_timeout)
            theirs.append(run)
            peer_traded.add(peer_items)
            if peer_items is None:
                break  # timed out or failed: one such run says enough
    if len(traded) != 1:
        raise SystemExit(f"{name}: minga runs disagree on the items traded: {traded}")
    row: dict[str, Any] = {
        "case": name,
        "items": len(table.names),
        "wants": len(table.wanted),
        "items_traded": traded.pop(),
        "minga": describe(ours),
    }
    if peer is not None:
        row["trademaximizer"] = describe(theirs)
        row["trademaximizer_items_traded"] = sorted(peer_traded, key=lambda x: x or -1)
        finished = [run for run in theirs if not run.timed_out and run.status == 0]
        if len(finished) == len(ours):
            ratios = [them.wall_s / us.wall_s for us, them in zip(ours, theirs, strict=True)]
            row["ratio_trademaximizer_over_minga"] = round(statistics.median(ratios), 2)
        if peer_traded - {None} - {row["items_traded"]}:
            row["disagreement"] = (
                f"TradeMaximizer traded {sorted(peer_traded, key=lambda x: x or -1)}, "
                f"minga {row['items_traded']}"
            )
    return row


def fmt(summary: dict[str, Any]) -> str:
    wall = summary["wall_s"]
    return f"{wall['median']:.2f} s ({wall['min']:.2f}–{wall['max']:.2f})"


def markdown(rows: list[dict[str, Any]], with_peer: bool) -> str:
    header = "| case | items | wants | items traded | minga wall (median, min–max) | minga peak |"
    if with_peer:
        header += " TradeMaximizer wall | TM peak | TM items traded | TM / minga |"
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for row in rows:
        line = (
            f"| {row['case']} | {row['items']:,} | {row['wants']:,} | {row['items_traded']:,} "
            f"| {fmt(row['minga'])} | {row['minga']['peak_mib']['median']:.0f} MiB |"
        )
        if with_peer:
            tm = row["trademaximizer"]
            timed_out = row["trademaximizer_items_traded"] == [None]
            line += (
                f" {'timed out: ' if timed_out else ''}{fmt(tm)} "
                f"| {tm['peak_mib']['median']:.0f} MiB "
                f"| {', '.join(str(x) for x in row['trademaximizer_items_traded'])} "
                f"| {row.get('ratio_trademaximizer_over_minga', '-')} |"
            )
        lines.append(line)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_barter.py")
    parser.add_argument("--runs", type=int, default=3, help="whole-process runs per program")
    parser.add_argument(
        "--trademaximizer",
        metavar="JAR",
        default=os.environ.get("TRADEMAXIMIZER_JAR"),
        help="TradeMaximizer's tm.jar (default: $TRADEMAXIMIZER_JAR)",
    )
    parser.add_argument(
        "--peer-timeout",
        type=float,
        default=1800,
        help="seconds before a TradeMaximizer run is stopped (default 1800)",
    )
    args = parser.parse_args(argv)

    peer: tuple[str, Path] | None = None
    java = shutil.which("java")
    if not args.trademaximizer:
        print(
            "TradeMaximizer: not run: no jar given (--trademaximizer JAR or "
            "TRADEMAXIMIZER_JAR); only minga is measured.\n"
        )
    elif not Path(args.trademaximizer).is_file():
        print(f"TradeMaximizer: not run: {args.trademaximizer} is not a file.\n")
    elif java is None:
        print("TradeMaximizer: not run: no java on PATH.\n")
    else:
        peer = (java, Path(args.trademaximizer))
        version = subprocess.run(
            [java, "-version"], capture_output=True, text=True, check=False
        ).stderr.splitlines()[0]
        print(f"TradeMaximizer: {args.trademaximizer}, {version}\n")

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="minga-bench-barter-") as directory:
        scratch = Path(directory)
        cases: list[tuple[str, Path]] = []
        for filename in PUBLIC:
            if (DATA / filename).is_file():
                cases.append((filename, DATA / filename))
            else:
                print(f"skipping {filename}: {DATA / filename} not found", file=sys.stderr)
        for items, seed in SYNTHETIC:
            path = scratch / f"synthetic-{items}.txt"
            write_synthetic(path, items, WANTS_PER_ITEM, seed)
            cases.append((f"synthetic {items:,} items", path))
        for name, path in cases:
            rows.append(bench_case(name, path, args.runs, peer, args.peer_timeout, scratch))

    print(markdown(rows, peer is not None))
    print()
    machine = {"python": platform.python_version(), "machine": platform.machine()}
    print(json.dumps({"machine": machine, "runs": args.runs, "rows": rows}, indent=2))
    disagreements = [row["disagreement"] for row in rows if "disagreement" in row]
    for message in disagreements:
        print(f"items traded differ: {message}", file=sys.stderr)
    return 1 if disagreements else 0


if __name__ == "__main__":
    raise SystemExit(main())
