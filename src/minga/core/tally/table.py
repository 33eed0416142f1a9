"""Ranked ballots as arrays, so a count of a million papers runs at C speed.

This module may import only the standard library and numpy.

A `RankingTable` holds one row per ballot line: candidate numbers (1-based, most
preferred first) in a 2-D array of bytes, 0 after the last preference, and the line's
weight in an int64 vector. Identical rankings are *not* merged here: the staged counts
give the same result whether identical rankings travel together or apart (every paper of
a ranking has the same value, and a transfer value is worked out per paper), so merging
-- a pass over a million rows in Python's dicts -- is left to the readers that need
distinct rankings (`GroupedRankings.rankings`: Schulze, `GroupedElection.election()`).
No Python object is made per paper or per row.

`TablePiles` is the array form of `piles.ListPiles`: which candidate holds each row,
and a count's move of a candidate's rows to their next continuing preferences as a few
vectorized steps (one per preference skipped), not a Python loop over rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import compress

import numpy as np
import numpy.typing as npt

Numbers = npt.NDArray[np.uint8]
Integers = npt.NDArray[np.int64]

MAX_CANDIDATES = 63
"""A row's candidates are checked for repeats as bits of one 64-bit word (bit 0: none)."""

EXACT_SUMS = 2**53
"""Piles are summed with numpy's float bincount, exact below this (the float mantissa)."""


@dataclass(frozen=True, slots=True, eq=False)
class RankingTable:
    """Rankings as rows of candidate numbers (1-based, then 0s) with a weight per row.

    `matrix` always has a last column of 0s, so "the preference after the last one" can
    be read without a bounds check; rows may repeat. Weights are non-negative.
    """

    matrix: Numbers
    weights: Integers
    candidate_count: int

    @classmethod
    def from_rankings(
        cls, rankings: Sequence[Sequence[int]], weights: Sequence[int], candidate_count: int
    ) -> RankingTable:
        """A table of rankings given as 0-based candidate positions (checked by the caller)."""
        if candidate_count > MAX_CANDIDATES:
            raise ValueError(f"a ranking table holds at most {MAX_CANDIDATES} candidates")
        width = max(map(len, rankings), default=0) + 1
        matrix = np.zeros((len(rankings), width), np.uint8)
        for row, ranking in enumerate(rankings):
            matrix[row, : len(ranking)] = np.asarray(ranking, np.int64) + 1
        return cls(matrix, np.asarray(weights, np.int64).reshape(-1), candidate_count)

    def grouped(self) -> tuple[tuple[tuple[int, ...], ...], tuple[int, ...]]:
        """Distinct rankings (0-based positions) in order of first appearance, with the total
        weight of each; groups whose papers all weigh nothing are left out."""
        lengths = np.count_nonzero(self.matrix, axis=1)
        # Each row as the bytes of its 0-based positions, ended by 255: equal rankings give
        # equal bytes, and a bytes object reads back as a tuple of its values, all at C
        # speed (no Python loop over a million rows).
        shifted = self.matrix - np.uint8(1)  # the 0s after a ranking become 255
        ended = self.matrix != 0
        ended[np.arange(len(lengths)), lengths] = True  # the first 255: the end mark
        keys = shifted[ended].tobytes().split(b"\xff")[:-1]
        distinct = list(dict.fromkeys(keys))
        group_of = dict(zip(distinct, range(len(distinct)), strict=True))
        groups = np.fromiter(map(group_of.__getitem__, keys), np.int64, len(keys))
        totals: list[int]
        if self.total_weight() < 2**62:
            sums = np.zeros(len(distinct), np.int64)
            np.add.at(sums, groups, self.weights)
            totals = sums.tolist()
        else:  # beyond int64: added up in Python's integers
            totals = [0] * len(distinct)
            for group, weight in zip(groups.tolist(), self.weights.tolist(), strict=True):
                totals[group] += weight
        weighed = list(map(bool, totals))
        return tuple(map(tuple, compress(distinct, weighed))), tuple(compress(totals, weighed))

    def counted(self) -> RankingTable:
        """The rows a count credits: those ranking someone, with weight."""
        credited = (self.matrix[:, 0] != 0) & (self.weights > 0)
        if credited.all():
            return self
        return RankingTable(self.matrix[credited], self.weights[credited], self.candidate_count)

    def struck(self, new_number: Sequence[int]) -> RankingTable:
        """The rows with candidates renumbered by `new_number[old]` (1-based; 0 strikes a
        candidate out), later preferences moving up into the struck places."""
        renumber = np.zeros(self.candidate_count + 1, np.uint8)
        renumber[1:] = np.asarray(new_number, np.uint8)
        renumbered = renumber[self.matrix]
        # A stable sort of "is struck" moves the kept numbers forward in their order.
        order = np.argsort(renumbered == 0, axis=1, kind="stable")
        matrix = np.take_along_axis(renumbered, order, axis=1)
        return RankingTable(
            np.ascontiguousarray(matrix), self.weights, int(np.count_nonzero(new_number))
        )

    def total_weight(self) -> int:
        """The weights added up exactly (as Python integers if int64 might overflow)."""
        if float(self.weights.sum(dtype=np.float64)) < 2**62:
            return int(self.weights.sum())
        return sum(self.weights.tolist())


