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

Speed. The command's start-up is most of its time on real want lists, so the
solver works on plain lists (:class:`~minga.core.barter.model.WantTable`) and
hands small instances to OR-Tools arc by arc; NumPy, whose import alone costs
more than solving a want list of a thousand items, is imported only for
instances of at least ``VECTOR_ARCS`` arcs, which go to OR-Tools' vectorised
calls instead. Both ways build the very same OR-Tools instance, arc for arc, so
they give the same cycles.

May import: the standard library and OR-Tools; NumPy only inside
``_solve_vectorised`` (large instances) and networkx only inside
``solve_with_networkx`` (the comparison baseline).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, repeat

from ortools.graph.python import min_cost_flow

from minga.core.barter.model import BarterProblem, BarterResult, Trade, WantTable

# From this many arcs on, NumPy and the vectorised calls are used. Importing NumPy
# costs about as much as handing 100,000 arcs to OR-Tools one call at a time:
# measured whole runs were 25 % faster arc by arc at 40,000 arcs and equal at
# 210,000.
VECTOR_ARCS = 150_000


@dataclass(frozen=True, slots=True)
class _Instance:
    """The canonical assignment instance: item ``i`` is ``names[i]``, names sorted.

    Arc ``a`` lets ``tails[a]`` receive ``heads[a]`` at ``costs[a]``; arcs are sorted
    by (tail, cost, head), stay-home arcs included.
    """

    names: list[str]
    owners: list[str]
    dummy: list[bool]
    tails: list[int]  # receiving item
    heads: list[int]  # received item
    costs: list[int]
    big: int


def _build_instance(table: WantTable) -> _Instance:
    order = sorted(range(len(table.names)), key=table.names.__getitem__)
    position = [0] * len(order)
    for new, old in enumerate(order):
        position[old] = new
    names = [table.names[old] for old in order]
    owners = [table.owners[old] for old in order]
    dummy = [table.dummy[old] for old in order]
    owner_number = {owner: number for number, owner in enumerate(dict.fromkeys(owners))}
    owner_of = [owner_number[owner] for owner in table.owners]
    any_dummy = any(dummy)

    # Pass 1: each item's trade arcs, best rank per head, sorted by (cost, head).
    arcs_of: list[tuple[list[int], list[int]]] = []
    big = 1
    for old in order:
        first, last = table.starts[old], table.starts[old + 1]
        targets = table.wanted[first:last]
        costs = table.ranks[first:last]
        if any_dummy:
            costs, heads = _allowed_arcs(table, old, targets, costs, position)
        else:
            # Without dummies an arc is allowed when it comes from another owner
            # (which also rules out the item itself). Done with map and compress,
            # which run in C, as nearly everyone wants only others' items.
            target_owners = list(map(owner_of.__getitem__, targets))
            mine = owner_of[old]
            if mine in target_owners:
                allowed = list(map(mine.__ne__, target_owners))
                targets = list(compress(targets, allowed))
                costs = list(compress(costs, allowed))
            heads = list(map(position.__getitem__, targets))
        # Want lists usually rank strictly upwards and name an item once: then they
        # are already in (cost, head) order with one arc per head.
        if len(costs) > 1 and (
            not all(map(int.__lt__, costs, costs[1:])) or len(set(heads)) < len(heads)
        ):
            arcs = _best_per_head(sorted(zip(costs, heads, strict=True)))
            costs = [cost for cost, _head in arcs]
            heads = [head for _cost, head in arcs]
        if costs:
            big += max(costs)
        arcs_of.append((costs, heads))

    # Pass 2: every item's arcs with its stay-home arc (cost 0 for a dummy, BIG for
    # a real item, hence last) in (cost, head) order. The arc order is part of the
    # tie-break: it depends on names and wants only, never on the input order.
    tails: list[int] = []
    heads_all: list[int] = []
    costs_all: list[int] = []
    for i, (costs, heads) in enumerate(arcs_of):
        if dummy[i]:
            arcs = sorted([*zip(costs, heads, strict=True), (0, i)])
            costs = [cost for cost, _head in arcs]
            heads = [head for _cost, head in arcs]
        else:
            costs = [*costs, big]
            heads = [*heads, i]
        tails.extend(repeat(i, len(costs)))
        costs_all.extend(costs)
        heads_all.extend(heads)
    return _Instance(names, owners, dummy, tails, heads_all, costs_all, big)


