"""The ``minga tally`` command line: count a ballot file and print the count and result.

This module may import only the standard library.

    minga tally --method METHOD [--seats N] [--threshold 2/3] [--json] FILE

Ranked methods (irv, stv, schulze) read BLT files; the others read the CSV formats of
`minga.core.tally.csvformat`. Exit status: 0 counted, 2 bad usage or bad input (the
message names the line).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import TextIO

from minga.core.tally.blt import read_blt
from minga.core.tally.choice import approval, majority, qualified, score
from minga.core.tally.consent import consent
from minga.core.tally.csvformat import (
    parse_approval_csv,
    parse_consent_csv,
    parse_option_csv,
    parse_score_csv,
)
from minga.core.tally.errors import BallotFileError
from minga.core.tally.gcpause import gc_paused
from minga.core.tally.irv import irv
from minga.core.tally.results import TallyResult, json_number
from minga.core.tally.schulze import schulze
from minga.core.tally.stv import stv

METHODS = ("majority", "qualified", "consent", "approval", "score", "irv", "stv", "schulze")
RANKED_METHODS = frozenset({"irv", "stv", "schulze"})
DEFAULT_THRESHOLD = Fraction(2, 3)

METHOD_TITLES = {
    "majority": "simple majority",
    "qualified": "qualified majority",
    "consent": "consent",
    "approval": "approval voting",
    "score": "score voting",
    "irv": "instant runoff",
    "stv": "single transferable vote, Scottish STV rules (2007)",
    "schulze": "Schulze method (winning votes)",
}


class UsageError(Exception):
    """The options do not fit together; reported like argparse's own errors."""


def _threshold(text: str) -> Fraction:
    try:
        if text.endswith("%"):
            return Fraction(text[:-1].strip()) / 100
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a fraction like 2/3 or 0.6 or 60%"
        ) from None