class TablePiles:
    """Which candidate holds each row of a table, and the moves of a staged count.

    Each row is worth weight × paper value; a paper value starts at `unit` (1 for instant
    runoff, 100,000 hundred-thousandths for STV) and changes only by `move`'s `revalue`.
    """

    def __init__(self, table: RankingTable, count: int, unit: int) -> None:
        self.numbers = table.matrix.reshape(-1)
        self.weights = table.weights
        self.count = count
        self.paper_values = np.full(len(table.weights), unit, np.int64)
        # Where in `numbers` each row's current preference is: row × width + position.
        # A row whose ranking is used up points at one of its 0s.
        self.at = np.arange(len(table.weights), dtype=np.int64) * table.matrix.shape[1]
        self.holder = table.matrix[:, 0].astype(np.int16) - 1  # -1: exhausted
        totals = np.bincount(self.holder, weights=table.weights * unit, minlength=count)
        self.first_totals: list[int] = totals.astype(np.int64).tolist()

    def move(
        self,
        source: int,
        continuing: Sequence[bool],
        revalue: tuple[int | Fraction, int | Fraction] | None = None,
    ) -> tuple[dict[int, int | Fraction], int]:
        """Pass every row `source` holds to its next continuing preference.

        With `revalue` = (surplus, total), each paper's value first becomes
        ``surplus * value // total``. Returns the value received by each candidate who
        received a row (ordered by candidate), and the value of the rows with no
        continuing preference left.
        """
        rows = np.flatnonzero(self.holder == source)
        paper_values = self.paper_values[rows]
        if revalue is not None:
            surplus, total = revalue
            # Rows arriving together share a paper value, so few distinct values are
            # revalued, in Python's exact integers, and written back by index.
            old_values, which = np.unique(paper_values, return_inverse=True)
            new_values = np.array(
                [int(surplus * old // total) for old in old_values.tolist()], np.int64
            )
            paper_values = new_values[which.reshape(-1)]
            self.paper_values[rows] = paper_values
        values = self.weights[rows] * paper_values
        # Taken by candidate number; number 0 (no preference left) ends the search.
        stops = np.ones(self.count + 1, bool)
        stops[1:] = continuing
        at = self.at[rows] + 1
        numbers = self.numbers[at]
        skipping = np.flatnonzero(~stops[numbers])
        while len(skipping):  # preferences for candidates no longer continuing
            at[skipping] += 1
            numbers[skipping] = self.numbers[at[skipping]]
            skipping = skipping[~stops[numbers[skipping]]]
        self.at[rows] = at
        receivers = numbers.astype(np.int16) - 1
        self.holder[rows] = receivers
        # Shifted by one, so that bin 0 gathers the rows with no preference left.
        amounts = np.bincount(numbers, weights=values, minlength=self.count + 1)
        held = np.bincount(numbers, minlength=self.count + 1)
        moved: dict[int, int | Fraction] = {
            index: int(amounts[index + 1]) for index in np.flatnonzero(held[1:]).tolist()
        }
        return moved, int(amounts[0])