def _allowed_arcs(
    table: WantTable, item: int, targets: list[int], ranks: list[int], position: list[int]
) -> tuple[list[int], list[int]]:
    """Costs and heads of the arcs ``item`` may take: no self-trade, a dummy only from
    its owner's items and a real item only from other owners' items."""
    owner = table.owners[item]
    owners, dummy = table.owners, table.dummy
    # A dummy's first choice adds nothing to the rank through it.
    shift = 1 if dummy[item] else 0
    costs: list[int] = []
    heads: list[int] = []
    for target, rank in zip(targets, ranks, strict=True):
        if target != item and (owners[target] == owner) == dummy[target]:
            costs.append(rank - shift)
            heads.append(position[target])
    return costs, heads


def _best_per_head(arcs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A head wanted twice keeps its best rank: its first arc, the arcs being sorted."""
    seen: set[int] = set()
    best = []
    for cost, head in arcs:
        if head not in seen:
            seen.add(head)
            best.append((cost, head))
    return best


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
    return solve_table(WantTable.from_problem(problem))


def solve_table(table: WantTable) -> BarterResult:
    """:func:`solve` for a barter given in columns (as the want-list reader gives it)."""
    instance = _build_instance(table)
    n = len(instance.names)
    if n == 0:
        return _result(instance, [], [])
    if len(instance.tails) >= VECTOR_ARCS:
        used = _solve_vectorised(instance)
    else:
        used = _solve_arc_by_arc(instance)
    receives = list(range(n))
    arc_cost = [0] * n
    for arc in used:
        receives[instance.tails[arc]] = instance.heads[arc]
        arc_cost[instance.tails[arc]] = instance.costs[arc]
    return _result(instance, receives, arc_cost)


def _solve_arc_by_arc(instance: _Instance) -> list[int]:
    """The arcs that carry flow in the optimal assignment, via OR-Tools' scalar calls."""
    n = len(instance.names)
    flow = min_cost_flow.SimpleMinCostFlow()
    # Receivers are nodes 0..n-1, received items n..2n-1; every arc carries 0 or 1.
    list(
        map(
            flow.add_arc_with_capacity_and_unit_cost,
            instance.tails,
            [head + n for head in instance.heads],
            repeat(1),
            instance.costs,
        )
    )
    for node in range(n):
        flow.set_node_supply(node, 1)
        flow.set_node_supply(node + n, -1)
    _check(flow.solve())
    return [arc for arc, amount in enumerate(map(flow.flow, range(len(instance.tails)))) if amount]


def _solve_vectorised(instance: _Instance) -> list[int]:
    """The same as :func:`_solve_arc_by_arc`, with OR-Tools' vectorised calls."""
    import numpy as np  # only here: its import costs more than a small solve

    n = len(instance.names)
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.array(instance.tails, dtype=np.int32),
        np.array(instance.heads, dtype=np.int32) + np.int32(n),
        np.ones(len(instance.tails), dtype=np.int64),
        np.array(instance.costs, dtype=np.int64),
    )
    flow.set_nodes_supplies(
        np.arange(2 * n, dtype=np.int32),
        np.concatenate([np.ones(n, dtype=np.int64), -np.ones(n, dtype=np.int64)]),
    )
    _check(flow.solve())
    used: list[int] = np.flatnonzero(np.asarray(flow.flows(arcs)) > 0).tolist()
    return used


def _check(status: object) -> None:
    if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
        raise RuntimeError(f"OR-Tools min-cost flow failed with status {status}")


def solve_with_networkx(problem: BarterProblem) -> BarterResult:
    """The same assignment solved by networkx's network simplex: the comparison baseline."""
    # Imported here: only the baseline needs networkx, and it is slow to import.
    import networkx as nx

    instance = _build_instance(WantTable.from_problem(problem))
    n = len(instance.names)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n), demand=-1)
    graph.add_nodes_from(range(n, 2 * n), demand=1)
    graph.add_edges_from(
        (t, h + n, {"capacity": 1, "weight": c})
        for t, h, c in zip(instance.tails, instance.heads, instance.costs, strict=True)
    )
    _, flows = nx.network_simplex(graph)
    receives = [0] * n
    arc_cost = [0] * n
    cost_of = {
        (t, h): c for t, h, c in zip(instance.tails, instance.heads, instance.costs, strict=True)
    }
    for x in range(n):
        for head, amount in flows[x].items():
            if amount > 0:
                receives[x] = head - n
                arc_cost[x] = cost_of[(x, head - n)]
    return _result(instance, receives, arc_cost)