def _seats(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("seats must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, named "minga tally" as the console script dispatches to it."""
    parser = argparse.ArgumentParser(
        prog="minga tally",
        description="Count the ballots in FILE and print the count round by round.",
        epilog="irv, stv and schulze read BLT files; the other methods read CSV files.",
    )
    parser.add_argument("--method", required=True, choices=METHODS, help="counting method")
    parser.add_argument(
        "--seats", type=_seats, help="seats to fill (stv, schulze, approval, score)"
    )
    parser.add_argument(
        "--threshold",
        type=_threshold,
        help="share needed by a qualified majority, e.g. 2/3 (default) or 60%%",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("file", metavar="FILE", help="ballot file, or - for standard input")
    return parser


def check_options(method: str, seats: int | None, threshold: Fraction | None) -> None:
    """Refuse options that do not fit the method, before any file is read."""
    if threshold is not None and method != "qualified":
        raise UsageError("--threshold applies only to --method qualified")
    if seats is not None and method in {"majority", "qualified", "consent"}:
        raise UsageError(f"--seats does not apply to --method {method}")
    if method == "irv" and seats not in (None, 1):
        raise UsageError("irv fills one seat; use --method stv for more")


def count_text(
    method: str, text: str, seats: int | None = None, threshold: Fraction | None = None
) -> TallyResult:
    """Parse `text` in the format `method` reads and count it; raises BallotFileError."""
    return count_file_text(method, text, seats, threshold)[0]


def count_file_text(
    method: str, text: str, seats: int | None = None, threshold: Fraction | None = None
) -> tuple[TallyResult, str]:
    """Like `count_text`, also returning the title a BLT file gives (or "")."""
    check_options(method, seats, threshold)
    if method in RANKED_METHODS:
        # A large count makes millions of short-lived containers and no cycles.
        with gc_paused():
            election = read_blt(text)
            candidates = election.standing
            ballots = election.counted()
            if method == "irv":
                return irv(candidates, ballots), election.title
            if method == "stv":
                return stv(candidates, ballots, seats or election.seats), election.title
            return schulze(candidates, ballots, seats or election.seats), election.title
    counters: dict[str, Callable[[], TallyResult]] = {
        "majority": lambda: majority(parse_option_csv(text)),
        "qualified": lambda: qualified(parse_option_csv(text), threshold or DEFAULT_THRESHOLD),
        "consent": lambda: consent(parse_consent_csv(text)),
        "approval": lambda: _count_approval(text, seats or 1),
        "score": lambda: _count_score(text, seats or 1),
    }
    return counters[method](), ""


def _count_approval(text: str, seats: int) -> TallyResult:
    candidates, ballots = parse_approval_csv(text)
    return approval(ballots, candidates, seats)


def _count_score(text: str, seats: int) -> TallyResult:
    candidates, ballots = parse_score_csv(text)
    return score(ballots, candidates, seats)


def render_text(result: TallyResult, title: str = "") -> str:
    """The count as a person reads it: round by round, then the result."""
    out = [f"Method: {METHOD_TITLES.get(result.method, result.method)}"]
    if title:
        out.append(f"Title: {title}")
    if result.method in {"stv", "schulze", "approval", "score"}:
        out.append(f"Seats: {result.seats}")
    out.append(f"Valid votes: {json_number(result.valid_votes)}")
    if result.quota is not None:
        out.append(f"Quota: {json_number(result.quota)}")
    if result.threshold is not None:
        out.append(f"Threshold: {result.threshold}")
    for record in result.rounds:
        out.append("")
        out.append(f"Round {record.number}")
        width = max((len(name) for name in record.counts), default=0)
        for name, value in record.counts.items():
            out.append(f"  {name:<{width}}  {json_number(value)}")
        if record.elected:
            out.append(f"  elected: {', '.join(record.elected)}")
        if record.eliminated:
            out.append(f"  eliminated: {', '.join(record.eliminated)}")
        if record.transferred_from is not None:
            moves = ", ".join(
                f"{name} +{json_number(amount)}" for name, amount in record.transfers.items()
            )
            out.append(
                f"  transferred from {record.transferred_from}: {moves or 'nothing'}; "
                f"non-transferable {json_number(record.exhausted)}"
            )
        if record.note:
            out.append(f"  note: {record.note}")
    if result.schulze is not None:
        out.append("")
        out.append("Strongest paths p[row][column]:")
        names = list(result.schulze.strongest_paths)
        for row in names:
            paths = result.schulze.strongest_paths[row]
            cells = " ".join(
                f"{'-' if row == column else json_number(paths[column])!s:>6}" for column in names
            )
            out.append(f"  {row:<10} {cells}")
    if result.consent is not None:
        for label, positions in (
            ("Blocks", result.consent.blocks),
            ("Objections", result.consent.objections),
            ("Stand asides", result.consent.stand_asides),
        ):
            if positions:
                out.append("")
                out.append(f"{label}:")
                for position in positions:
                    who = f"{position.voter}: " if position.voter else ""
                    out.append(f"  - {who}{position.reason or '(no reason given)'}")
    out.append("")
    if result.ranking:
        out.append(f"Ranking: {', '.join(result.ranking)}")
    if result.adopted is not None:
        out.append(f"Adopted: {'yes' if result.adopted else 'no'}")
    out.append(f"Winners: {', '.join(result.winners) if result.winners else '(none)'}")
    return "\n".join(out) + "\n"


def _read(path: str, stdin: TextIO) -> str:
    if path == "-":
        return stdin.read()
    return Path(path).read_text(encoding="utf-8-sig")


def main(argv: list[str] | None = None) -> int:
    """Run ``minga tally``; returns the exit status instead of exiting."""
    parser = build_parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit_request:
        return exit_request.code if isinstance(exit_request.code, int) else 2
    try:
        check_options(arguments.method, arguments.seats, arguments.threshold)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"minga tally: error: {error}", file=sys.stderr)
        return 2
    try:
        text = _read(arguments.file, sys.stdin)
    except (OSError, UnicodeDecodeError) as error:
        print(f"minga tally: error: cannot read {arguments.file}: {error}", file=sys.stderr)
        return 2
    try:
        result, title = count_file_text(
            arguments.method, text, arguments.seats, arguments.threshold
        )
    except BallotFileError as error:
        print(f"minga tally: error: {arguments.file}: {error}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"minga tally: error: {arguments.file}: {error}", file=sys.stderr)
        return 2
    if arguments.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render_text(result, title))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
