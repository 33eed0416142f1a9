"""The array path of the ranked counts against the reference path it replaces.

Plain BLT files are read into a `RankingTable` (numpy) and counted by `TablePiles`; the
line reader and the list piles stay for every other input and serve here as the
reference: on random elections -- ties, exhausted and empty ballots, weights of 0, of
many digits and beyond what the arrays hold exactly, withdrawn candidates -- both paths
must read the same election and give the same count, JSON for JSON.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minga.core.tally import GroupedRankings, irv, read_blt, stv
from minga.core.tally.blt import _read_lines  # the reference: the careful line reader
from minga.core.tally.command import main
from minga.core.tally.table import RankingTable, TablePiles


@st.composite
def plain_elections(draw: st.DrawFn) -> tuple[str, int]:
    """A BLT file with one plain line per ballot, and the seats to count it for."""
    count = draw(st.integers(1, 12))
    seats = draw(st.integers(1, count))
    numbers = list(range(1, count + 1))
    ranking = st.lists(st.sampled_from(numbers), max_size=count, unique=True)
    weight = st.one_of(
        st.integers(0, 9),
        st.integers(10, 10**6),
        # Beyond the exact sums of the arrays (the counts fall back to lists), and beyond
        # 18 digits (the reader falls back to the line reader).
        st.sampled_from([10**12, 10**15 + 7, 10**19 + 1]),
    )
    ballots = draw(st.lists(st.tuples(weight, ranking), min_size=1, max_size=40))
    withdrawn = draw(st.lists(st.sampled_from(numbers), max_size=count - 1, unique=True))
    lines = [f"{count} {seats}"]
    if withdrawn:
        lines.append(" ".join(f"-{number}" for number in withdrawn))
    lines += [" ".join(map(str, (weight, *ranked, 0))) for weight, ranked in ballots]
    lines.append("0")
    lines += [f'"C{number}"' for number in numbers]
    lines.append('"Random"')
    return "\n".join(lines) + "\n", seats


def counts_json(standing: tuple[str, ...], grouped: GroupedRankings, seats: int) -> list[str]:
    return [
        json.dumps(irv(standing, grouped).to_json()),
        json.dumps(stv(standing, grouped, seats).to_json()),
    ]


@settings(max_examples=300, deadline=None)
@given(plain_elections())
def test_arrays_read_and_count_as_the_line_reader_and_lists(election: tuple[str, int]) -> None:
    """A plain file read into arrays gives the election the line reader gives, and IRV and
    STV counted from the arrays give the counts of the list piles, to the last digit."""
    text, seats = election
    fast, reference = read_blt(text), _read_lines(text)
    huge = any(len(line.split(" ", 1)[0]) > 18 for line in text.splitlines()[1:])
    assert (fast.groups.table is None) == huge  # plain lines take the array path
    assert (fast.candidates, fast.seats, fast.withdrawn, fast.title) == (
        reference.candidates,
        reference.seats,
        reference.withdrawn,
        reference.title,
    )
    assert fast.groups == reference.groups  # same distinct rankings, in the same order
    counted, reference_counted = fast.counted(), reference.counted()
    assert counted == reference_counted
    if not counted.counted(len(fast.standing))[0]:
        return  # nobody ranked: both refuse to count alike (tested elsewhere)
    as_lists = GroupedRankings(counted.rankings, counted.weights, counted.candidate_count)
    assert as_lists.table is None
    assert counts_json(fast.standing, counted, seats) == counts_json(fast.standing, as_lists, seats)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 9).flatmap(
        lambda count: st.tuples(
            st.just(count),
            st.lists(
                st.tuples(
                    st.lists(st.integers(0, count - 1), max_size=count, unique=True),
                    st.integers(0, 5),
                ),
                max_size=30,
            ),
            st.integers(1, count),
        )
    )
)
def test_table_piles_count_as_list_piles(
    case: tuple[int, list[tuple[list[int], int]], int],
) -> None:
    """Tables built from rankings, rows repeated, empty and of weight 0 included, count as
    the same rankings merged into tuples; small weights make ties of every kind."""
    count, ballots, seats = case
    names = tuple(f"N{index}" for index in range(count))
    rankings = [ranking for ranking, _ in ballots]
    weights = [weight for _, weight in ballots]
    table = GroupedRankings.from_table(RankingTable.from_rankings(rankings, weights, count))
    merged = GroupedRankings(table.rankings, table.weights, count)
    if not any(ranking and weight for ranking, weight in ballots):
        return
    assert counts_json(names, table, seats) == counts_json(names, merged, seats)


def test_table_piles_move_rows_past_candidates_no_longer_continuing() -> None:
    """A move skips preferences for candidates who are out, drops used-up rankings as lost
    value, and lists a receiver even when what it received is worth nothing."""
    table = RankingTable.from_rankings([(0, 1, 2), (0, 2), (0,), (0, 1)], [2, 3, 4, 0], 3)
    piles = TablePiles(table, 3, 1)
    assert piles.first_totals == [9, 0, 0]
    moved, lost = piles.move(0, [False, False, True])
    assert moved == {2: 5}  # both skip candidate 1; the weight-0 row has no one left
    assert lost == 4
    moved, lost = piles.move(2, [False, False, False])
    assert (moved, lost) == ({}, 5)


def test_reader_leaves_odd_plain_lines_to_the_line_reader() -> None:
    """Leading zeros, double spaces and a candidate number of three digits are not read
    by the arrays; the line reader reads or refuses them as before."""
    head, tail = "3 1\n", '0\n"A"\n"B"\n"C"\n'
    election = read_blt(head + "1 01 2 0\n2 3 0\n" + tail)
    assert election.groups.table is None
    assert election.groups.rankings == ((0, 1), (2,))
    assert read_blt(head + "1  1 2 0\n" + tail).groups.table is None
    assert read_blt(head + "007 1 0\n" + tail).groups.weights == (7,)
    with pytest.raises(ValueError, match="line 2: candidate number 100 is out of range"):
        read_blt(head + "1 100 0\n" + tail)


def test_argument_errors_are_reported_before_the_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--seats with IRV is refused without opening the file: a missing file is not
    mentioned, and standard input is not read."""
    assert main(["--method", "irv", "--seats", "3", str(tmp_path / "missing.blt")]) == 2
    error = capsys.readouterr().err
    assert "irv fills one seat" in error
    assert "cannot read" not in error

    class Unreadable(io.StringIO):
        def read(self, size: int | None = -1) -> str:
            raise AssertionError("standard input was read")

    monkeypatch.setattr("sys.stdin", Unreadable())
    assert main(["--method", "irv", "--seats", "2", "-"]) == 2
    assert "irv fills one seat" in capsys.readouterr().err
