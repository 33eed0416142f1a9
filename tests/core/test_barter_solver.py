"""Behaviour of the barter solver: hand examples and optimality against independent methods."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from minga.core.barter import (
    BarterInputError,
    BarterProblem,
    BarterResult,
    Item,
    Want,
    WantTable,
    solve,
    solve_with_networkx,
    solver,
)
from minga.core.barter.solver import _build_instance, _solve_arc_by_arc, _solve_vectorised


def item(name: str, owner: str, *wants: str, dummy: bool = False) -> Item:
    """An item whose wants are ranked 1, 2, 3... in the order given."""
    return Item(
        name=name,
        owner=owner,
        wants=tuple(Want(w, r) for r, w in enumerate(wants, start=1)),
        dummy=dummy,
    )


def problem(*items: Item) -> BarterProblem:
    return BarterProblem(items=items)


# --- hand examples -----------------------------------------------------------


def test_two_cycle_swaps_both_items() -> None:
    """Two participants who want each other's item swap them."""
    result = solve(problem(item("A", "alice", "B"), item("B", "bob", "A")))
    assert result.cycles == (("A", "B"),)
    assert result.items_traded == 2
    assert result.total_rank == 2
    assert result.participants_served == ("alice", "bob")
    assert result.non_trading_items == ()


def test_three_cycle_is_listed_in_giving_order() -> None:
    """In a 3-cycle each item is given to the owner of the next item in the list."""
    result = solve(problem(item("A", "alice", "B"), item("B", "bob", "C"), item("C", "carol", "A")))
    # carol wants A, so A goes to carol (owner of C); bob wants C; alice wants B.
    assert result.cycles == (("A", "C", "B"),)
    handed = {(t.item, t.receiver) for t in result.trades}
    assert handed == {("A", "carol"), ("C", "bob"), ("B", "alice")}
    assert result.total_rank == 3


def test_preference_decides_between_two_solutions_of_the_same_size() -> None:
    """With two 2-cycles possible for the same item, the better-ranked one is chosen."""
    result = solve(
        problem(
            item("A", "alice", "C", "B"),
            item("B", "bob", "A"),
            item("C", "carol", "A"),
        )
    )
    assert result.cycles == (("A", "C"),)
    assert result.total_rank == 2
    assert result.non_trading_items == ("B",)


def test_more_items_beat_better_ranks() -> None:
    """A 3-cycle with worse ranks wins over a 2-cycle with better ranks."""
    result = solve(
        problem(
            item("A", "alice", "B", "C"),
            item("B", "bob", "A"),
            item("C", "carol", "D"),
            item("D", "dave", "A"),
        )
    )
    assert result.items_traded == 3
    assert result.non_trading_items == ("B",)
    assert result.total_rank == 4


def test_participant_cannot_trade_with_themselves() -> None:
    """Items of the same owner never trade to each other, nor an item to itself."""
    result = solve(problem(item("A", "alice", "B", "A"), item("B", "alice", "A")))
    assert result.cycles == ()
    assert result.items_traded == 0
    assert result.non_trading_items == ("A", "B")


def test_dummy_item_is_collapsed_out_of_the_cycle() -> None:
    """A want for one's own dummy means 'any of the dummy's wants'; the dummy is not shown."""
    result = solve(
        problem(
            item("A", "alice", "%D"),
            item("%D", "alice", "X", "Y", dummy=True),
            item("X", "bob", "A"),
            item("Y", "carol", "A"),
        )
    )
    assert result.cycles == (("A", "X"),)
    # Through the dummy: rank 1 of %D plus rank 1 on %D's list, minus one.
    assert result.total_rank == 2
    assert result.total_items == 3
    assert result.non_trading_items == ("Y",)


def test_dummies_are_private_to_their_owner() -> None:
    """Another participant cannot reach someone else's dummy."""
    result = solve(
        problem(
            item("%D", "alice", "X", dummy=True),
            item("X", "bob", "%D"),
        )
    )
    assert result.items_traded == 0
    assert result.non_trading_items == ("X",)


def test_duplicate_wants_keep_the_best_rank() -> None:
    """A repeated want counts at its best rank."""
    a = Item("A", "alice", (Want("B", 3), Want("B", 1)))
    result = solve(problem(a, item("B", "bob", "A")))
    assert result.total_rank == 2


