"""Reading and writing the BLT ballot format used by STV counting programs (OpenSTV, Droop).

This module may import only the standard library and numpy.

Layout, one item per line (text after ``#`` is a comment; see below for names)::

    4 2                  number of candidates, number of seats
    -3                   optional: withdrawn candidates, as negative numbers
    2 1 3 0              ballot: weight, candidate numbers most preferred first, 0
    (b17) 1 4 2 0        an optional ballot id in parentheses is accepted and ignored
    0                    end of ballots
    "Ana"                candidate names, in number order
    ...
    "Council 2024"       the election title (optional)

Weights may be integers, decimals (``1.5``) or fractions (``3/2``).

Files are read as election administrations publish them, not only in the textbook form:

* names and the title with or without double quotes. Inside double quotes a doubled
  quote stands for one, as in CSV (``"Ana ""Nana"" Lopez"``); several quoted names may
  share a line. A name without quotes is the whole line.
* trailing spaces, tabs or commas on any line; blank lines anywhere; numbers separated
  by commas instead of spaces (a line must not mix both, so ``1,5 2 0`` -- a decimal
  comma? -- is refused rather than guessed at).
* Windows (CR LF) or old Mac (CR) line ends, and a UTF-8 byte-order mark.
* In the names, ``#`` starts a comment only outside quotes, at the start of a line or
  after a space, so that ``"Team #1"`` and ``Ana#2`` keep their ``#``.

Anything else unreadable raises `BallotFileError` naming the first bad line (counted as
an editor counts them) and the cause. Equal preferences (``1=2``) and skipped ones
(``-``) are refused: the ranked methods here need a strict order, and no reading of the
file may invent one.

Speed: a published file has one line per paper, a million of them for a large election.
Counting programs write them plainly -- ``weight c1 c2 ... 0``, single spaces, no blank
line, comment, ballot id or leading zero -- and such a ballot section is read as one
byte array, a block at a time, into a `RankingTable` (numpy): no Python object per line,
paper or ranking, weights integers. Any other file, or a plain one with something wrong
in it, is read by the line reader, which explains the first bad line: identical lines are
merged first (C-level `collections.Counter`), then each distinct line is read once; lines
of plain digits and spaces are read in bulk, and only the rest go through the careful
line reader. Weights stay integers unless the file writes a decimal or a fraction.
Either way the result is a `GroupedElection`.
"""

from __future__ import annotations

import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from itertools import compress, repeat
from operator import itemgetter, mul

import numpy as np

from minga.core.tally.ballots import (
    GroupedElection,
    GroupedRankings,
    RankedBallot,
    RankedElection,
    Weight,
    aggregate_rankings,
)
from minga.core.tally.errors import BallotFileError
from minga.core.tally.gcpause import gc_paused
from minga.core.tally.results import json_number
from minga.core.tally.table import MAX_CANDIDATES, Integers, Numbers, RankingTable

_PLAIN_BLOCK = re.compile(r"[0-9 \n]*")
_PLAIN_LINE = re.compile(r"[0-9 ]*")
_WEIGHT = re.compile(r"[0-9]+(?:\.[0-9]+|/[0-9]+)?")
_INTEGER = re.compile(r"-?[0-9]+")
_BALLOT_ID = re.compile(r"\([^)]*\)")
_TRAILING = re.compile(r"[\s,]+$")
_SEPARATORS = re.compile(r"[\s,]*")
_NAME_COMMENT = re.compile(r"\s#")
_CHUNK = 65_536
"""Distinct ballot lines read in bulk at a time: bounds the memory of their split tokens."""
_BLOCK_BYTES = 32_768
"""Ballot text read into arrays at a time. Small enough that the arrays made for a block
(8 bytes for each of its ~13,000 numbers) stay under 128 KiB, below which the C allocator
reuses memory instead of asking the kernel for fresh pages each time: with larger blocks
the page faults alone cost a third of the reading time."""
_LAST = itemgetter(-1)
_FIRST = itemgetter(0)
_THIRD = itemgetter(2)
_ALL_BUT_LAST = itemgetter(slice(0, -1))
_UNIT_INNER = itemgetter(slice(2, -2))


