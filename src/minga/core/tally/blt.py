"""Reading and writing the BLT ballot format used by STV counting programs (OpenSTV, Droop).

This module may import only the standard library.

Layout, one item per line (text after ``#`` outside quotes is a comment)::

    4 2                  number of candidates, number of seats
    -3                   optional: withdrawn candidates, as negative numbers
    2 1 3 0              ballot: weight, candidate numbers most preferred first, 0
    (b17) 1 4 2 0        an optional ballot id in parentheses is accepted and ignored
    0                    end of ballots
    "Ana"                candidate names, in number order, each in double quotes
    ...
    "Council 2024"       the election title (optional)

Weights may be integers, decimals (``1.5``) or fractions (``3/2``). Equal rankings
(``=``) are rejected: none of the ranked methods here define them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction

from minga.core.tally.ballots import RankedBallot, RankedElection, Weight, aggregate_rankings
from minga.core.tally.errors import BallotFileError
from minga.core.tally.results import json_number

_QUOTED = re.compile(r'"([^"]*)"')
_BALLOT_ID = re.compile(r"^\([^)]*\)\s*")
_NUMBER = re.compile(r"^\d+(\.\d+)?(/\d+)?$")


def _strip_comment(text: str) -> str:
    return text.split("#", 1)[0].strip()


def _parse_weight(token: str, line: int) -> Weight:
    if not _NUMBER.match(token):
        raise BallotFileError(line, f"ballot weight {token!r} is not a non-negative number")
    try:
        weight = Fraction(token)
    except (ValueError, ZeroDivisionError):
        raise BallotFileError(line, f"ballot weight {token!r} is not a number") from None
    return int(weight) if weight.denominator == 1 else weight


def _parse_integer(token: str, line: int, what: str) -> int:
    if not re.fullmatch(r"-?\d+", token):
        raise BallotFileError(line, f"{what} {token!r} is not a whole number")
    return int(token)


def parse_blt(text: str) -> RankedElection:
    """Parse a BLT file completely, or raise BallotFileError naming the first bad line."""
    lines = text.splitlines()
    number = 0

    def next_content() -> tuple[int, str] | None:
        nonlocal number
        while number < len(lines):
            number += 1
            content = _strip_comment(lines[number - 1])
            if content:
                return number, content
        return None

    header = next_content()
    if header is None:
        raise BallotFileError(max(len(lines), 1), "the file is empty; expected 'candidates seats'")
    line, content = header
    fields = content.split()
    if len(fields) != 2:
        raise BallotFileError(line, f"expected 'candidates seats', found {content!r}")
    candidate_count = _parse_integer(fields[0], line, "candidate count")
    seats = _parse_integer(fields[1], line, "seat count")
    if candidate_count < 1:
        raise BallotFileError(line, f"candidate count must be at least 1, got {candidate_count}")
    if seats < 1:
        raise BallotFileError(line, f"seat count must be at least 1, got {seats}")

    withdrawn: set[int] = set()
    ballots: list[tuple[tuple[int, ...], Weight]] = []
    first = True
    while True:
        entry = next_content()
        if entry is None:
            raise BallotFileError(
                max(len(lines), 1), "ballots are not terminated by a line holding only 0"
            )
        line, content = entry
        if content == "0":
            break
        tokens = content.split()
        if first and tokens[0].startswith("-"):
            for token in tokens:
                value = _parse_integer(token, line, "withdrawn candidate")
                if not -candidate_count <= value <= -1:
                    raise BallotFileError(
                        line,
                        f"withdrawn candidate {token} is out of range (-1..-{candidate_count})",
                    )
                withdrawn.add(-value)
            first = False
            continue
        first = False
        content = _BALLOT_ID.sub("", content)
        tokens = content.split()
        if not tokens:
            raise BallotFileError(line, "a ballot id must be followed by a weight")
        weight = _parse_weight(tokens[0], line)
        if tokens[-1] != "0":
            raise BallotFileError(line, "a ballot line must end with 0")
        ranking: list[int] = []
        for token in tokens[1:-1]:
            if "=" in token:
                raise BallotFileError(line, "equal rankings ('=') are not supported")
            if token == "-":  # noqa: S105 -- a BLT skip marker, not a password
                raise BallotFileError(line, "skipped rankings ('-') are not supported")
            candidate = _parse_integer(token, line, "candidate number")
            if not 1 <= candidate <= candidate_count:
                raise BallotFileError(
                    line,
                    f"candidate number {candidate} is out of range (1..{candidate_count})",
                )
            if candidate in ranking:
                raise BallotFileError(line, f"candidate number {candidate} is ranked twice")
            ranking.append(candidate)
        ballots.append((tuple(ranking), weight))

    quoted: list[tuple[int, str]] = []
    while number < len(lines):
        number += 1
        raw = lines[number - 1]
        found = _QUOTED.findall(raw)
        rest = _QUOTED.sub("", raw)
        if _strip_comment(rest):
            raise BallotFileError(
                number, f"expected a name in double quotes, found {raw.strip()!r}"
            )
        quoted.extend((number, name) for name in found)
    if len(quoted) < candidate_count:
        raise BallotFileError(
            max(len(lines), 1),
            f"expected {candidate_count} candidate names in double quotes, found {len(quoted)}",
        )
    if len(quoted) > candidate_count + 1:
        line, extra = quoted[candidate_count + 1]
        raise BallotFileError(line, f"unexpected text {extra!r} after the title")
    names = [name for _, name in quoted[:candidate_count]]
    seen: set[str] = set()
    for line, name in quoted[:candidate_count]:
        if not name.strip():
            raise BallotFileError(line, "a candidate name is empty")
        if name in seen:
            raise BallotFileError(line, f"candidate name {name!r} appears twice")
        seen.add(name)
    title = quoted[candidate_count][1] if len(quoted) > candidate_count else ""
    return RankedElection(
        candidates=tuple(names),
        seats=seats,
        ballots=tuple(
            RankedBallot(tuple(names[index - 1] for index in ranking), weight)
            for ranking, weight in ballots
        ),
        withdrawn=frozenset(names[index - 1] for index in withdrawn),
        title=title,
    )


def write_blt(election: RankedElection) -> str:
    """Write an anonymized BLT file: identical rankings merged, sorted, no ballot ids.

    Merging and sorting removes the order in which ballots were cast, so an exported
    secret ballot can be recounted by anyone without linking papers to voters.
    """
    for name in (*election.candidates, election.title):
        if '"' in name or "\n" in name or "\r" in name:
            raise ValueError(f"name {name!r} cannot be written to BLT (quote or line break)")
    number_of = {name: index + 1 for index, name in enumerate(election.candidates)}
    grouped = aggregate_rankings(election.ballots)
    try:
        numbered = sorted(
            (tuple(number_of[name] for name in ranking), weight)
            for ranking, weight in grouped.items()
        )
    except KeyError as missing:
        raise ValueError(f"ballot ranks {missing.args[0]!r}, who is not a candidate") from None
    out = [f"{len(election.candidates)} {election.seats}"]
    if election.withdrawn:
        out.append(
            " ".join(
                f"-{number_of[name]}"
                for name in sorted(election.withdrawn, key=number_of.__getitem__)
            )
        )
    out.extend(
        " ".join([_format_weight(weight), *map(str, ranking), "0"]) for ranking, weight in numbered
    )
    out.append("0")
    out.extend(f'"{name}"' for name in election.candidates)
    out.append(f'"{election.title}"')
    return "\n".join(out) + "\n"


def _format_weight(weight: Weight) -> str:
    rendered = json_number(weight)
    return str(rendered)


def ballots_from_rankings(
    rankings: Iterable[tuple[tuple[str, ...], Weight]],
) -> tuple[RankedBallot, ...]:
    """Build ballots from (ranking, weight) pairs, e.g. rows exported from a closed vote."""
    return tuple(RankedBallot(ranking, weight) for ranking, weight in rankings)