def test_result_does_not_depend_on_input_order() -> None:
    """Shuffling items and wants gives the same cycles: ties are broken canonically."""
    rng = random.Random(7)
    base = list(random_items(rng, n=40, users=10, max_wants=6))
    expected = solve(BarterProblem(tuple(base)))
    for _ in range(5):
        rng.shuffle(base)
        shuffled = [Item(i.name, i.owner, tuple(rng.sample(i.wants, len(i.wants)))) for i in base]
        assert solve(BarterProblem(tuple(shuffled))) == expected


def test_unknown_wanted_item_is_an_input_error() -> None:
    """The core refuses wants naming items that are not in the problem."""
    with pytest.raises(BarterInputError, match="unknown item 'Z'"):
        solve(problem(item("A", "alice", "Z")))


def test_repeated_item_name_is_an_input_error() -> None:
    """Item names are identities and must be unique."""
    with pytest.raises(BarterInputError, match="defined twice"):
        solve(problem(item("A", "alice"), item("A", "bob")))


def test_empty_problem_trades_nothing() -> None:
    """No items, no cycles."""
    result = solve(problem())
    assert result.cycles == ()
    assert result.items_traded == 0


# --- optimality against independent methods ----------------------------------


def random_items(rng: random.Random, n: int, users: int, max_wants: int) -> Iterator[Item]:
    names = [f"I{k:03d}" for k in range(n)]
    for name in names:
        count = rng.randint(0, min(max_wants, n))
        wants = rng.sample(names, count)
        ranks = sorted(rng.sample(range(1, 3 * max_wants + 2), count))
        yield Item(
            name=name,
            owner=f"u{rng.randrange(users)}" if users else name,
            wants=tuple(Want(w, r) for w, r in zip(wants, ranks, strict=True)),
        )


def allowed_rank(items: dict[str, Item], giver: str, receiver: str) -> int | None:
    """Rank of ``giver`` on ``receiver``'s list if that hand-over is a legal trade."""
    if giver == receiver or items[giver].owner == items[receiver].owner:
        return None
    ranks = [w.rank for w in items[receiver].wants if w.item == giver]
    return min(ranks) if ranks else None


def brute_force(items: list[Item]) -> tuple[int, int]:
    """(most items traded, least total rank) by trying every permutation of hand-overs."""
    by_name = {i.name: i for i in items}
    names = [i.name for i in items]
    best = (0, 0)
    used: set[str] = set()

    def extend(pos: int, traded: int, rank: int) -> None:
        nonlocal best
        if pos == len(names):
            if (-traded, rank) < (-best[0], best[1]):
                best = (traded, rank)
            return
        receiver = names[pos]
        for received in names:
            if received in used:
                continue
            if received == receiver:
                gain, cost = 0, 0
            else:
                r = allowed_rank(by_name, received, receiver)
                if r is None:
                    continue
                gain, cost = 1, r
            used.add(received)
            extend(pos + 1, traded + gain, rank + cost)
            used.remove(received)

    extend(0, 0, 0)
    return best


def scipy_optimum(items: list[Item]) -> tuple[int, int]:
    """(most items traded, least total rank) from a dense assignment written independently."""
    by_name = {i.name: i for i in items}
    names = [i.name for i in items]
    n = len(names)
    max_rank = max((w.rank for i in items for w in i.wants), default=0)
    keep = n * max_rank + 1  # cost of an item staying home: more than any total rank
    forbidden = keep * (n + 1)
    cost = np.full((n, n), forbidden, dtype=np.int64)
    for a, receiver in enumerate(names):
        cost[a, a] = keep
        for b, giver in enumerate(names):
            r = allowed_rank(by_name, giver, receiver)
            if r is not None:
                cost[a, b] = r
    rows, cols = linear_sum_assignment(cost)
    total = int(cost[rows, cols].sum())
    staying = total // keep
    return n - staying, total % keep


def networkx_max_trades(items: list[Item]) -> int:
    """Most items traded: a maximum-weight perfect matching with trade edges weighing 1."""
    by_name = {i.name: i for i in items}
    graph = nx.Graph()
    for receiver in by_name:
        graph.add_edge(("get", receiver), ("give", receiver), weight=0)
        for giver in by_name:
            if allowed_rank(by_name, giver, receiver) is not None:
                graph.add_edge(("get", receiver), ("give", giver), weight=1)
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    return sum(graph.edges[u, v]["weight"] for u, v in matching)


