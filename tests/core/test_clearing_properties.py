"""Property-based tests: whatever the network, the clearing is a valid, optimal set-off."""

from __future__ import annotations

import random
from collections import defaultdict

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from minga.core.clearing import ClearingResult, Obligation, ObligationColumns, clear
from minga.core.clearing.baseline import clear_with_networkx
from minga.core.clearing.solver import aggregate_columns

NAMES = ["A", "B", "C", "D", "E", "F", "Gé", "h h"]


@st.composite
def obligation_lists(draw: st.DrawFn) -> list[Obligation]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=len(NAMES), unique=True))
    pairs = st.tuples(st.sampled_from(names), st.sampled_from(names)).filter(lambda p: p[0] != p[1])
    # Mostly small amounts (many ties and exact cancellations), sometimes huge ones
    # to exercise wide integers; 40 edges of at most 2**56 stay far below 2**63.
    amounts = st.one_of(st.integers(1, 20), st.integers(1, 10**9), st.integers(1, 2**56))
    rows = draw(st.lists(st.tuples(pairs, amounts), max_size=40))
    return [Obligation(debtor, creditor, amount) for (debtor, creditor), amount in rows]


def input_positions(obligations: list[Obligation]) -> dict[str, int]:
    nets: dict[str, int] = defaultdict(int)
    for o in obligations:
        nets[o.creditor] += o.amount
        nets[o.debtor] -= o.amount
    return dict(nets)


def edge_totals(obligations: list[Obligation]) -> dict[tuple[str, str], int]:
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for o in obligations:
        totals[o.debtor, o.creditor] += o.amount
    return dict(totals)


def assert_valid_setoff(obligations: list[Obligation], result: ClearingResult) -> None:
    """Check the result against the raw input, recomputing everything independently."""
    edges = edge_totals(obligations)
    assert {(e.debtor, e.creditor): e.amount_before for e in result.setoff} == edges
    assert len(result.setoff) == len(edges)
    for edge in result.setoff:
        assert 0 <= edge.amount_cleared <= edge.amount_before
        assert 0 <= edge.amount_remaining <= edge.amount_before
    assert result.total_before == sum(o.amount for o in obligations)
    assert result.total_after == sum(e.amount_remaining for e in result.setoff)
    assert result.cleared == sum(e.amount_cleared for e in result.setoff) >= 0
    nets_after: dict[str, int] = defaultdict(int)
    for edge in result.setoff:
        nets_after[edge.creditor] += edge.amount_remaining
        nets_after[edge.debtor] -= edge.amount_remaining
    before = input_positions(obligations)
    assert {name: nets_after[name] for name in before} == before
    assert {p.organization: p.net for p in result.positions} == before
    for position in result.positions:
        assert position.net_after == position.net


def has_improving_cycle(result: ClearingResult) -> bool:
    """Optimality certificate: a min-cost flow is optimal iff its residual graph has no
    negative-cost cycle. Raising r_e costs +1 (if r_e < a_e), lowering it costs -1
    (if r_e > 0)."""
    residual = nx.DiGraph()

    def add(u: str, v: str, weight: int) -> None:
        # Opposite debts give parallel residual arcs; only the cheaper one can
        # matter for a negative cycle, and a DiGraph holds one arc per pair.
        current = residual.get_edge_data(u, v)
        if current is None or weight < current["weight"]:
            residual.add_edge(u, v, weight=weight)

    for edge in result.setoff:
        if edge.amount_remaining < edge.amount_before:
            add(edge.debtor, edge.creditor, 1)
        if edge.amount_remaining > 0:
            add(edge.creditor, edge.debtor, -1)
    return bool(nx.negative_edge_cycle(residual, weight="weight"))


@settings(max_examples=300, deadline=None)
@given(obligation_lists())
def test_result_is_a_valid_setoff(obligations: list[Obligation]) -> None:
    """Net positions are unchanged, 0 ≤ remaining ≤ original per edge, cleared ≥ 0."""
    assert_valid_setoff(obligations, clear(obligations))


@settings(max_examples=300, deadline=None)
@given(obligation_lists())
def test_result_has_no_improving_cycle(obligations: list[Obligation]) -> None:
    """The residual graph of the set-off has no negative cycle, so no better set-off exists."""
    assert not has_improving_cycle(clear(obligations))


