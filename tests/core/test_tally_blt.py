"""BLT files as election administrations publish them, read fast and checked line by line.

The files under data/blt/ are written by hand in each published form; the differential
test at the end compares `read_blt` with a straightforward reference reader written here.
"""

from __future__ import annotations

import random
import re
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minga.core.tally import (
    BallotFileError,
    GroupedRankings,
    RankedBallot,
    irv,
    parse_blt,
    read_blt,
    schulze,
    stv,
)
from minga.core.tally.command import main

DATA = Path(__file__).resolve().parent / "data" / "blt"


def read(name: str) -> str:
    """A fixture as the command reads it: bytes decoded as UTF-8, nothing else done."""
    return (DATA / name).read_bytes().decode("utf-8")


def as_counted(text: str) -> tuple[object, ...]:
    election = read_blt(text)
    groups = dict(zip(election.groups.rankings, election.groups.weights, strict=True))
    return election.candidates, election.seats, election.withdrawn, election.title, groups


@pytest.mark.parametrize(
    "name", ["unquoted.blt", "spreadsheet.blt", "spaces_and_blanks.blt", "windows_bom.blt"]
)
def test_published_forms_read_as_the_textbook_file(name: str) -> None:
    """Names without quotes, spreadsheet commas, stray spaces, blank lines, comments, a
    ballot id, Windows line ends and a byte-order mark all give the textbook election."""
    assert as_counted(read(name)) == as_counted(read("textbook.blt"))


def test_textbook_fixture_is_read_as_written() -> None:
    """The reference fixture itself: names with an apostrophe and an accent, a withdrawal."""
    election = read_blt(read("textbook.blt"))
    assert election.candidates == ("Ana O'Neill", "Bo Díaz", "Cy", "Di")
    assert election.seats == 2
    assert election.withdrawn == frozenset({"Di"})
    assert election.title == "Parish council 2025"
    assert election.groups.rankings == ((0, 1), (1, 0, 2), (2,), (0, 2, 3), (1,))
    assert election.groups.weights == (3, 2, 4, 1, 2)


def test_old_mac_line_ends_are_lines_too() -> None:
    """A file whose lines end in a bare CR reads like the same file with LF."""
    text = read("textbook.blt")
    assert as_counted(text.replace("\n", "\r")) == as_counted(text)


def test_doubled_quotes_inside_a_quoted_name_stand_for_one() -> None:
    """CSV-style quoting: "" inside quotes is one quote, and two names may share a line."""
    election = read_blt(read("doubled_quotes.blt"))
    assert election.candidates == ('Ana "Nana" O\'Neill', 'Bo "Bobby" Díaz', "Cy")
    assert election.title == 'The "Green" ward, 2025'


@pytest.mark.parametrize(
    ("name", "line", "cause"),
    [
        (
            "undoubled_quotes.blt",
            6,
            "text after the closing double quote (write a double quote inside a quoted "
            'name as two, ""): Bobby" Díaz"',
        ),
        ("apostrophe_extra.blt", 7, "unexpected text after the title: Cy O'Neill"),
        ("equal_ranks.blt", 3, "equal preferences (2=3) cannot be counted"),
    ],
)
def test_unreadable_fixtures_name_the_line_and_the_cause(name: str, line: int, cause: str) -> None:
    """Errors point at the offending line and say why; text from the file is shown as it
    is, so a name with an apostrophe is not echoed as if it had been quoted."""
    with pytest.raises(BallotFileError) as caught:
        read_blt(read(name))
    assert caught.value.line == line
    assert caught.value.problem.startswith(cause)
    assert "'Cy O'Neill'" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "cause"),
    [
        ("3 1\n1 1 2=3 0\n0\n", 2, "equal preferences (2=3) cannot be counted"),
        ("3 1\n1 1 = 2 0\n0\n", 2, "equal preferences (=) cannot be counted"),
        ("3 1\n1 1 - 2 0\n0\n", 2, "a skipped preference (-) cannot be counted"),
        ("3 1\n1,5 2 0\n0\n", 2, "numbers are separated by both commas and spaces"),
        ("3 1\n1,,2,0\n0\n", 2, "an empty field between two commas"),
        ("3 1\n1 2 0 3 0\n0\n", 2, "0 ends a ballot, but more numbers follow it"),
        ("3 1\n1/0 2 0\n0\n", 2, "ballot weight 1/0 divides by zero"),
        ("3 1\n(b1 1 2 0\n0\n", 2, "the ballot id in parentheses is not closed"),
        ('3 1\n1 1 0\n0\n"Ana\n', 4, "the double quote that opens this name is never closed"),
        ('3 1\n1 1 0\n0\n"A"\n""\n"C"\n', 5, "a candidate name is empty"),
        ("3 1\n1 1 0\n1 2 0", 3, "ballots are not terminated by a line holding only 0"),
        ("3 1\n\n# comment\n1 4 0\n0\n", 4, "candidate number 4 is out of range (1..3)"),
        ("x 1\n0\n", 1, "candidate count x is not a whole number"),
        ("999999999 1\n0\n", 1, "the file is too short to name 999999999 candidates"),
        ("3 1\n-1 -7\n0\n", 2, "withdrawn candidate -7 is out of range (-1..-3)"),
    ],
)
def test_errors_name_the_line_and_the_cause(text: str, line: int, cause: str) -> None:
    """Each unreadable line is reported with its number (as an editor counts) and why."""
    with pytest.raises(BallotFileError) as caught:
        read_blt(text)
    assert (caught.value.line, caught.value.problem[: len(cause)]) == (line, cause)


