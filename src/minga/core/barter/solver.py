"""Optimal exchange cycles for a barter, solved as a minimum-cost assignment.

Formulation. Every item X appears twice: once as a *receiver* (X's owner gives
X away and gets something back) and once as a *received* item. An arc X -> Y
means "X's owner receives Y", allowed when Y is on X's want list; every item
also has the arc X -> X ("X stays home"). A perfect assignment (each item
receives exactly one item, each item is received exactly once) is a
permutation of the items, i.e. a set of disjoint cycles; the non-trivial cycles
are the trades. The assignment is solved as a min-cost flow.

Costs. A trade arc costs the rank of Y on X's list (for an arc leaving a dummy,
rank - 1, so that a dummy's first choice adds nothing to the rank through it).
"Stays home" costs BIG for a real item and 0 for a dummy, where BIG = 1 + the
sum over items of their most expensive trade arc. Any assignment then costs
``BIG * u + r`` with ``u`` the real items that do not trade and ``0 <= r < BIG``
the total rank, so the minimum cost is exactly: first the most real items
traded, then the lowest total rank. All costs are integers: the optimum is
exact, no floating point is involved.

Semantics enforced here. An arc X -> Y exists only if Y is not X and
``owner(X) == owner(Y)`` exactly when Y is a dummy: nobody receives their own
real item (no self-trade), and a dummy can only be reached from its owner's
items. Duplicate wants keep their best rank.

Ties. Several assignments can share the optimal (items, rank) pair. The
solver is handed a canonical instance (items sorted by name, arcs sorted by
receiver, cost, received item) and OR-Tools' min-cost flow is a deterministic
algorithm, so the same items and wants give the same cycles whatever the input
order, on every run. Which of the tied optima that is, is not otherwise
specified; it can change with the OR-Tools version.

May import: the standard library, numpy and OR-Tools; networkx only inside
``solve_with_networkx`` (the comparison baseline).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from minga.core.barter.model import BarterInputError, BarterProblem, BarterResult, Trade

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class _Instance:
    """The canonical assignment instance: item ``i`` is ``names[i]``, names sorted."""

    names: tuple[str, ...]
    owners: tuple[str, ...]
    dummy: tuple[bool, ...]
    tails: IntArray  # receiving item
    heads: IntArray  # received item
    costs: IntArray
    big: int


def _build_instance(problem: BarterProblem) -> _Instance:
    items = sorted(problem.items, key=lambda item: item.name)
    names = tuple(item.name for item in items)
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in index:
            raise BarterInputError(f"item {name!r} is defined twice")
        index[name] = i
    owners = tuple(item.owner for item in items)
    dummy = tuple(item.dummy for item in items)

    tails: list[int] = []
    heads: list[int] = []
    costs: list[int] = []
    big = 1
    for i, item in enumerate(items):
        owner = owners[i]
        best: dict[int, int] = {}
        for want in item.wants:
            j = index.get(want.item)
            if j is None:
                raise BarterInputError(f"item {item.name!r} wants unknown item {want.item!r}")
            if want.rank < 1:
                raise BarterInputError(
                    f"item {item.name!r} gives rank {want.rank} to {want.item!r}; ranks start at 1"
                )
            if j == i or (owners[j] == owner) != dummy[j]:
                continue
            cost = want.rank - 1 if item.dummy else want.rank
            previous = best.get(j)
            if previous is None or cost < previous:
                best[j] = cost
        for j, cost in best.items():
            tails.append(i)
            heads.append(j)
            costs.append(cost)
        if best:
            big += max(best.values())

    n = len(names)
    stay = np.arange(n, dtype=np.int64)
    stay_costs = np.array([0 if d else big for d in dummy], dtype=np.int64)
    all_tails = np.concatenate([np.array(tails, dtype=np.int64), stay])
    all_heads = np.concatenate([np.array(heads, dtype=np.int64), stay])
    all_costs = np.concatenate([np.array(costs, dtype=np.int64), stay_costs])
    # The arc order is part of the tie-break: make it independent of input order.
    order = np.lexsort((all_heads, all_costs, all_tails))
    return _Instance(
        names=names,
        owners=owners,
        dummy=dummy,
        tails=all_tails[order],
        heads=all_heads[order],
        costs=all_costs[order],
        big=big,
    )


def _result(instance: _Instance, receives: Sequence[int], arc_cost: Sequence[int]) -> BarterResult:
    """Collapse dummies and turn the permutation ``receives`` into cycles."""
    names, owners, dummy = instance.names, instance.owners, instance.dummy
    n = len(names)
    # received_by[y] = x: real item y is given to x's owner; rank of y on x's list.
    received_by: dict[int, int] = {}
    rank_of: dict[int, int] = {}
    for x in range(n):
        if dummy[x] or receives[x] == x:
            continue
        rank = arc_cost[x]
        y = receives[x]
        hops = 0
        while dummy[y]:
            rank += arc_cost[y]
            y = receives[y]
            hops += 1
            if hops > n:  # pragma: no cover - a permutation cannot loop inside dummies
                raise AssertionError("dummy chain does not end")
        received_by[y] = x
        rank_of[x] = rank

    cycles: list[tuple[str, ...]] = []
    trades: list[Trade] = []
    seen: set[int] = set()
    # Names are sorted, so starting from the lowest unvisited index makes every
    # cycle begin with its smallest name and the cycles come out sorted.
    for start in range(n):
        if start in seen or start not in received_by:
            continue
        cycle = [start]
        seen.add(start)
        nxt = received_by[start]
        while nxt != start:
            cycle.append(nxt)
            seen.add(nxt)
            nxt = received_by[nxt]
        cycles.append(tuple(names[k] for k in cycle))
        for pos, giving in enumerate(cycle):
            getting = cycle[(pos + 1) % len(cycle)]
            trades.append(
                Trade(
                    item=names[giving],
                    giver=owners[giving],
                    receiver=owners[getting],
                    in_exchange_for=names[getting],
                    rank=rank_of[getting],
                )
            )

    real = [k for k in range(n) if not dummy[k]]
    return BarterResult(
        cycles=tuple(cycles),
        trades=tuple(trades),
        items_traded=len(seen),
        participants_served=tuple(sorted({owners[k] for k in seen})),
        non_trading_items=tuple(names[k] for k in real if k not in seen),
        total_rank=sum(t.rank for t in trades),
        total_items=len(real),
    )


def solve(problem: BarterProblem) -> BarterResult:
    """Most items traded, then lowest total rank; see the module docstring for ties."""
    instance = _build_instance(problem)
    n = len(instance.names)
    if n == 0:
        return _result(instance, [], [])
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        instance.tails.astype(np.int32),
        (instance.heads + n).astype(np.int32),
        np.ones(len(instance.tails), dtype=np.int64),
        instance.costs,
    )
    flow.set_nodes_supplies(
        np.arange(2 * n, dtype=np.int32),
        np.concatenate([np.ones(n, dtype=np.int64), -np.ones(n, dtype=np.int64)]),
    )
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"OR-Tools min-cost flow failed with status {status}")
    used = np.asarray(flow.flows(arcs)) > 0
    receives = np.empty(n, dtype=np.int64)
    arc_cost = np.empty(n, dtype=np.int64)
    receives[instance.tails[used]] = instance.heads[used]
    arc_cost[instance.tails[used]] = instance.costs[used]
    return _result(instance, receives.tolist(), arc_cost.tolist())


def solve_with_networkx(problem: BarterProblem) -> BarterResult:
    """The same assignment solved by networkx's network simplex: the comparison baseline."""
    # Imported here: only the baseline needs networkx, and it is slow to import.
    import networkx as nx

    instance = _build_instance(problem)
    n = len(instance.names)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n), demand=-1)
    graph.add_nodes_from(range(n, 2 * n), demand=1)
    graph.add_edges_from(
        (int(t), int(h) + n, {"capacity": 1, "weight": int(c)})
        for t, h, c in zip(instance.tails, instance.heads, instance.costs, strict=True)
    )
    _, flows = nx.network_simplex(graph)
    receives = [0] * n
    arc_cost = [0] * n
    cost_of = {
        (int(t), int(h)): int(c)
        for t, h, c in zip(instance.tails, instance.heads, instance.costs, strict=True)
    }
    for x in range(n):
        for head, amount in flows[x].items():
            if amount > 0:
                receives[x] = head - n
                arc_cost[x] = cost_of[(x, head - n)]
    return _result(instance, receives, arc_cost)