@settings(max_examples=200, deadline=None)
@given(obligation_lists())
def test_no_cycle_of_remaining_debt_survives(obligations: list[Obligation]) -> None:
    """After an optimal set-off the remaining debts form an acyclic graph (so no A⇄B pair)."""
    remaining = nx.DiGraph()
    remaining.add_edges_from((o.debtor, o.creditor) for o in clear(obligations).remaining)
    assert nx.is_directed_acyclic_graph(remaining)


@settings(max_examples=200, deadline=None)
@given(obligation_lists())
def test_clearing_the_remainder_clears_nothing_more(obligations: list[Obligation]) -> None:
    """Clearing is idempotent: what remains after an optimal set-off cannot be cleared further."""
    result = clear(obligations)
    again = clear(list(result.remaining))
    assert again.cleared == 0


@settings(max_examples=200, deadline=None)
@given(obligation_lists(), st.randoms(use_true_random=False))
def test_optimum_does_not_depend_on_input_order(
    obligations: list[Obligation], rng: random.Random
) -> None:
    """Shuffling or splitting the obligations never changes how much can be cleared."""
    shuffled = obligations[:]
    rng.shuffle(shuffled)
    split = [
        piece
        for o in shuffled
        for piece in (
            [
                Obligation(o.debtor, o.creditor, o.amount // 2),
                Obligation(o.debtor, o.creditor, o.amount - o.amount // 2),
            ]
            if o.amount > 1
            else [o]
        )
    ]
    expected = clear(obligations).total_after
    assert clear(shuffled).total_after == expected
    assert clear(split).total_after == expected


@settings(max_examples=200, deadline=None)
@given(obligation_lists())
def test_networkx_baseline_is_a_valid_setoff_with_the_same_optimum(
    obligations: list[Obligation],
) -> None:
    """The networkx implementation is also valid and reaches the same total remaining debt."""
    baseline = clear_with_networkx(obligations)
    assert_valid_setoff(obligations, baseline)
    assert baseline.total_after == clear(obligations).total_after


def numbered_row_by_row(
    obligations: list[Obligation],
) -> tuple[tuple[str, ...], list[int], list[int], list[int]]:
    """Names, tails, heads and summed amounts, numbered by a plain loop over the rows."""
    index: dict[str, int] = {}
    edge_of: dict[tuple[int, int], int] = {}
    tails: list[int] = []
    heads: list[int] = []
    amounts: list[int] = []
    for o in obligations:
        debtor = index.setdefault(o.debtor, len(index))
        creditor = index.setdefault(o.creditor, len(index))
        edge = edge_of.setdefault((debtor, creditor), len(amounts))
        if edge == len(amounts):
            tails.append(debtor)
            heads.append(creditor)
            amounts.append(0)
        amounts[edge] += o.amount
    return tuple(index), tails, heads, amounts


@settings(max_examples=300, deadline=None)
@given(obligation_lists())
def test_columns_are_numbered_as_a_loop_over_the_rows_would(obligations: list[Obligation]) -> None:
    """Organizations by first appearance (debtor first), edges by their first row, parallel
    obligations summed: the vectorised aggregation numbers exactly as a row loop does, so
    the solver sees the same instance and outputs keep the input's order."""
    network = aggregate_columns(ObligationColumns.from_obligations(obligations))
    numbered = (
        network.names,
        network.tails.tolist(),
        network.heads.tolist(),
        network.amounts.tolist(),
    )
    assert numbered == numbered_row_by_row(obligations)
    assert network.total == sum(o.amount for o in obligations)


def test_improving_cycle_check_detects_a_suboptimal_setoff() -> None:
    """The certificate used above is not vacuous: 'clear nothing' on a cycle fails it."""
    from minga.core.clearing.model import EdgeSetOff

    untouched = ClearingResult(
        setoff=tuple(EdgeSetOff(d, c, 10, 0) for d, c in [("A", "B"), ("B", "C"), ("C", "A")]),
        positions=(),
        total_before=30,
        total_after=30,
    )
    assert has_improving_cycle(untouched)
