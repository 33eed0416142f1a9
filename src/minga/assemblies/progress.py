"""Progress of a tree of follow-up results, as a pure function.

This module may import only the standard library (it is tested without a database).

A result without children has its own progress (the one given, else the default of its
status). A result with children has the weighted mean of its children's progress, each
child counting with its weight; dropped children do not count. Cycles cannot occur (a
parent is always created first), but a node reached twice is computed once.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

DEFAULT_PROGRESS = {"planned": 0, "in_progress": 50, "blocked": 0, "done": 100, "dropped": 0}


@dataclass(frozen=True)
class Node(Generic[K]):
    key: K
    parent: K | None
    weight: int
    status: str
    progress: int | None = None

    @property
    def own_progress(self) -> int:
        if self.progress is not None:
            return self.progress
        return DEFAULT_PROGRESS.get(self.status, 0)


def roll_up(nodes: Mapping[K, Node[K]]) -> dict[K, int]:
    """Progress of every node, in whole percent (rounded down), children rolled up."""
    children: dict[K, list[K]] = {}
    for key, node in nodes.items():
        if node.parent is not None and node.parent in nodes:
            children.setdefault(node.parent, []).append(key)
    exact: dict[K, Fraction] = {}

    def compute(key: K, path: frozenset[K]) -> Fraction:
        if key in exact:
            return exact[key]
        counted = [
            child
            for child in children.get(key, [])
            if nodes[child].status != "dropped" and nodes[child].weight > 0 and child not in path
        ]
        if not counted:
            value = Fraction(nodes[key].own_progress)
        else:
            total = sum(nodes[child].weight for child in counted)
            weighted = Fraction(0)
            for child in counted:
                weighted += compute(child, path | {key}) * nodes[child].weight
            value = weighted / total
        exact[key] = value
        return value

    return {key: int(compute(key, frozenset())) for key in nodes}
