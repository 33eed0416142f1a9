"""Data types of the barter core: what goes into the solver and what comes out.

A barter (a "math trade") is a set of items, each offered by one participant
(its owner), each with an ordered list of the items its owner would accept in
exchange for it. The solver picks disjoint exchange cycles; these types
describe the input, the chosen cycles and the errors.

May import: the standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass


class BarterInputError(ValueError):
    """The problem handed to the solver is inconsistent (unknown or repeated names, bad ranks)."""


@dataclass(frozen=True, slots=True)
class Want:
    """One entry of a want list: the wanted item's name and its rank (1 = most wanted)."""

    item: str
    rank: int


@dataclass(frozen=True, slots=True)
class Item:
    """An offered item.

    ``wants`` names the items the owner would accept in exchange for this one.
    A *dummy* item (``dummy=True``) is not a real object: it stands for a group
    of alternatives ("any one of these copies") that only its owner's own items
    may name. Trading through a dummy is collapsed: if item X wants dummy %D and
    %D wants Y, X's owner receives Y.
    """

    name: str
    owner: str
    wants: tuple[Want, ...] = ()
    dummy: bool = False


@dataclass(frozen=True, slots=True)
class BarterProblem:
    """All the items of one barter; names must be unique."""

    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Trade:
    """One hand-over inside a cycle.

    ``giver`` hands ``item`` to ``receiver``; the receiver gives away
    ``in_exchange_for`` in the same cycle, and ``item`` stood at ``rank`` on
    that item's want list (through a dummy: the dummy's rank plus the item's
    rank on the dummy's list, minus one).
    """

    item: str
    giver: str
    receiver: str
    in_exchange_for: str
    rank: int


@dataclass(frozen=True, slots=True)
class BarterResult:
    """The chosen exchange cycles.

    Each cycle lists real item names in *giving order*: every item is given to
    the owner of the next item in the list, and the last one to the owner of
    the first. So the owner of ``cycle[i + 1]`` receives ``cycle[i]``, which is
    on ``cycle[i + 1]``'s want list. Each cycle starts with its smallest name
    and cycles are sorted, so equal results compare equal.
    """

    cycles: tuple[tuple[str, ...], ...]
    trades: tuple[Trade, ...]
    items_traded: int
    participants_served: tuple[str, ...]
    non_trading_items: tuple[str, ...]
    total_rank: int
    total_items: int
