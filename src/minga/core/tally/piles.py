"""Piles of ballot groups for the staged counts (instant runoff, STV).

This module may import only the standard library.

Each candidate's pile holds the groups of identical rankings currently sitting with
them, so an elimination or a surplus transfer touches only that candidate's ballots
instead of recounting everything. `cursor[group]` is the position in the group's ranking
of the candidate holding it. These loops run once per ballot group moved -- millions of
times for a large election -- so they are written for CPython's speed: local names,
no per-move allocation, sums taken with C-level maps where they can be.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter

from minga.core.tally.ballots import Weight

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
