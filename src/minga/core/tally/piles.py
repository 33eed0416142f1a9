"""Piles of ballot groups for the staged counts (instant runoff, STV).

This module may import only the standard library and `minga.core.tally.table` (numpy).

Each candidate's pile holds the groups of identical rankings currently sitting with
them, so an elimination or a surplus transfer touches only that candidate's ballots
instead of recounting everything. `cursor[group]` is the position in the group's ranking
of the candidate holding it. These loops run once per ballot group moved -- millions of
times for a large election -- so they are written for CPython's speed: local names,
no per-move allocation, sums taken with C-level maps where they can be.

`piles_for` picks the form a count uses: `TablePiles` (arrays, see `table`) for ballots
read from a file into a `RankingTable`, `ListPiles` for the rest. Both give the same
count to the last digit; the counts (irv, stv) see only their shared `Piles` interface.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from operator import itemgetter, mul
from typing import Protocol

from minga.core.tally.ballots import GroupedRankings, RankedBallots, Weight, counted_rankings
from minga.core.tally.table import EXACT_SUMS, TablePiles

_FIRST = itemgetter(0)


def first_preferences(
    rankings: Sequence[tuple[int, ...]], weights: Sequence[Weight], count: int
) -> tuple[list[list[int]], list[Weight]]:
    """Every group in the pile of its first preference, and the weight each pile holds."""
    piles: list[list[int]] = [[] for _ in range(count)]
    add = [pile.append for pile in piles]
    for group, first in enumerate(map(_FIRST, rankings)):
        add[first](group)
    totals: list[Weight] = [sum(map(weights.__getitem__, pile)) for pile in piles]
    return piles, totals


def pass_on(
    pile: Sequence[int],
    values: Iterable[Weight],
    rankings: Sequence[tuple[int, ...]],
    cursor: list[int],
    continuing: Sequence[bool],
    piles: list[list[int]],
) -> tuple[dict[int, Weight], Weight]:
    """Move each group of `pile` (worth `values`, in step) to its next continuing preference.

    Returns the value received by each candidate who received a group (ordered by
    candidate), and the value of the groups with no continuing preference left.
    """
    held_before = list(map(len, piles))
    moved: list[Weight] = [0] * len(piles)
    add = [each.append for each in piles]
    lost: Weight = 0
    for group, value in zip(pile, values, strict=True):
        ranking = rankings[group]
        position = cursor[group] + 1
        end = len(ranking)
        while position < end:
            receiver = ranking[position]
            if continuing[receiver]:
                cursor[group] = position
                add[receiver](group)
                moved[receiver] += value
                break
            position += 1
        else:
            lost += value
    # A candidate who received only groups worth nothing is still listed, as in the count.
    received = {
        index: moved[index]
        for index, (before, after) in enumerate(zip(held_before, map(len, piles), strict=True))
        if after > before
    }
    return received, lost


class Piles(Protocol):
    """Who holds which ballots during a staged count, and the moves between them."""

    @property
    def first_totals(self) -> Sequence[Weight]:
        """The value each candidate holds at the first stage, in units of the paper value."""
        ...

    def move(
        self, source: int, continuing: Sequence[bool], revalue: tuple[Weight, Weight] | None = None
    ) -> tuple[dict[int, Weight], Weight]:
        """Pass everything `source` holds to the next continuing preferences (after
        revaluing each paper to ``surplus * value // total`` if `revalue` is given);
        return the value received by each receiver (by candidate) and the value lost."""
        ...


class ListPiles:
    """Piles as Python lists of ballot groups: for any weights, Fractions included."""

    def __init__(
        self, rankings: Sequence[tuple[int, ...]], weights: Sequence[Weight], count: int, unit: int
    ) -> None:
        self.rankings = rankings
        self.weights = weights
        self.unit = unit
        self.paper_values = [unit] * len(rankings)
        self.cursor = [0] * len(rankings)
        self.piles, totals = first_preferences(rankings, weights, count)
        self.first_totals: list[Weight] = [total * unit for total in totals]

    def move(
        self, source: int, continuing: Sequence[bool], revalue: tuple[Weight, Weight] | None = None
    ) -> tuple[dict[int, Weight], Weight]:
        pile = self.piles[source]
        paper_values = self.paper_values
        if revalue is not None:
            surplus, total = revalue
            # Groups arriving together share a paper value, so a pile holds few distinct
            # values: work each new value out once, then write them back at C speed.
            old_values = list(map(paper_values.__getitem__, pile))
            new_value = {old: int(surplus * old // total) for old in set(old_values)}
            deque(map(paper_values.__setitem__, pile, map(new_value.__getitem__, old_values)), 0)
        values: Iterable[Weight] = map(self.weights.__getitem__, pile)
        if self.unit != 1 or revalue is not None:
            values = map(mul, values, map(paper_values.__getitem__, pile))
        moved, lost = pass_on(pile, values, self.rankings, self.cursor, continuing, self.piles)
        self.piles[source] = []
        return moved, lost


def piles_for(candidates: Sequence[str], ballots: RankedBallots, unit: int) -> tuple[Piles, Weight]:
    """The piles of a staged count whose paper values start at `unit`, and the valid votes.

    Ballots read into a `RankingTable` are counted with arrays when every sum stays exact
    in them; anything else (Fraction weights, astronomically large ones) with lists.
    """
    if isinstance(ballots, GroupedRankings) and ballots.table is not None:
        if ballots.candidate_count != len(candidates):
            ballots.counted(len(candidates))  # raises the mismatch
        table = ballots.table.counted()
        total = table.total_weight()
        if total * unit < EXACT_SUMS:
            return TablePiles(table, len(candidates), unit), total
    rankings, weights = counted_rankings(candidates, ballots)
    return ListPiles(rankings, weights, len(candidates), unit), sum(weights, 0)