def big_file(rng: random.Random, papers: int, bad: dict[int, str]) -> tuple[str, list[str]]:
    """A plain file of `papers` ballot lines over 9 candidates, some lines replaced."""
    lines = ["9 3"]
    for index in range(papers):
        if index in bad:
            lines.append(bad[index])
            continue
        ranking = rng.sample(range(1, 10), rng.randint(1, 4))
        lines.append(" ".join(["1", *map(str, ranking), "0"]))
    lines += ["0", *(f'"C{number}"' for number in range(1, 10))]
    return "\n".join(lines) + "\n", lines


def test_first_bad_line_of_a_large_plain_file_is_reported() -> None:
    """In 20,000 plain lines read in bulk, the first bad line is named even when a later
    line repeats it and an earlier distinct line is also bad further down the file."""
    text, _ = big_file(
        random.Random(1),
        20_000,
        {15_000: "1 2 12 0", 7_776: "1 3 3 0", 19_000: "1 3 3 0"},
    )
    with pytest.raises(BallotFileError) as caught:
        read_blt(text)
    assert caught.value.line == 7_778
    assert caught.value.problem == "candidate number 3 is ranked twice"


def test_an_odd_line_among_plain_ones_keeps_the_file_order_of_errors() -> None:
    """With a comment line forcing the careful reader for part of the file, the first
    error in file order is still the one reported."""
    text, _ = big_file(
        random.Random(2), 5_000, {100: "# recount of box 4", 2_000: "1 1 1 0", 3_000: "1 x 0"}
    )
    with pytest.raises(BallotFileError) as caught:
        read_blt(text)
    assert caught.value.line == 2_002


def test_end_marker_written_oddly_ends_the_ballots_where_it_stands() -> None:
    """A "0 " end marker before a bare "0" ends the ballots there: what follows is names."""
    text = '2 1\n1 1 0\n0 \n"A"\n"0"\n'
    election = read_blt(text.replace('"0"', "0").replace('"A"', "A"))
    assert election.candidates == ("A", "0")
    assert election.groups.rankings == ((0,),)


def test_large_plain_file_groups_identical_rankings() -> None:
    """A million-style file (one line per paper) is read into one group per ranking."""
    text, lines = big_file(random.Random(3), 30_000, {})
    election = read_blt(text)
    distinct = set(lines[1:30_001])
    assert len(election.groups.rankings) == len(distinct)
    assert sum(election.groups.weights) == 30_000


def test_grouped_counts_equal_counts_of_ballots() -> None:
    """Counting the grouped rankings read from a file gives the very result of counting
    its ballots one by one, for every ranked method."""
    election = read_blt(read("textbook.blt"))
    ballots = election.election().counted_ballots()
    standing, grouped = election.standing, election.counted()
    assert irv(standing, grouped) == irv(standing, ballots)
    assert stv(standing, grouped, 2) == stv(standing, ballots, 2)
    assert schulze(standing, grouped) == schulze(standing, ballots)


