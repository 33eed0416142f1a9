"""Benchmark the ranked counts of minga.core.tally on a million generated ballots.

Ballots are drawn from a Plackett-Luce model (candidate "strengths" fall off
geometrically, so some candidates are popular and most rankings differ) and truncated to
a random length, as real voters rank only some candidates. Counting starts from ballot
objects already in memory: parsing is not timed, grouping identical ballots is.

    python benchmarks/bench_tally.py [--ballots 1000000] [--candidates 20] [--seats 5]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from minga.core.tally import RankedBallot, TallyResult, irv, stv


def generate_ballots(
    ballot_count: int, candidate_count: int, seed: int
) -> tuple[tuple[str, ...], list[RankedBallot]]:
    """Plackett-Luce rankings via the Gumbel-max trick, truncated to a random length."""
    rng = random.Random(seed)
    names = tuple(f"Candidate {index + 1:02d}" for index in range(candidate_count))
    log_strengths = [-0.25 * index for index in range(candidate_count)]
    lengths = list(range(1, candidate_count + 1))
    # Short rankings are commoner than full ones, as in real STV elections.
    length_weights = [1.0 / (length**0.7) for length in lengths]
    ballots: list[RankedBallot] = []
    log = math.log
    uniform = rng.random
    for length in rng.choices(lengths, length_weights, k=ballot_count):
        keys = [
            (strength - log(-log(uniform() or 1e-300)), index)
            for index, strength in enumerate(log_strengths)
        ]
        keys.sort(reverse=True)
        ballots.append(RankedBallot(tuple(names[index] for _, index in keys[:length])))
    return names, ballots


def time_count(count: Callable[[], TallyResult], repeats: int) -> tuple[float, TallyResult]:
    """Median wall time of `repeats` counts, and the last result."""
    timings: list[float] = []
    result: TallyResult | None = None
    for _ in range(repeats):
        started = time.perf_counter()
        result = count()
        timings.append(time.perf_counter() - started)
    assert result is not None
    return statistics.median(timings), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--seats", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2024)
    arguments = parser.parse_args()

    started = time.perf_counter()
    names, ballots = generate_ballots(arguments.ballots, arguments.candidates, arguments.seed)
    distinct = len({ballot.ranking for ballot in ballots})
    print(
        f"generated {len(ballots):,} ballots ({distinct:,} distinct rankings) "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )

    irv_seconds, irv_result = time_count(lambda: irv(names, ballots), arguments.repeats)
    stv_seconds, stv_result = time_count(
        lambda: stv(names, ballots, arguments.seats), arguments.repeats
    )

    print("| ballots | distinct rankings | candidates | IRV median s | STV median s (seats) |")
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {len(ballots):,} | {distinct:,} | {len(names)} | {irv_seconds:.2f} | "
        f"{stv_seconds:.2f} ({arguments.seats}) |"
    )
    print(
        json.dumps(
            {
                "ballots": len(ballots),
                "distinct_rankings": distinct,
                "candidates": len(names),
                "seats": arguments.seats,
                "repeats": arguments.repeats,
                "irv_median_seconds": round(irv_seconds, 3),
                "stv_median_seconds": round(stv_seconds, 3),
                "irv_winners": list(irv_result.winners),
                "stv_winners": list(stv_result.winners),
                "irv_rounds": len(irv_result.rounds),
                "stv_rounds": len(stv_result.rounds),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
