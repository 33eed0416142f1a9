"""Benchmark `minga tally` end to end on a million ranked ballots, beside pyrankvote.

Two BLT files are written, one line per paper as administrations publish them:

* plackett: 1,000,000 ballots over 20 candidates drawn from a Plackett-Luce model
  (candidate strengths fall off geometrically) and truncated to a random length, as
  real voters rank only some candidates -- 534,464 distinct rankings (seed 2024);
* distinct: 1,000,000 lines over 20 candidates ranking 6 to 20 of them uniformly at
  random, weights 1 to 9 -- nearly every ranking distinct (seed 7).

Measured, each in its own process, `--runs` times (median, min and max; peak memory from
the operating system's accounting of the finished child, which this script keeps small
so that a forked child does not inherit its size):

* `minga tally --method irv --json FILE` and `--method stv --seats 5`, as users run it;
* the parse alone and the counts alone (timed inside a process that reads the file);
* pyrankvote 2.0.6 (IRV and its own STV) in a process that reads the same file with a
  plain line reader, builds its ballot objects and counts; its count alone is also
  timed inside that process. pyrankvote has no ballot weights: a line of weight w is
  passed as w references to one ballot. Its STV is not the Scottish one, so only its
  IRV winners are expected to match ours. On the distinct file pyrankvote takes minutes
  per 20,000 lines (it counts ballot by ballot), so it runs there only with
  `--peer-distinct`.

`--baseline-src DIR` also runs `minga tally` from another source tree (for instance a
checkout of an earlier commit) in the same sitting and checks that its JSON output is
identical to ours, byte for byte.

    python benchmarks/bench_tally.py [--ballots 1000000] [--runs 3] [--baseline-src DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
CANDIDATES = 20
SEATS = 5


def plackett_luce_rankings(ballot_count: int, seed: int) -> list[tuple[int, ...]]:
    """Plackett-Luce rankings via the Gumbel-max trick, truncated to a random length."""
    rng = random.Random(seed)
    log_strengths = [-0.25 * index for index in range(CANDIDATES)]
    lengths = list(range(1, CANDIDATES + 1))
    # Short rankings are commoner than full ones, as in real STV elections.
    length_weights = [1.0 / (length**0.7) for length in lengths]
    log = math.log
    uniform = rng.random
    rankings = []
    for length in rng.choices(lengths, length_weights, k=ballot_count):
        keys = [
            (strength - log(-log(uniform() or 1e-300)), index)
            for index, strength in enumerate(log_strengths)
        ]
        keys.sort(reverse=True)
        rankings.append(tuple(index for _, index in keys[:length]))
    return rankings


def write_blt(path: Path, rankings: list[tuple[int, ...]], weights: list[int]) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(f"{CANDIDATES} {SEATS}\n")
        for ranking, weight in zip(rankings, weights, strict=True):
            out.write(f"{weight} {' '.join(str(index + 1) for index in ranking)} 0\n")
        out.write("0\n")
        for number in range(1, CANDIDATES + 1):
            out.write(f'"Candidate {number:02d}"\n')
        out.write('"Benchmark"\n')


def make_files(directory: Path, ballot_count: int) -> None:
    started = time.perf_counter()
    plackett = plackett_luce_rankings(ballot_count, 2024)
    files = {"plackett": directory / "plackett.blt", "distinct": directory / "distinct.blt"}
    write_blt(files["plackett"], plackett, [1] * ballot_count)
    rng = random.Random(7)
    order = list(range(CANDIDATES))
    rankings, weights = [], []
    for _ in range(ballot_count):
        rng.shuffle(order)
        rankings.append(tuple(order[: rng.randint(6, CANDIDATES)]))
        weights.append(rng.randint(1, 9))
    write_blt(files["distinct"], rankings, weights)
    print(
        f"files written in {time.perf_counter() - started:.0f} s: plackett "
        f"{len(set(plackett)):,} distinct rankings of {ballot_count:,}; distinct "
        f"{len(set(rankings)):,} of {ballot_count:,}",
        file=sys.stderr,
    )


def run(command: list[str], environment: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak memory (KiB) and standard output of one child process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=environment)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode:
            raise RuntimeError(f"{command} failed: {err.read().decode()[-2000:]}")
        return wall, usage.ru_maxrss, out.read().decode()


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def measure(command: list[str], runs: int, environment: dict[str, str] | None = None) -> dict:
    walls, peaks, outputs = [], [], []
    for _ in range(runs):
        wall, peak, output = run(command, environment)
        walls.append(wall)
        peaks.append(peak)
        outputs.append(output)
    return {"walls": walls, "peak_mib": max(peaks) / 1024, "output": outputs[-1]}


def minga_command(method: str, path: Path) -> list[str]:
    """The command as users type it: the `minga` console script beside this Python."""
    script = Path(sys.executable).parent / "minga"
    program = [str(script)] if script.exists() else [sys.executable, "-m", "minga.cli"]
    seats = ["--seats", str(SEATS)] if method == "stv" else []
    return [*program, "tally", "--method", method, *seats, "--json", str(path)]


# --- Modes run in child processes --------------------------------------------------------


def time_phases(path: str) -> None:
    """Time reading the file, parsing it and each count, inside one process."""
    sys.path.insert(0, str(SRC))
    from minga.core.tally import irv, read_blt, stv
    from minga.core.tally.gcpause import gc_paused

    with gc_paused():
        started = time.perf_counter()
        text = Path(path).read_text(encoding="utf-8-sig")
        read = time.perf_counter()
        election = read_blt(text)
        parsed = time.perf_counter()
        grouped = election.counted()
        irv_result = irv(election.standing, grouped)
        irv_done = time.perf_counter()
        stv_result = stv(election.standing, grouped, SEATS)
        stv_done = time.perf_counter()
    print(
        json.dumps(
            {
                "read": read - started,
                "parse": parsed - read,
                "irv": irv_done - parsed,
                "stv": stv_done - irv_done,
                "groups": len(grouped.rankings),
                "irv_winners": list(irv_result.winners),
                "stv_winners": list(stv_result.winners),
            }
        )
    )


def peer(method: str, path: str) -> None:
    """Read the BLT file plainly, build pyrankvote's ballots and count with pyrankvote."""
    import pyrankvote
    from pyrankvote import Ballot, Candidate

    lines = Path(path).read_text(encoding="utf-8").splitlines()
    count = int(lines[0].split()[0])
    end = lines.index("0")
    names = [line.strip().strip('"') for line in lines[end + 1 : end + 1 + count]]
    candidates = [Candidate(name) for name in names]
    ballots = []
    for line in lines[1:end]:
        numbers = line.split()
        ballot = Ballot(ranked_candidates=[candidates[int(number) - 1] for number in numbers[1:-1]])
        ballots.extend([ballot] * int(numbers[0]))
    started = time.perf_counter()
    if method == "irv":
        result = pyrankvote.instant_runoff_voting(candidates, ballots)
    else:
        result = pyrankvote.single_transferable_vote(candidates, ballots, SEATS)
    counted = time.perf_counter() - started
    print(json.dumps({"count": counted, "winners": [each.name for each in result.get_winners()]}))