def check_cycles_are_legal(items: list[Item], result: BarterResult) -> None:
    by_name = {i.name: i for i in items}
    flat = [name for cycle in result.cycles for name in cycle]
    assert len(flat) == len(set(flat)) == result.items_traded
    total = 0
    for cycle in result.cycles:
        assert len(cycle) >= 2
        for pos, giver in enumerate(cycle):
            receiver = cycle[(pos + 1) % len(cycle)]
            rank = allowed_rank(by_name, giver, receiver)
            assert rank is not None
            total += rank
    assert total == result.total_rank
    assert set(result.non_trading_items) == set(by_name) - set(flat)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1), st.integers(1, 7), st.integers(0, 4))
def test_matches_brute_force_on_small_random_wantlists(seed: int, n: int, users: int) -> None:
    """On tiny instances the result is the lexicographic optimum found by exhaustive search."""
    items = list(random_items(random.Random(seed), n=n, users=users, max_wants=4))
    result = solve(BarterProblem(tuple(items)))
    check_cycles_are_legal(items, result)
    assert (result.items_traded, result.total_rank) == brute_force(items)


@pytest.mark.parametrize("seed", range(100))
def test_matches_independent_assignment_on_random_wantlists(seed: int) -> None:
    """Items traded equal networkx's maximum, total rank equals scipy's minimum among them."""
    rng = random.Random(seed)
    n = rng.randint(8, 35)
    items = list(random_items(rng, n=n, users=rng.choice([0, 3, n // 2]), max_wants=6))
    result = solve(BarterProblem(tuple(items)))
    check_cycles_are_legal(items, result)
    assert result.items_traded == networkx_max_trades(items)
    assert (result.items_traded, result.total_rank) == scipy_optimum(items)


@pytest.mark.parametrize("seed", range(15))
def test_networkx_baseline_agrees_with_dummies(seed: int) -> None:
    """The networkx baseline and OR-Tools reach the same optimum, dummies included."""
    rng = random.Random(1000 + seed)
    users = [f"u{k}" for k in range(6)]
    items: list[Item] = []
    for k in range(30):
        items.append(Item(f"I{k:02d}", rng.choice(users)))
    for u in users:
        for d in range(2):
            real = [i.name for i in items if i.owner != u and not i.dummy]
            picks = rng.sample(real, min(3, len(real)))
            items.append(item(f"%{u}{d}", u, *picks, dummy=True))
    dummies = {i.name: i.owner for i in items if i.dummy}
    items = [
        i
        if i.dummy
        else item(
            i.name,
            i.owner,
            *rng.sample(
                [x.name for x in items if not x.dummy]
                + [d for d, o in dummies.items() if o == i.owner],
                6,
            ),
        )
        for i in items
    ]
    a = solve(BarterProblem(tuple(items)))
    b = solve_with_networkx(BarterProblem(tuple(items)))
    assert (a.items_traded, a.total_rank) == (b.items_traded, b.total_rank)
    for trade in a.trades:
        assert trade.giver != trade.receiver
        assert not trade.item.startswith("%")


def test_ten_thousand_items_two_hundred_thousand_wants_form_valid_cycles() -> None:
    """At the benchmark's size every item either trades in a valid cycle or stays home.

    The time goal itself is measured by benchmarks/bench_barter.py, not asserted here.
    """
    rng = random.Random(2024)
    names = [f"S{k:05d}" for k in range(10_000)]
    items = tuple(
        Item(
            name=name,
            owner=f"user{k // 4}",
            wants=tuple(Want(names[j], r) for r, j in enumerate(rng.sample(range(10_000), 20), 1)),
        )
        for k, name in enumerate(names)
    )
    result = solve(BarterProblem(items))
    assert sum(len(i.wants) for i in items) == 200_000
    assert result.items_traded + len(result.non_trading_items) == 10_000
    wanted = {item.name: {want.item for want in item.wants} for item in items}
    for cycle in result.cycles:
        # Giving order: the owner of the next item receives this one, which it wants.
        for given_item, next_item in zip(cycle, (*cycle[1:], cycle[0]), strict=True):
            assert given_item in wanted[next_item]


# --- the instance handed to OR-Tools ----------------------------------------


def reference_instance(items: list[Item]) -> tuple[list[int], list[int], list[int], int]:
    """Arcs (tails, heads, costs) and BIG as the module docstring defines them, written
    plainly: items by name, best rank per wanted item, arcs sorted by (tail, cost, head)."""
    ordered = sorted(items, key=lambda i: i.name)
    index = {i.name: k for k, i in enumerate(ordered)}
    arcs: list[tuple[int, int, int]] = []
    big = 1
    for k, i in enumerate(ordered):
        best: dict[int, int] = {}
        for want in i.wants:
            j = index[want.item]
            if j == k or (ordered[j].owner == i.owner) != ordered[j].dummy:
                continue
            cost = want.rank - 1 if i.dummy else want.rank
            best[j] = min(cost, best.get(j, cost))
        arcs.extend((k, cost, j) for j, cost in best.items())
        big += max(best.values(), default=0)
    arcs.extend((k, 0 if i.dummy else big, k) for k, i in enumerate(ordered))
    arcs.sort()
    return [t for t, _c, _h in arcs], [h for _t, _c, h in arcs], [c for _t, c, _h in arcs], big


@st.composite
def barters(draw: st.DrawFn) -> list[Item]:
    """Small barters with every complication: dummies, own items, self-wants, repeated
    wants at other ranks, equal ranks, and items in no particular order."""
    users = [f"u{k}" for k in range(draw(st.integers(1, 4)))]
    real = [(f"I{k}", draw(st.sampled_from(users))) for k in range(draw(st.integers(0, 9)))]
    dummies = [(f"%D{k}@{u}", u) for u in users for k in range(draw(st.integers(0, 2)))]
    names = [name for name, _owner in real + dummies]
    items = []
    for name, owner in real + dummies:
        wanted = draw(st.lists(st.sampled_from(names), max_size=6)) if names else []
        ranks = draw(st.lists(st.integers(1, 5), min_size=len(wanted), max_size=len(wanted)))
        items.append(
            Item(
                name=name,
                owner=owner,
                wants=tuple(Want(w, r) for w, r in zip(wanted, sorted(ranks), strict=True)),
                dummy=name.startswith("%"),
            )
        )
    return draw(st.permutations(items))


@settings(max_examples=400, deadline=None)
@given(barters())
def test_instance_is_the_canonical_one(items: list[Item]) -> None:
    """The solver hands OR-Tools exactly the canonical arcs, in the canonical order (the
    tie-break depends on it), whatever the order of items and wants."""
    instance = _build_instance(WantTable.from_problem(BarterProblem(tuple(items))))
    assert (instance.tails, instance.heads, instance.costs, instance.big) == reference_instance(
        items
    )


@settings(max_examples=150, deadline=None)
@given(barters())
def test_arc_by_arc_and_vectorised_calls_give_the_same_cycles(items: list[Item]) -> None:
    """Small instances go to OR-Tools arc by arc, large ones through NumPy: same result."""
    problem = BarterProblem(tuple(items))
    instance = _build_instance(WantTable.from_problem(problem))
    if instance.names:
        assert _solve_arc_by_arc(instance) == _solve_vectorised(instance)


def test_large_instances_use_the_vectorised_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """At VECTOR_ARCS arcs and more the solver switches to the vectorised calls, with the
    same cycles."""
    rng = random.Random(5)
    problem = BarterProblem(tuple(random_items(rng, n=60, users=12, max_wants=8)))
    expected = solve(problem)
    calls: list[int] = []

    def vectorised(instance: Any) -> list[int]:
        calls.append(len(instance.tails))
        return _solve_vectorised(instance)

    monkeypatch.setattr(solver, "_solve_vectorised", vectorised)
    monkeypatch.setattr(solver, "VECTOR_ARCS", 1)
    assert solve(problem) == expected
    assert calls


def test_want_table_round_trip() -> None:
    """A problem turned into columns and back is the same problem."""
    rng = random.Random(11)
    problem = BarterProblem(tuple(random_items(rng, n=25, users=5, max_wants=6)))
    assert WantTable.from_problem(problem).to_problem() == problem


def test_first_bad_want_in_name_order_is_reported() -> None:
    """With several bad wants the error names the first item in name order."""
    with pytest.raises(BarterInputError, match="item 'B' wants unknown item 'Y'"):
        solve(problem(item("C", "carol", "Z"), item("B", "bob", "Y"), item("A", "alice")))
    bad_rank = Item("A", "alice", (Want("B", 0),))
    with pytest.raises(BarterInputError, match="gives rank 0 to 'B'; ranks start at 1"):
        solve(problem(bad_rank, item("B", "bob", "A")))
