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


@dataclass(frozen=True, slots=True, eq=False)
class WantTable:
    """A barter in columns: the same content as a :class:`BarterProblem`, without an
    object per want, as the want-list reader produces it and the solver consumes it.

    Item ``i`` is ``names[i]``, offered by ``owners[i]`` (a dummy if ``dummy[i]``);
    its wants are the items ``wanted[starts[i]:starts[i + 1]]`` (indices into
    ``names``) at ranks ``ranks[starts[i]:starts[i + 1]]``. Names are unique, every
    wanted index is an item and every rank is at least 1: :meth:`from_problem` checks
    this for a problem built by a caller; the reader builds valid tables only.
    """

    names: list[str]
    owners: list[str]
    dummy: list[bool]
    starts: list[int]
    wanted: list[int]
    ranks: list[int]

    @classmethod
    def from_problem(cls, problem: BarterProblem) -> WantTable:
        """The problem in columns; :class:`BarterInputError` if it is inconsistent."""
        items = problem.items
        index: dict[str, int] = {}
        for position, item in enumerate(items):
            index.setdefault(item.name, position)
        if len(index) < len(items):
            # The same name (the first in name order) as the checks have always named.
            seen: set[str] = set()
            for name in sorted(item.name for item in items):
                if name in seen:
                    raise BarterInputError(f"item {name!r} is defined twice")
                seen.add(name)
        starts = [0]
        wanted: list[int] = []
        ranks: list[int] = []
        for item in items:
            for want in item.wants:
                target = index.get(want.item)
                if target is None or want.rank < 1:
                    raise _first_bad_want(items)
                wanted.append(target)
                ranks.append(want.rank)
            starts.append(len(wanted))
        return cls(
            names=[item.name for item in items],
            owners=[item.owner for item in items],
            dummy=[item.dummy for item in items],
            starts=starts,
            wanted=wanted,
            ranks=ranks,
        )

    def to_problem(self) -> BarterProblem:
        names, starts = self.names, self.starts
        return BarterProblem(
            items=tuple(
                Item(
                    name=name,
                    owner=owner,
                    wants=tuple(
                        Want(names[target], rank)
                        for target, rank in zip(
                            self.wanted[starts[i] : starts[i + 1]],
                            self.ranks[starts[i] : starts[i + 1]],
                            strict=True,
                        )
                    ),
                    dummy=dummy,
                )
                for i, (name, owner, dummy) in enumerate(
                    zip(names, self.owners, self.dummy, strict=True)
                )
            )
        )


def _first_bad_want(items: tuple[Item, ...]) -> BarterInputError:
    """The error for the first bad want in name order, as the checks have always named it."""
    names = {item.name for item in items}
    for item in sorted(items, key=lambda item: item.name):
        for want in item.wants:
            if want.item not in names:
                return BarterInputError(f"item {item.name!r} wants unknown item {want.item!r}")
            if want.rank < 1:
                return BarterInputError(
                    f"item {item.name!r} gives rank {want.rank} to {want.item!r}; ranks start at 1"
                )
    raise AssertionError("no bad want")  # pragma: no cover - only called when there is one


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