# --- The benchmark -----------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-src", type=Path, help="another src/ tree to compare with")
    parser.add_argument(
        "--peer-distinct",
        action="store_true",
        help="also run pyrankvote on the distinct file (over half an hour at 1M lines)",
    )
    parser.add_argument("--phases", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--make-files", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--peer", nargs=2, metavar=("METHOD", "FILE"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.phases:
        time_phases(arguments.phases)
        return 0
    if arguments.make_files:
        make_files(Path(arguments.make_files), arguments.ballots)
        return 0
    if arguments.peer:
        peer(*arguments.peer)
        return 0

    ours = dict(os.environ, PYTHONPATH=str(SRC))
    try:
        import pyrankvote  # noqa: F401 -- only to say whether the peer can run
    except ImportError:
        have_peer = False
        print(
            "pyrankvote is NOT installed (pip install -r requirements/dev.txt): "
            "the peer columns are left empty.\n"
        )
    else:
        have_peer = True
    rows = []
    with tempfile.TemporaryDirectory(prefix="minga-bench-tally-") as directory:
        # Written by a child process: a child forked from a parent holding the million
        # rankings would have the parent's size counted in its own peak memory.
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--make-files",
                directory,
                "--ballots",
                str(arguments.ballots),
            ],
            check=True,
        )
        files = {name: Path(directory) / f"{name}.blt" for name in ("plackett", "distinct")}
        for name, path in files.items():
            phases = [
                json.loads(run([sys.executable, __file__, "--phases", str(path)], ours)[2])
                for _ in range(arguments.runs)
            ]
            for method in ("irv", "stv"):
                whole = measure(minga_command(method, path), arguments.runs, ours)
                result = json.loads(whole["output"])
                row = {
                    "file": name,
                    "method": method,
                    "groups": phases[0]["groups"],
                    "minga_walls": whole["walls"],
                    "minga_peak_mib": whole["peak_mib"],
                    "parse": [each["parse"] for each in phases],
                    "count": [each[method] for each in phases],
                    "winners": result["winners"],
                }
                assert phases[0][f"{method}_winners"] == result["winners"]
                if arguments.baseline_src:
                    base_env = dict(os.environ, PYTHONPATH=str(arguments.baseline_src))
                    base = measure(minga_command(method, path), arguments.runs, base_env)
                    row["baseline_walls"] = base["walls"]
                    row["baseline_peak_mib"] = base["peak_mib"]
                    row["baseline_identical"] = base["output"] == whole["output"]
                if have_peer and (name == "plackett" or arguments.peer_distinct):
                    theirs = measure(
                        [sys.executable, __file__, "--peer", method, str(path)], arguments.runs
                    )
                    peer_result = json.loads(theirs["output"])
                    row["peer_walls"] = theirs["walls"]
                    row["peer_peak_mib"] = theirs["peak_mib"]
                    row["peer_winners"] = peer_result["winners"]
                    row["peer_count"] = peer_result["count"]
                rows.append(row)
                print(f"measured {name} {method}", file=sys.stderr, flush=True)

    print(
        f"{arguments.ballots:,} ballots over {CANDIDATES} candidates; STV for {SEATS} seats; "
        f"{arguments.runs} runs each, median (min–max) seconds, wall clock of whole processes.\n"
    )
    header = "| file | method | minga tally | peak | parse alone | count alone | pyrankvote | its count | peak | same winners |"
    if arguments.baseline_src:
        header += " baseline | identical output |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for row in rows:
        cells = [
            f"{row['file']} ({row['groups']:,} rankings)",
            row["method"],
            spread(row["minga_walls"]),
            f"{row['minga_peak_mib']:.0f} MiB",
            spread(row["parse"]),
            spread(row["count"]),
        ]
        if "peer_walls" in row:
            same = set(row["peer_winners"]) == set(row["winners"])
            cells += [
                spread(row["peer_walls"]),
                f"{row['peer_count']:.2f}",
                f"{row['peer_peak_mib']:.0f} MiB",
                "yes" if same else "no",
            ]
        elif have_peer:
            cells += ["not run (--peer-distinct)", "", "", ""]
        else:
            cells += ["absent", "", "", ""]
        if arguments.baseline_src:
            cells += [
                spread(row["baseline_walls"]),
                "yes" if row["baseline_identical"] else "NO",
            ]
        print("| " + " | ".join(cells) + " |")
    print()
    print(json.dumps(rows))
    if arguments.baseline_src and not all(row["baseline_identical"] for row in rows):
        print("the baseline's output differs from ours", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
