"""Counts for public reports with small groups suppressed.

A group counted under :data:`SMALLEST_GROUP` is never shown, and neither is a total under
it. When exactly one group is hidden, the total minus the groups shown would give it away,
so the smallest group shown is hidden too (secondary suppression): what is hidden is then
always two groups or more, whose sum says nothing about either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SMALLEST_GROUP = 5


@dataclass(frozen=True)
class SuppressedCounts:
    shown: dict[str, int]  # the groups shown, each SMALLEST_GROUP or more
    hidden: bool  # whether some group was left out
    total: int | None  # None when the total itself is too small to show


def suppress_small(counts: Mapping[str, int], smallest: int = SMALLEST_GROUP) -> SuppressedCounts:
    present = {key: value for key, value in counts.items() if value > 0}
    total = sum(present.values())
    if total < smallest:
        return SuppressedCounts({}, bool(present), None)
    shown = {key: value for key, value in present.items() if value >= smallest}
    if len(present) - len(shown) == 1:
        smallest_shown = min(shown, key=lambda key: (shown[key], key))
        del shown[smallest_shown]
    return SuppressedCounts(dict(sorted(shown.items())), len(shown) < len(present), total)
