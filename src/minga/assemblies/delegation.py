"""Liquid delegation, as a pure function: who carries whose weight in one vote.

This module may import only the standard library (it is tested without a database).

Each member has a weight. A member that casts its own ballot uses its own weight, whatever
delegation it gave (a direct vote overrides). A member that does not vote passes its weight
along its delegation, and on along the delegate's own delegation, until the weight reaches a
member that voted. Weight that reaches nobody who voted -- the chain stops at a member that
neither voted nor delegated, or it runs into a cycle -- is not counted for anyone; a cycle
never adds weight.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Set
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Chain(Generic[K]):
    """The path a member's weight follows, starting at the member itself.

    ``carrier`` is the member who votes with it (the last in ``path``), or ``None`` when the
    weight reaches nobody who voted; ``cycle`` says the path ran into a cycle.
    """

    path: tuple[K, ...]
    carrier: K | None
    cycle: bool = False


@dataclass(frozen=True)
class Resolution(Generic[K]):
    """Weights each voting member casts, and every member's chain."""

    weights: dict[K, int]
    chains: dict[K, Chain[K]]
    uncounted: int = 0
    """Weight that reached nobody who voted."""


def resolve(
    weights: Mapping[K, int], delegations: Mapping[K, K], direct_voters: Set[K]
) -> Resolution[K]:
    """Follow every member's delegations to the member who votes with its weight.

    ``delegations`` maps a member to the member it delegates to (one each; per-proposal
    delegations should already have replaced per-body ones). Delegations to someone who is
    not a member are ignored, as if not given.
    """
    carried: dict[K, int] = {voter: 0 for voter in direct_voters if voter in weights}
    chains: dict[K, Chain[K]] = {}
    uncounted = 0
    for member, weight in weights.items():
        path = [member]
        seen = {member}
        current = member
        cycle = False
        while current not in direct_voters:
            following = delegations.get(current)
            if following is None or following not in weights:
                break
            if following in seen:
                cycle = True
                break
            path.append(following)
            seen.add(following)
            current = following
        carrier = current if current in carried else None
        chains[member] = Chain(tuple(path), carrier, cycle)
        if carrier is None:
            uncounted += weight
        else:
            carried[carrier] += weight
    return Resolution(weights=carried, chains=chains, uncounted=uncounted)