class _LineProblem(Exception):  # noqa: N818 -- never escapes this module
    """What is wrong with one line; the caller adds the line's number."""


class _End:
    """The line holding only 0 that ends the ballots."""


_END = _End()


def _shown(text: str, limit: int = 60) -> str:
    """Text from the file as it appears there, without quotes added (an apostrophe or a
    quote in it then reads as part of the text), control characters made visible."""
    shown = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _normalized(text: str) -> str:
    """The file with a byte-order mark removed and every line end made a line feed, so that
    its lines are numbered as an editor numbers them, whatever the line ends."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _content(raw: str) -> str:
    """A line of numbers without its comment and its trailing spaces or commas."""
    return _TRAILING.sub("", raw.split("#", 1)[0]).lstrip()


def _fields(content: str) -> list[str]:
    """The numbers on a line, separated by spaces or by commas (not both)."""
    if "," not in content:
        return content.split()
    fields = [field.strip() for field in content.split(",")]
    for field in fields:
        if not field:
            raise _LineProblem(f"an empty field between two commas in: {_shown(content)}")
        if len(field.split()) > 1:
            raise _LineProblem(
                "numbers are separated by both commas and spaces, so it is unclear "
                f"where one ends (a decimal comma?): {_shown(content)}"
            )
    return fields


def _whole_number(field: str, what: str) -> int:
    if not _INTEGER.fullmatch(field):
        raise _LineProblem(f"{what} {_shown(field)} is not a whole number")
    return int(field)


def _weight(field: str) -> Weight:
    if field.isascii() and field.isdigit():
        return int(field)
    if not _WEIGHT.fullmatch(field):
        raise _LineProblem(f"ballot weight {_shown(field)} is not a non-negative number")
    try:
        value = Fraction(field)
    except ZeroDivisionError:
        raise _LineProblem(f"ballot weight {field} divides by zero") from None
    return int(value) if value.denominator == 1 else value


def _ballot_line(raw: str, candidate_count: int) -> tuple[tuple[int, ...], Weight] | _End | None:
    """Read one line of the ballot section carefully: a ballot, the end marker, or nothing."""
    content = _content(raw)
    if not content:
        return None
    if content == "0":
        return _END
    if content.startswith("("):
        found = _BALLOT_ID.match(content)
        if found is None:
            raise _LineProblem("the ballot id in parentheses is not closed")
        content = content[found.end() :].lstrip(" \t,")
        if not content:
            raise _LineProblem("a ballot id must be followed by a weight")
    fields = _fields(content)
    weight = _weight(fields[0])
    if len(fields) < 2 or fields[-1] != "0":
        raise _LineProblem("a ballot line must end with 0")
    ranking: list[int] = []
    for field in fields[1:-1]:
        if "=" in field:
            raise _LineProblem(
                f"equal preferences ({field}) cannot be counted: instant runoff, STV and "
                "Schulze as counted here need a strict order, and none may be invented"
            )
        if field == "-":
            raise _LineProblem(
                "a skipped preference (-) cannot be counted: the ranked methods here "
                "need consecutive preferences"
            )
        number = _whole_number(field, "candidate number")
        if number == 0:
            raise _LineProblem("0 ends a ballot, but more numbers follow it on this line")
        if not 1 <= number <= candidate_count:
            raise _LineProblem(f"candidate number {number} is out of range (1..{candidate_count})")
        if number - 1 in ranking:
            raise _LineProblem(f"candidate number {number} is ranked twice")
        ranking.append(number - 1)
    return tuple(ranking), weight


def _plain_ballot(
    text: str, position_of: Callable[[str], int]
) -> tuple[tuple[int, ...], int] | None:
    """Read a line of digits and spaces the fast way; None when it needs a careful look."""
    fields = text.split()
    if len(fields) < 2 or fields[-1] != "0":
        return None
    try:
        ranking = tuple(map(position_of, fields[1:-1]))
    except KeyError:
        return None
    if len(set(ranking)) != len(ranking):
        return None
    return ranking, int(fields[0])


@dataclass(frozen=True, slots=True)
class _Groups:
    """Distinct rankings (as candidate positions) and the total weight of each."""

    rankings: list[tuple[int, ...]]
    weights: list[Weight]

    @classmethod
    def of(cls, totals: dict[tuple[int, ...], Weight]) -> _Groups:
        return cls(list(totals), list(totals.values()))

    def merged(self, other: _Groups) -> _Groups:
        totals = dict(zip(self.rankings, self.weights, strict=True))
        for ranking, weight in zip(other.rankings, other.weights, strict=True):
            totals[ranking] = totals.get(ranking, 0) + weight
        return _Groups.of(totals)


@dataclass(frozen=True, slots=True)
class _Stop:
    """The first line, in file order, that is not a ballot: a problem, or the end marker."""

    text: str
    problem: str | None


def _single_spaced(block: str) -> bool:
    """Whether the lines of `block` have single spaces between numbers and none around."""
    return not (
        "  " in block
        or "\n " in block
        or " \n" in block
        or block.startswith(" ")
        or block.endswith(" ")
    )


def _bulk_plain(
    texts: list[str], copies: list[int], position_of: Callable[[str], int]
) -> _Groups | None:
    """Read distinct lines of digits and spaces with C-level maps, or None if any of them
    is not a well-formed ballot (the caller then reads line by line to say which)."""
    rankings: list[tuple[int, ...]] = []
    weights: list[int] = []
    unit = True
    for start in range(0, len(texts), _CHUNK):
        chunk = texts[start : start + _CHUNK]
        chunk_copies = copies[start : start + _CHUNK]
        if not all(map(str.endswith, chunk, repeat(" 0"))):
            return None
        if all(map(str.startswith, chunk, repeat("1 "))):
            # "1 r1 r2 ... 0": the ranking is what lies between the weight and the 0.
            inner: Iterable[str] = map(_UNIT_INNER, chunk)
            chunk_weights = chunk_copies
        else:
            unit = False
            parts = list(map(str.partition, chunk, repeat(" ")))
            inner = map(_ALL_BUT_LAST, map(_THIRD, parts))
            try:
                chunk_weights = list(map(mul, map(int, map(_FIRST, parts)), chunk_copies))
            except ValueError:  # a line starting with a space
                return None
        try:
            chunk_rankings = list(map(tuple, map(map, repeat(position_of), map(str.split, inner))))
        except KeyError:  # a number out of range, or written oddly (01)
            return None
        if sum(map(len, chunk_rankings)) != sum(map(len, map(set, chunk_rankings))):
            return None
        rankings += chunk_rankings
        weights += chunk_weights
    if unit and _single_spaced("\n".join(texts)):
        # Distinct lines "1 ... 0" with single spaces are distinct rankings: nothing to add up.
        return _Groups(list(rankings), list(weights))
    totals: dict[tuple[int, ...], Weight] = dict(zip(rankings, weights, strict=True))
    if len(totals) != len(rankings):
        # Some rankings were written on several distinct lines (other weights, other
        # spacing): add those up again, picked out at C speed.
        repeated = Counter(rankings)
        again = set(compress(repeated, map((1).__lt__, repeated.values())))
        for ranking in again:
            totals[ranking] = 0
        for ranking, weight in compress(
            zip(rankings, weights, strict=True), map(again.__contains__, rankings)
        ):
            totals[ranking] += weight
    return _Groups.of(totals)


def _group_lines(texts: list[str], copies: list[int], candidate_count: int) -> _Groups | _Stop:
    """Group ballot lines (`texts[i]` standing for `copies[i]` papers) by ranking.

    `texts` must be in the order of their first appearance in the file. Returns the
    groups, or the first line -- in file order -- that is not a ballot.
    """
    position_of = {str(number): number - 1 for number in range(1, candidate_count + 1)}
    get = position_of.__getitem__
    if "" in texts:  # blank lines: nothing to read
        kept = list(map(bool, texts))
        texts, copies = list(compress(texts, kept)), list(compress(copies, kept))
    if not texts:
        return _Groups([], [])
    if _PLAIN_BLOCK.fullmatch("\n".join(texts)):
        grouped = _bulk_plain(texts, copies, get)
        return grouped if grouped is not None else _careful(texts, copies, candidate_count, get)
    plain = list(map(bool, map(_PLAIN_LINE.fullmatch, texts)))
    plain_texts = list(compress(texts, plain))
    grouped = (
        _bulk_plain(plain_texts, list(compress(copies, plain)), get)
        if plain_texts
        else _Groups([], [])
    )
    if grouped is None:
        return _careful(texts, copies, candidate_count, get)
    # The plain lines are all good ballots, so the first problem or end marker in file
    # order is the first one among the others.
    odd = list(map(operator.not_, plain))
    rest = _careful(list(compress(texts, odd)), list(compress(copies, odd)), candidate_count, get)
    return rest if isinstance(rest, _Stop) else grouped.merged(rest)


def _careful(
    texts: list[str], copies: list[int], candidate_count: int, get: Callable[[str], int]
) -> _Groups | _Stop:
    """Group line by line in file order, plain lines the fast way and the others carefully."""
    totals: dict[tuple[int, ...], Weight] = {}
    for text, count in zip(texts, copies, strict=True):
        ballot: tuple[tuple[int, ...], Weight] | None = (
            _plain_ballot(text, get) if _PLAIN_LINE.fullmatch(text) else None
        )
        if ballot is None:
            try:
                read = _ballot_line(text, candidate_count)
            except _LineProblem as problem:
                return _Stop(text, str(problem))
            if read is None:
                continue
            if isinstance(read, _End):
                return _Stop(text, None)
            ballot = read
        ranking, weight = ballot
        totals[ranking] = totals.get(ranking, 0) + weight * count
    return _Groups.of(totals)


def _name_fields(raw: str) -> list[str]:
    """The names on one line of the names section: quoted (CSV style) or the whole line."""
    text = raw.strip()
    if not text.startswith('"'):
        if text.startswith("#"):
            return []
        comment = _NAME_COMMENT.search(text)
        if comment is not None:
            text = text[: comment.start()]
        name = _TRAILING.sub("", text)
        return [name] if name else []
    fields: list[str] = []
    position = 0
    while position < len(text):
        if text[position] == "#":
            break
        if text[position] != '"':
            raise _LineProblem(
                "text after the closing double quote (write a double quote inside a "
                f'quoted name as two, ""): {_shown(text[position:])}'
            )
        parts: list[str] = []
        start = position + 1
        while True:
            closing = text.find('"', start)
            if closing < 0:
                raise _LineProblem(
                    f"the double quote that opens this name is never closed: {_shown(text)}"
                )
            parts.append(text[start:closing])
            if text.startswith('"', closing + 1):
                parts.append('"')
                start = closing + 2
                continue
            position = closing + 1
            break
        fields.append("".join(parts))
        separators = _SEPARATORS.match(text, position)
        if separators is not None:  # always: the pattern matches the empty string
            position = separators.end()
    return fields


def read_blt(text: str) -> GroupedElection:
    """Read a BLT file into grouped rankings, or raise BallotFileError naming the first bad line."""
    with gc_paused():
        return _read_blt(text)


def _read_blt(text: str) -> GroupedElection:
    text = _normalized(text)
    plain = _read_plain(text)
    return plain if plain is not None else _read_lines(text)


def _read_lines(text: str) -> GroupedElection:
    """Read a file line by line (every form it may take), or raise BallotFileError."""
    lines = text.split("\n")
    # The last line an editor shows (a final line end does not start another line).
    last_line = max(len(lines) - 1 if len(lines) > 1 and not lines[-1] else len(lines), 1)
    header = _next_content(lines, 0)
    if header is None:
        raise BallotFileError(last_line, "the file is empty; expected 'candidates seats'")
    index, content = header
    try:
        candidate_count, seats = _header(content)
    except _LineProblem as problem:
        raise BallotFileError(index + 1, str(problem)) from None
    if 2 * candidate_count > len(text):
        # Every name takes two characters at least; this also keeps a mistyped header
        # from making the reader build tables for a billion candidates.
        raise BallotFileError(
            index + 1, f"the file is too short to name {candidate_count} candidates"
        )
    start = index + 1
    withdrawn: set[int] = set()
    entry = _next_content(lines, start)
    if entry is not None and entry[1].startswith("-"):
        index, content = entry
        try:
            withdrawn = _withdrawn(content, candidate_count)
        except _LineProblem as problem:
            raise BallotFileError(index + 1, str(problem)) from None
        start = index + 1

    groups, end = _read_ballots(lines, start, candidate_count, last_line)
    names, title = _read_names(lines, end + 1, candidate_count, last_line)
    rankings, weights = groups.rankings, groups.weights
    if 0 in weights:  # papers of weight 0 count for nothing
        kept = list(map(bool, weights))
        rankings, weights = list(compress(rankings, kept)), list(compress(weights, kept))
    return GroupedElection(
        candidates=tuple(names),
        seats=seats,
        groups=GroupedRankings.from_checked(tuple(rankings), tuple(weights), candidate_count),
        withdrawn=frozenset(names[position] for position in withdrawn),
        title=title,
    )


def _read_plain(text: str) -> GroupedElection | None:
    """Read a file whose ballot lines are all plain -- ``weight c1 c2 ... 0`` with single
    spaces, no blank line, comment, ballot id or leading zero among them, as counting
    programs write them -- into a `RankingTable` at C speed; None for any other file, which
    the line reader then reads (and explains, if something in it is wrong)."""
    header = _content_line(text, 0)
    if header is None:
        return None
    content, start = header
    try:
        candidate_count, seats = _header(content)
    except _LineProblem:
        return None
    if candidate_count > MAX_CANDIDATES or 2 * candidate_count > len(text):
        return None
    withdrawn: set[int] = set()
    entry = _content_line(text, start)
    if entry is not None and entry[0].startswith("-"):
        try:
            withdrawn = _withdrawn(entry[0], candidate_count)
        except _LineProblem:
            return None
        start = entry[1]
    # The end marker: the first line holding only 0 (start - 1 is the previous line end).
    end = text.find("\n0\n", start - 1)
    if end < start:
        return None
    table = _plain_table(text[start : end + 1], candidate_count)
    if table is None:
        return None
    try:
        names, title = _read_names(text[end + 3 :].split("\n"), 0, candidate_count, 0)
    except BallotFileError:  # the line reader says where, counting lines
        return None
    return GroupedElection(
        candidates=tuple(names),
        seats=seats,
        groups=GroupedRankings.from_table(table),
        withdrawn=frozenset(names[position] for position in withdrawn),
        title=title,
    )


def _content_line(text: str, offset: int) -> tuple[str, int] | None:
    """The content of the first line from `offset` that is not blank or a comment, and the
    offset of the line after it."""
    while offset <= len(text):
        stop = text.find("\n", offset)
        if stop < 0:
            stop = len(text)
        content = _content(text[offset:stop])
        offset = stop + 1
        if content:
            return content, offset
    return None


def _plain_table(section: str, candidate_count: int) -> RankingTable | None:
    """Read ballot lines ending in a line feed, each ``weight c1 c2 ... 0`` with single
    spaces, into a table; None if any line is not in that form or not a good ballot.

    The section is read as bytes, a block of lines at a time (small enough for the
    processor's cache: a million lines at once would make numpy stream arrays of fifteen
    million numbers through memory a dozen times over).
    """
    try:
        data = section.encode("ascii")
    except UnicodeEncodeError:
        return None
    if not data:
        return None
    full = np.zeros((data.count(b"\n"), candidate_count + 2), np.uint8)
    weights = np.empty(len(full), np.int64)
    row = start = 0
    while start < len(data):
        cut = data.find(b"\n", start + _BLOCK_BYTES)
        stop = len(data) if cut < 0 else cut + 1
        block = np.frombuffer(data, np.uint8, stop - start, start)
        lines = _plain_block(block, candidate_count, full[row:], weights[row:])
        if lines is None:
            return None
        row, start = row + lines, stop
    # Rows of weight 0 stay: they count for nothing (the counts skip them), but the first
    # appearance of a ranking still sets its place among the distinct rankings.
    return RankingTable(full[:, 1:], weights, candidate_count)


def _plain_block(
    text: Numbers, candidate_count: int, full: Numbers, weights: Integers
) -> int | None:
    """Read the lines of `text` (bytes ending in a line feed) into the first rows of
    `full` (weight, then candidate numbers, then 0s) and of `weights`; return how many
    lines, or None if one is not a plain, good ballot line.

    The gaps (spaces, line feeds) mark where each number ends; a number's value is read
    from its last two digits (candidate numbers have at most two; longer weights are
    read digit by digit); each number is put in its row and column by one scatter.
    """
    digit = text - 48  # wraps around (to 208 or more) for bytes below "0"
    line_end = text == 10
    gap = line_end | (text == 32)
    if not ((digit < 10) | gap).all():
        return None
    if gap[0] or (gap[1:] & gap[:-1]).any():  # a blank line, or more than one space
        return None
    # A number written with a leading zero ("01") is left to the careful reader.
    if ((text[:-1] == 48) & (digit[1:] < 10) & np.concatenate(([True], gap[:-2]))).any():
        return None
    ends = np.flatnonzero(gap)  # each number ends just before a gap
    last = np.flatnonzero(line_end[ends])  # the last number of each line, "0"
    first = np.empty_like(last)  # the weight
    first[0] = 0
    first[1:] = last[:-1] + 1
    sizes = last - first + 1
    if sizes.min() < 2 or sizes.max() > candidate_count + 2:
        return None
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    lengths = ends - starts
    if (lengths > 2).any():
        is_weight = np.zeros(len(ends), bool)
        is_weight[first] = True
        if not is_weight[lengths > 2].all():  # a candidate number of three digits or more
            return None
    # The value of a number of one or two digits, read at its last digit.
    value = digit.copy()
    value[1:] += np.where(digit[:-1] < 10, digit[:-1] * np.uint8(10), np.uint8(0))
    values = value[ends - 1]
    if values[last].any():  # every line must end with 0
        return None
    lines = len(last)
    weights[:lines] = values[first]
    heavy = np.flatnonzero(lengths[first] > 2)
    if len(heavy):
        weight_starts, weight_lengths = starts[first[heavy]], lengths[first[heavy]]
        if weight_lengths.max() > 18:  # beyond int64: read by the line reader
            return None
        exact = np.zeros(len(heavy), np.int64)
        for place in range(int(weight_lengths.max())):
            more = weight_lengths > place
            exact[more] = exact[more] * 10 + digit[weight_starts[more] + place]
        weights[heavy] = exact
    # Row r holds line r's numbers from column 0 (the weight) on; the ranking is what
    # follows the weight, padded with 0s (the "0" ending the line is one of them).
    width = full.shape[1]
    position = np.repeat(np.arange(lines) * width - first, sizes) + np.arange(len(ends))
    full.reshape(-1)[position] = values
    matrix = full[:lines, 1:]
    ranked = sizes - 2
    if int(matrix.max()) > candidate_count:
        return None
    if (np.count_nonzero(matrix, axis=1) != ranked).any():  # a 0 before the end
        return None
    seen = np.zeros(lines, np.uint64)
    for column in range(int(ranked.max())):
        seen |= np.left_shift(np.uint64(1), matrix[:, column].astype(np.uint64))
    if (np.bitwise_count(seen >> np.uint64(1)) != ranked).any():  # a candidate twice
        return None
    return lines


def _next_content(lines: list[str], start: int) -> tuple[int, str] | None:
    """The index and content of the first line from `start` that is not blank or a comment."""
    for index in range(start, len(lines)):
        content = _content(lines[index])
        if content:
            return index, content
    return None


def _header(content: str) -> tuple[int, int]:
    fields = _fields(content)
    if len(fields) != 2:
        raise _LineProblem(f"expected 'candidates seats' (such as 4 2), found: {_shown(content)}")
    candidate_count = _whole_number(fields[0], "candidate count")
    seats = _whole_number(fields[1], "seat count")
    if candidate_count < 1:
        raise _LineProblem(f"candidate count must be at least 1, got {candidate_count}")
    if seats < 1:
        raise _LineProblem(f"seat count must be at least 1, got {seats}")
    return candidate_count, seats


def _withdrawn(content: str, candidate_count: int) -> set[int]:
    """Positions of the candidates on the withdrawn line (-2 -4: the second and fourth)."""
    withdrawn: set[int] = set()
    for field in _fields(content):
        value = _whole_number(field, "withdrawn candidate")
        if not -candidate_count <= value <= -1:
            raise _LineProblem(
                f"withdrawn candidate {value} is out of range (-1..-{candidate_count})"
            )
        withdrawn.add(-value - 1)
    return withdrawn


def _read_ballots(
    lines: list[str], start: int, candidate_count: int, last_line: int
) -> tuple[_Groups, int]:
    """Group the ballots from line index `start`; returns them and the index of the 0 line."""
    try:
        # The end marker is nearly always written as a bare 0; a line such as "0 " or
        # "0," met before it is found while grouping, and the section is cut there.
        end = lines.index("0", start)
    except ValueError:
        end = len(lines)
    while True:
        texts, copies = _distinct(lines[start:end])
        grouped = _group_lines(texts, copies, candidate_count)
        if isinstance(grouped, _Groups):
            if end == len(lines):
                raise BallotFileError(
                    last_line, "ballots are not terminated by a line holding only 0"
                )
            return grouped, end
        found = lines.index(grouped.text, start, end)
        if grouped.problem is not None:
            raise BallotFileError(found + 1, grouped.problem)
        end = found


def _distinct(section: list[str]) -> tuple[list[str], list[int]]:
    """The distinct lines in order of first appearance, each with its number of copies.

    Published files repeat most lines (one line per paper), so merging them first saves
    reading each copy; where a sample shows nearly every line distinct, merging would
    cost more than it saves and the lines are read as they are.
    """
    sample = section[:_CHUNK]
    if 10 * len(set(sample)) > 9 * len(sample):
        return section, [1] * len(section)
    copies = Counter(section)
    return list(copies), list(copies.values())


def _read_names(
    lines: list[str], start: int, candidate_count: int, last_line: int
) -> tuple[list[str], str]:
    """The candidate names and the title that follow the ballots."""
    fields: list[tuple[int, str]] = []
    for index in range(start, len(lines)):
        try:
            fields.extend((index + 1, name) for name in _name_fields(lines[index]))
        except _LineProblem as problem:
            raise BallotFileError(index + 1, str(problem)) from None
        if len(fields) > candidate_count + 1:
            line, extra = fields[candidate_count + 1]
            raise BallotFileError(line, f"unexpected text after the title: {_shown(extra)}")
    if len(fields) < candidate_count:
        raise BallotFileError(
            last_line, f"expected {candidate_count} candidate names, found {len(fields)}"
        )
    seen: set[str] = set()
    for line, name in fields[:candidate_count]:
        if not name.strip():
            raise BallotFileError(line, "a candidate name is empty")
        if name in seen:
            raise BallotFileError(line, f"this candidate name appears twice: {_shown(name)}")
        seen.add(name)
    title = fields[candidate_count][1] if len(fields) > candidate_count else ""
    return [name for _, name in fields[:candidate_count]], title


def parse_blt(text: str) -> RankedElection:
    """Parse a BLT file into a `RankedElection` with one ballot per distinct ranking.

    Raises BallotFileError naming the first bad line. `read_blt` gives the grouped form
    the counts use, without making an object per ranking.
    """
    return read_blt(text).election()


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