def test_grouped_rankings_refuse_bad_positions_and_weights() -> None:
    """Grouped rankings built by hand are checked like ballots are."""
    with pytest.raises(ValueError, match="ranked twice"):
        GroupedRankings(((0, 0),), (1,), 2)
    with pytest.raises(ValueError, match=r"positions must be in 0\.\.1"):
        GroupedRankings(((0, 2),), (1,), 2)
    with pytest.raises(ValueError, match="must not be negative"):
        GroupedRankings(((0,),), (-1,), 2)
    with pytest.raises(ValueError, match="3 are counted"):
        irv("ABC", GroupedRankings(((0,),), (1,), 2))


def test_parse_blt_merges_identical_rankings() -> None:
    """parse_blt gives one ballot per distinct ranking, weights added up."""
    election = parse_blt("2 1\n1 1 2 0\n2 2 0\n3 1 2 0\n0\nA\nB\n")
    assert election.ballots == (RankedBallot(("A", "B"), 4), RankedBallot(("B",), 2))


def test_argument_errors_come_before_reading_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--seats 3` with IRV is refused as a usage error even if the file is missing."""
    assert main(["--method", "irv", "--seats", "3", str(tmp_path / "missing.blt")]) == 2
    error = capsys.readouterr().err
    assert "irv fills one seat" in error
    assert "cannot read" not in error


def test_command_counts_every_published_form(capsys: pytest.CaptureFixture[str]) -> None:
    """`minga tally` prints the same winners for each published form of the file."""
    winners = []
    for name in ("textbook.blt", "spreadsheet.blt", "windows_bom.blt", "unquoted.blt"):
        assert main(["--method", "stv", str(DATA / name)]) == 0
        out = capsys.readouterr().out
        assert "Title: Parish council 2025" in out
        winners.append(out.rstrip().rsplit("\n", 1)[-1])
    assert winners == [winners[0]] * 4
    assert winners[0].startswith("Winners: ")


# --- Differential test: read_blt against a straightforward reference reader. ---------


class ReferenceError(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def reference_read(text: str) -> tuple[object, ...]:
    """Read BLT one line at a time, the plain way, following the rules in blt.py's
    docstring; raises ReferenceError(line) at the first line it cannot read."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    last = max(len(lines) - 1 if len(lines) > 1 and lines[-1] == "" else len(lines), 1)

    def numbers(raw: str) -> list[str]:
        content = re.sub(r"[\s,]+$", "", raw.split("#")[0]).strip()
        if content.startswith("("):  # a ballot id
            if ")" not in content:
                raise ValueError
            content = content[content.index(")") + 1 :].lstrip(" \t,")
            if not content:
                raise ValueError
        if "," in content:
            fields = [field.strip() for field in content.split(",")]
            if any(not field or " " in field or "\t" in field for field in fields):
                raise ValueError
            return fields
        return content.split()

    position = 0

    def next_numbers() -> tuple[int, list[str]]:
        nonlocal position
        while position < len(lines):
            position += 1
            try:
                fields = numbers(lines[position - 1])
            except ValueError:
                raise ReferenceError(position) from None
            if fields:
                return position, fields
        raise ReferenceError(last)

    line, fields = next_numbers()
    if len(fields) != 2 or not all(re.fullmatch(r"[0-9]+", field) for field in fields):
        raise ReferenceError(line)
    count, seats = int(fields[0]), int(fields[1])
    if count < 1 or seats < 1:
        raise ReferenceError(line)
    withdrawn: set[int] = set()
    totals: dict[tuple[int, ...], int | Fraction] = {}
    first = True
    while True:
        line, fields = next_numbers()
        if fields == ["0"]:
            break
        if first and fields[0].startswith("-"):
            first = False
            for field in fields:
                if not re.fullmatch(r"-[0-9]+", field) or not 1 <= -int(field) <= count:
                    raise ReferenceError(line)
                withdrawn.add(-int(field) - 1)
            continue
        first = False
        if not re.fullmatch(r"[0-9]+(\.[0-9]+|/[0-9]+)?", fields[0]):
            raise ReferenceError(line)
        try:
            weight = Fraction(fields[0])
        except ZeroDivisionError:
            raise ReferenceError(line) from None
        if len(fields) < 2 or fields[-1] != "0":
            raise ReferenceError(line)
        ranking: list[int] = []
        for field in fields[1:-1]:
            if not re.fullmatch(r"[0-9]+", field):
                raise ReferenceError(line)
            number = int(field)
            if not 1 <= number <= count or number - 1 in ranking:
                raise ReferenceError(line)
            ranking.append(number - 1)
        totals[tuple(ranking)] = totals.get(tuple(ranking), 0) + weight

    names: list[tuple[int, str]] = []
    for line in range(position + 1, len(lines) + 1):
        raw = lines[line - 1].strip()
        if not raw or raw.startswith("#"):
            continue
        if not raw.startswith('"'):
            name = re.sub(r"[\s,]+$", "", re.split(r"\s#", raw)[0])
            if name:
                names.append((line, name))
        else:
            rest = raw
            while rest and not rest.startswith("#"):
                found = re.match(r'"((?:[^"]|"")*)"[\s,]*', rest)
                if found is None:
                    raise ReferenceError(line)
                names.append((line, found.group(1).replace('""', '"')))
                rest = rest[found.end() :]
        if len(names) > count + 1:
            raise ReferenceError(names[count + 1][0])
    if len(names) < count:
        raise ReferenceError(last)
    seen: set[str] = set()
    for line, name in names[:count]:
        if not name.strip() or name in seen:
            raise ReferenceError(line)
        seen.add(name)
    candidates = tuple(name for _, name in names[:count])
    title = names[count][1] if len(names) > count else ""
    groups = {ranking: weight for ranking, weight in totals.items() if weight}
    return candidates, seats, frozenset(candidates[index] for index in withdrawn), title, groups


NAME_CHARS = st.sampled_from(list("abcAB O'é-#,\""))


@st.composite
def blt_texts(draw: st.DrawFn) -> str:
    """BLT text in the forms administrations publish, sometimes with a mistake in it."""
    count = draw(st.integers(1, 12))
    seats = draw(st.integers(1, 3))
    comma = draw(st.booleans())
    separator = "," if comma else draw(st.sampled_from([" ", "  ", "\t"]))

    def tail() -> str:
        return draw(st.sampled_from(["", "", " ", ",,", "\t", "  # note"]))

    lines = [f"{count}{separator}{seats}{tail()}"]
    if draw(st.booleans()):
        withdrawn = draw(st.sets(st.integers(1, count), min_size=1, max_size=count))
        lines.append(separator.join(f"-{number}" for number in sorted(withdrawn)) + tail())
    pool = []
    for _ in range(draw(st.integers(0, 6))):
        ranking = draw(st.permutations(range(1, count + 1)))[: draw(st.integers(0, count))]
        weight = draw(st.sampled_from(["1", "1", "2", "3", "0", "1.5", "3/4", "10"]))
        pool.append(separator.join([weight, *map(str, ranking), "0"]))
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            lines.append(draw(st.sampled_from(["", "   ", "# comment"])))
        elif pool:
            lines.append(draw(st.sampled_from(pool)) + tail())
    lines.append(draw(st.sampled_from(["0", "0", "0 ", "0,,", "0 # end"])))
    for number in range(count + draw(st.sampled_from([0, 1, 1, 2]))):
        name = f"N{number}" + draw(st.text(NAME_CHARS, max_size=6))
        if draw(st.booleans()):
            lines.append('"' + name.replace('"', '""') + '"' + tail())
        else:
            lines.append(name.replace("#", "").strip(" ,\t") + tail())
    if draw(st.booleans()):
        lines.insert(draw(st.integers(1, len(lines))), draw(st.sampled_from(MISTAKES)))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    bom = "\ufeff" if draw(st.booleans()) else ""
    return bom + ending.join(lines) + draw(st.sampled_from(["", ending]))


MISTAKES = [
    "1 1=2 0",
    "1 1 1 0",
    "1 99 0",
    "x 1 0",
    "1 1 2",
    "1,5 1 0",
    "1 01 0",
    "(id 1 1 0",
    '"unclosed',
    '"A" trailing',
    "1 1 - 0",
    "-1",
    "1 0 1 0",
    "0",
]


@settings(max_examples=400, deadline=None)
@given(blt_texts())
def test_read_blt_agrees_with_the_reference_reader(text: str) -> None:
    """On random BLT text in every published form, with and without mistakes, read_blt
    reads what the reference reader reads, or fails on the same line."""
    try:
        expected: tuple[object, ...] | int = reference_read(text)
    except ReferenceError as error:
        expected = error.line
    if isinstance(expected, int):
        with pytest.raises(BallotFileError) as caught:
            read_blt(text)
        assert caught.value.line == expected
    else:
        assert as_counted(text) == expected
