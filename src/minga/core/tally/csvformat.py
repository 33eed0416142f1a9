"""CSV ballot formats for the methods that do not take rankings.

This module may import only the standard library.

Every file starts with a header row; column names are matched without regard to case or
surrounding spaces. Rows that are empty, or whose first cell starts with ``#``, are skipped.
The ``weight`` column is optional everywhere (default 1) and takes integers, decimals or
fractions like ``3/2``. One ballot per row:

* majority, qualified: ``weight,option`` -- e.g. yes / no / abstain, or any option names.
* approval: ``weight,approved`` -- the approved candidates separated by ``;`` (may be empty).
  An optional ``# candidates: Ana;Bo;Cy`` line before the header lists candidates that
  may have received no approval.
* score: ``weight,<candidate>,<candidate>,...`` -- one column per candidate holding a
  non-negative score; an empty cell scores zero.
* consent: ``weight,position,reason`` with an optional ``voter`` column; position is one
  of consent, stand_aside, objection, block (``stand aside`` and ``stand-aside`` too).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from fractions import Fraction

from minga.core.tally.ballots import (
    CONSENT_POSITIONS,
    ApprovalBallot,
    ConsentBallot,
    OptionBallot,
    ScoreBallot,
    Weight,
)
from minga.core.tally.errors import BallotFileError

_NUMBER = re.compile(r"^\d+(\.\d+)?(/\d+)?$")
_CANDIDATES_LINE = re.compile(r"^#\s*candidates\s*:(.*)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    cells: dict[str, str]


def _number(text: str, line: int, what: str) -> Fraction:
    text = text.strip()
    if not _NUMBER.match(text):
        raise BallotFileError(line, f"{what} {text!r} is not a non-negative number")
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise BallotFileError(line, f"{what} {text!r} is not a number") from None


def _weight(row: _Row) -> Weight:
    text = row.cells.get("weight", "").strip()
    if not text:
        return 1
    value = _number(text, row.line, "weight")
    return int(value) if value.denominator == 1 else value


def _rows(
    text: str,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    *,
    any_columns: bool = False,
) -> tuple[list[str], list[_Row], list[str]]:
    """Return the header, the data rows, and the comment lines before the header."""
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    header_line = 0
    rows: list[_Row] = []
    preamble: list[str] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if cells[0].lstrip().startswith("#"):
                if header is None:
                    preamble.append(",".join(cells))
                continue
            if header is None:
                header = [cell.strip().casefold() for cell in cells]
                header_line = line
                _check_header(header, required, optional, any_columns, line)
                continue
            if len(cells) != len(header):
                raise BallotFileError(
                    line, f"expected {len(header)} fields as in the header, found {len(cells)}"
                )
            rows.append(_Row(line, dict(zip(header, cells, strict=True))))
    except csv.Error as error:
        raise BallotFileError(reader.line_num, f"CSV syntax error: {error}") from None
    if header is None:
        raise BallotFileError(max(header_line, 1), f"missing header row ({','.join(required)})")
    return header, rows, preamble


def _check_header(
    header: list[str],
    required: tuple[str, ...],
    optional: tuple[str, ...],
    any_columns: bool,
    line: int,
) -> None:
    for name in required:
        if name not in header:
            raise BallotFileError(line, f"header must have a {name!r} column")
    if len(set(header)) != len(header):
        raise BallotFileError(line, "header names a column twice")
    if not any_columns:
        unknown = [name for name in header if name not in required + optional]
        if unknown:
            raise BallotFileError(line, f"unknown column {unknown[0]!r}")


def parse_option_csv(text: str) -> list[OptionBallot]:
    """Ballots for majority and qualified votes: ``weight,option``."""
    _, rows, _ = _rows(text, ("option",), ("weight",))
    ballots: list[OptionBallot] = []
    for row in rows:
        option = row.cells["option"].strip()
        if not option:
            raise BallotFileError(row.line, "option is empty")
        ballots.append(OptionBallot(option, _weight(row)))
    return ballots


def parse_approval_csv(text: str) -> tuple[tuple[str, ...], list[ApprovalBallot]]:
    """Ballots for approval voting: ``weight,approved`` with ``;``-separated names."""
    _, rows, preamble = _rows(text, ("approved",), ("weight",))
    candidates: list[str] = []
    for comment in preamble:
        match = _CANDIDATES_LINE.match(comment.strip())
        if match:
            candidates.extend(name.strip() for name in match.group(1).split(";") if name.strip())
    ballots: list[ApprovalBallot] = []
    for row in rows:
        names = [name.strip() for name in row.cells["approved"].split(";") if name.strip()]
        if len(set(names)) != len(names):
            raise BallotFileError(row.line, "a candidate is approved twice")
        for name in names:
            if name not in candidates:
                candidates.append(name)
        ballots.append(ApprovalBallot(frozenset(names), _weight(row)))
    return tuple(candidates), ballots


def parse_score_csv(text: str) -> tuple[tuple[str, ...], list[ScoreBallot]]:
    """Ballots for score voting: ``weight`` then one column per candidate."""
    reader_header = _original_header(text)
    header, rows, _ = _rows(text, (), ("weight",), any_columns=True)
    columns = [index for index, name in enumerate(header) if name != "weight"]
    if not columns:
        raise BallotFileError(1, "header must name at least one candidate column")
    names = tuple(reader_header[index] for index in columns)
    ballots: list[ScoreBallot] = []
    for row in rows:
        scores: list[tuple[str, Fraction]] = []
        for index, name in zip(columns, names, strict=True):
            cell = row.cells[header[index]].strip()
            if cell:
                scores.append((name, _number(cell, row.line, f"score for {name!r}")))
        ballots.append(ScoreBallot(tuple(scores), _weight(row)))
    return names, ballots


def _original_header(text: str) -> list[str]:
    """The header with its original spelling, for candidate names in the score format."""
    for cells in csv.reader(io.StringIO(text)):
        if any(cell.strip() for cell in cells) and not cells[0].lstrip().startswith("#"):
            return [cell.strip() for cell in cells]
    return []


def parse_consent_csv(text: str) -> list[ConsentBallot]:
    """Positions on a proposal: ``weight,position,reason`` and optionally ``voter``."""
    _, rows, _ = _rows(text, ("position",), ("weight", "reason", "voter"))
    ballots: list[ConsentBallot] = []
    for row in rows:
        position = re.sub(r"[\s-]+", "_", row.cells["position"].strip().casefold())
        if position not in CONSENT_POSITIONS:
            raise BallotFileError(
                row.line,
                f"position {row.cells['position'].strip()!r} is not one of "
                f"{', '.join(CONSENT_POSITIONS)}",
            )
        ballots.append(
            ConsentBallot(
                position,
                row.cells.get("reason", "").strip(),
                _weight(row),
                row.cells.get("voter", "").strip(),
            )
        )
    return ballots
