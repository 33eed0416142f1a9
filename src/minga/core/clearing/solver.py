"""Optimal multilateral set-off of debts, solved as a min-cost flow with OR-Tools.

This module may import only the standard library and OR-Tools (plus NumPy, the
array type OR-Tools' vectorised graph API takes and returns).

The problem
-----------
Obligations "debtor owes creditor amount" form a directed multigraph. Parallel
obligations with the same debtor and creditor are first added together, so each
ordered pair (u, v) becomes one edge e with amount a_e > 0. Opposite debts u→v and
v→u stay two separate edges: together they are a cycle of length two, and the
optimisation below nets them bilaterally whenever that helps (it always does — see
"Opposite edges").

The net position of an organization is what it is owed minus what it owes,
``net(v) = in_a(v) - out_a(v)``. A set-off chooses the remaining debt r_e on every
edge such that

* ``0 <= r_e <= a_e`` (a set-off only cancels debt; it never creates or reverses it),
* ``in_r(v) - out_r(v) = net(v)`` for every organization v (nobody gains or loses),

and we want the set-off that minimises the total remaining debt ``sum(r_e)``. The
cleared amount is ``sum(a_e) - sum(r_e)``. Equivalently the cancelled amounts
``c_e = a_e - r_e`` form a circulation bounded by a (flow conservation holds at every
node because a and r have the same net positions), and we maximise ``sum(c_e)``.
Every circulation is a sum of cycles, so the set-off is a sum of cancellations
around cycles of debt: each organization's claim on the cycle extinguishes its debt
on the same cycle by the same amount.

Why the min-cost-flow reduction is exact
----------------------------------------
It is not a relaxation or a heuristic: the problem above *is* a min-cost-flow
instance, term by term. Take the nodes as organizations, one arc debtor→creditor
per edge with capacity a_e and unit cost -1, and every node's supply zero. A flow c
of that instance is, by definition, a circulation with ``0 <= c_e <= a_e``, i.e.
exactly the cancelled amounts of a feasible set-off (``r = a - c`` keeps every net
position because c is conserved at every node), and its cost ``-sum(c_e)`` is minus
the cleared amount. Same feasible set, objective negated, hence the same optimum.

The same problem can be handed over with the remaining debt as the flow (unit cost
+1, supply ``-net(v)`` at each node). It has the same optimum, but OR-Tools then
first runs a maximum flow to check that the supplies can be met, which a
circulation does not need: the circulation solves about a fifth faster (16.1 s
against 19.8 s of CPU on the 1,000,000-obligation benchmark network). Where several
set-offs clear the same optimal amount, the two can pick different ones. Moreover:

* The instance is feasible (c = 0, "cancel nothing", is a flow) and bounded (finite
  capacities), so an optimum exists and OR-Tools must report OPTIMAL; anything
  else is raised as an error rather than returned.
* The constraint matrix is a node-arc incidence matrix, which is totally unimodular,
  so with integral amounts the optimum over the reals is attained by an integral
  flow — the integer set-off loses nothing against a fractional one. OR-Tools' cost
  scaling push-relabel works in integers and returns such a flow, so no rounding
  of money ever happens.
* The result is checked again after solving (bounds and unchanged net positions)
  before it is returned; the tests compare the optimum with an independently written
  SciPy/HiGHS linear program and with networkx's network simplex.

Opposite edges
--------------
If an optimal r had both ``r_uv > 0`` and ``r_vu > 0``, lowering both by their
minimum keeps every net position and lowers the cost — a contradiction. So in the
result at most one direction of each pair remains; more generally no directed cycle
of positive remaining debts survives.

Integer width
-------------
OR-Tools uses int64. Every quantity the solver touches (a node's in- or outflow,
the objective) is at most the sum of all amounts, so the sum is required to
be at most ``MAX_TOTAL`` (2**63 - 1) and :class:`AmountOverflowError` is raised
otherwise, before anything is handed to the solver.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, count

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from minga.core.clearing.model import (
    MAX_TOTAL,
    AmountOverflowError,
    ClearingError,
    ClearingResult,
    EdgeSetOff,
    Obligation,
    ObligationColumns,
    Position,
    fraction_to_decimal,
    percent_of,
)

IntArray = npt.NDArray[np.int64]
IndexArray = npt.NDArray[np.int32]

# OR-Tools' vectorised API takes node and arc indices as int32.
_MAX_INDEX = 2**31 - 1


@dataclass(frozen=True, slots=True, eq=False)
class Network:
    """Aggregated obligations: edge i is ``names[tails[i]]`` owes ``names[heads[i]]``.

    Organizations and edges are numbered in order of first appearance in the input,
    which makes results deterministic for a given input order.
    """

    names: tuple[str, ...]
    tails: IndexArray
    heads: IndexArray
    amounts: IntArray
    total: int

    @property
    def num_nodes(self) -> int:
        return len(self.names)

    @property
    def num_edges(self) -> int:
        return len(self.amounts)

    def payables(self, amounts: IntArray | None = None) -> IntArray:
        """Sum of ``amounts`` (default: the original amounts) owed by each node."""
        return _node_sums(self.tails, self.amounts if amounts is None else amounts, self.num_nodes)

    def receivables(self, amounts: IntArray | None = None) -> IntArray:
        """Sum of ``amounts`` (default: the original amounts) owed to each node."""
        return _node_sums(self.heads, self.amounts if amounts is None else amounts, self.num_nodes)


def _node_sums(nodes: IndexArray, amounts: IntArray, num_nodes: int) -> IntArray:
    # np.bincount would go through float64 weights and lose exactness above 2**53;
    # np.add.at stays in int64, which cannot overflow because every sum is bounded
    # by the network total, itself checked against MAX_TOTAL.
    sums = np.zeros(num_nodes, dtype=np.int64)
    np.add.at(sums, nodes, amounts)
    return sums


def aggregate(obligations: Iterable[Obligation]) -> Network:
    """Number the organizations and add up parallel obligations debtor→creditor.

    Raises :class:`AmountOverflowError` if the amounts sum to more than ``MAX_TOTAL``.
    """
    return aggregate_columns(ObligationColumns.from_obligations(list(obligations)))


def aggregate_columns(columns: ObligationColumns) -> Network:
    """:func:`aggregate` for obligations given as columns (as the file reader gives them).

    Organizations are numbered by first appearance (a row's debtor before its
    creditor) and edges by the first row of each debtor→creditor pair, exactly as a
    row-by-row loop would; the work is done in dictionaries and NumPy, not per row
    in Python.
    """
    # Python ints, so a sum past int64 is detected instead of silently wrapping.
    total = sum(columns.amounts)
    if total > MAX_TOTAL:
        raise AmountOverflowError(
            f"the obligations total {total} minor units, more than the maximum {MAX_TOTAL} "
            "that 64-bit arithmetic can clear exactly"
        )
    rows = len(columns)
    if rows > _MAX_INDEX:
        raise ClearingError("too many organizations or obligations for the solver (max 2**31 - 1)")
    # One pass over debtor, creditor, debtor, creditor ...: the dictionary gives each
    # name met for the first time the next number (defaultdict calls the counter),
    # all in C; tails and heads are then the even and odd entries.
    number: defaultdict[str, int] = defaultdict(count().__next__)
    pairs = chain.from_iterable(zip(columns.debtors, columns.creditors, strict=True))
    ends = np.fromiter(map(number.__getitem__, pairs), dtype=np.int64, count=2 * rows)
    names = tuple(number)
    if len(names) > _MAX_INDEX:
        raise ClearingError("too many organizations or obligations for the solver (max 2**31 - 1)")
    row_tails = ends[0::2]
    row_heads = ends[1::2]
    # Every amount is at most the total, so int64 holds each one exactly.
    row_amounts = np.fromiter(columns.amounts, dtype=np.int64, count=rows)
    # One key per ordered pair; np.unique gives each pair's first row and, per row,
    # its pair, in key order, which is then renumbered into order of first row.
    keys = row_tails * max(len(names), 1) + row_heads
    _unique, first_rows, pair_of_row = np.unique(keys, return_index=True, return_inverse=True)
    by_first_row = np.argsort(first_rows)
    edge_of_pair = np.empty(len(by_first_row), dtype=np.int64)
    edge_of_pair[by_first_row] = np.arange(len(by_first_row), dtype=np.int64)
    amounts = np.zeros(len(by_first_row), dtype=np.int64)
    np.add.at(amounts, edge_of_pair[pair_of_row.reshape(-1)], row_amounts)
    edge_rows = first_rows[by_first_row]
    return Network(
        names=names,
        tails=row_tails[edge_rows].astype(np.int32),
        heads=row_heads[edge_rows].astype(np.int32),
        amounts=amounts,
        total=total,
    )


def minimal_remaining(network: Network) -> IntArray:
    """The remaining debt per edge of an optimal set-off (via the maximal circulation)."""
    if network.num_edges == 0:
        return np.zeros(0, dtype=np.int64)
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(
        network.tails,
        network.heads,
        network.amounts,
        np.full(network.num_edges, -1, dtype=np.int64),
    )
    status = solver.solve()
    if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
        # Unreachable for valid input (see the module docstring); if it happens the
        # input or the solver is broken, and a non-optimal set-off must not be used.
        raise ClearingError(f"the min-cost-flow solver did not find an optimum: {status!r}")
    cancelled = np.asarray(solver.flows(np.asarray(arcs, dtype=np.int32)), dtype=np.int64)
    return network.amounts - cancelled


@dataclass(frozen=True, slots=True, eq=False)
class ClearingTable:
    """A checked optimal set-off in columns, for outputs that stream many rows.

    Edge ``i`` of ``network`` keeps ``remaining[i]`` of its ``network.amounts[i]``;
    the position arrays are indexed like ``network.names``.
    :meth:`to_result` turns it into the :class:`ClearingResult` value objects.
    """

    network: Network
    remaining: IntArray
    payable_before: IntArray
    receivable_before: IntArray
    payable_after: IntArray
    receivable_after: IntArray
    total_after: int

    @property
    def total_before(self) -> int:
        return self.network.total

    @property
    def cleared(self) -> int:
        return self.total_before - self.total_after

    def percent_cleared_text(self, places: int = 2) -> str:
        """The share of the debt cancelled, in percent, as :class:`ClearingResult` gives it."""
        return fraction_to_decimal(percent_of(self.cleared, self.total_before), places)

    def to_result(self) -> ClearingResult:
        network = self.network
        names = network.names
        setoff = tuple(
            EdgeSetOff(names[tail], names[head], amount, amount - left)
            for tail, head, amount, left in zip(
                network.tails.tolist(),
                network.heads.tolist(),
                network.amounts.tolist(),
                self.remaining.tolist(),
                strict=True,
            )
        )
        positions = tuple(
            Position(name, pb, rb, pa, ra)
            for name, pb, rb, pa, ra in zip(
                names,
                self.payable_before.tolist(),
                self.receivable_before.tolist(),
                self.payable_after.tolist(),
                self.receivable_after.tolist(),
                strict=True,
            )
        )
        return ClearingResult(
            setoff=setoff,
            positions=positions,
            total_before=self.total_before,
            total_after=self.total_after,
        )


def check_setoff(network: Network, remaining: IntArray) -> ClearingTable:
    """Check ``remaining`` is a valid set-off of ``network`` and tabulate it.

    The checks are cheap next to solving, and make any solver defect fail loudly
    instead of producing a set-off that changes someone's position.
    """
    remaining = np.asarray(remaining, dtype=np.int64)
    if remaining.shape != network.amounts.shape:
        raise ClearingError(
            f"expected {network.num_edges} remaining amounts, got {remaining.shape}"
        )
    if np.any(remaining < 0) or np.any(remaining > network.amounts):
        raise ClearingError("the set-off would create or reverse debt on some edge")
    payable_before = network.payables()
    receivable_before = network.receivables()
    payable_after = network.payables(remaining)
    receivable_after = network.receivables(remaining)
    if not np.array_equal(receivable_after - payable_after, receivable_before - payable_before):
        raise ClearingError("the set-off would change some organization's net position")
    return ClearingTable(
        network=network,
        remaining=remaining,
        payable_before=payable_before,
        receivable_before=receivable_before,
        payable_after=payable_after,
        receivable_after=receivable_after,
        # Bounded by the checked total, so the int64 sum is exact.
        total_after=int(remaining.sum()),
    )


def build_result(network: Network, remaining: IntArray) -> ClearingResult:
    """Check ``remaining`` is a valid set-off of ``network`` and describe it."""
    return check_setoff(network, remaining).to_result()


def clear_columns(columns: ObligationColumns) -> ClearingTable:
    """:func:`clear` for obligations as columns, with the result as columns too."""
    network = aggregate_columns(columns)
    return check_setoff(network, minimal_remaining(network))


def clear(obligations: Iterable[Obligation]) -> ClearingResult:
    """The set-off that cancels the most debt without changing any net position.

    Raises :class:`AmountOverflowError` if the amounts total more than ``MAX_TOTAL``
    and :class:`ClearingError` if the solver fails (which valid input cannot cause).
    """
    network = aggregate(obligations)
    return build_result(network, minimal_remaining(network))
