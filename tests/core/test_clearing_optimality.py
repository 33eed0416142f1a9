"""Optimality against independent solvers: a SciPy/HiGHS LP and networkx, on many networks.

The linear program below is written from the problem statement alone, not from the
solver's code: variables r_e (remaining debt per aggregated edge) with bounds
0 ≤ r_e ≤ a_e, one equality per organization (inflow − outflow of r equals the
original net position), minimise Σ r_e.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.optimize import linprog

from minga.core.clearing import Obligation, clear
from minga.core.clearing.baseline import clear_with_networkx

NETWORKS_PER_CASE = 100
CASES = 40  # 4,000 random networks in all


def random_network(rng: random.Random) -> list[Obligation]:
    """Small networks of every shape: sparse, dense, with parallel and opposite debts."""
    size = rng.randint(2, 9)
    names = [f"org{i}" for i in range(size)]
    count = rng.randint(1, min(3 * size * (size - 1) // 2 + 1, 30))
    scale = rng.choice([3, 100, 10**6, 10**12])
    obligations = []
    for _ in range(count):
        debtor, creditor = rng.sample(names, 2)
        obligations.append(Obligation(debtor, creditor, rng.randint(1, scale)))
    return obligations


def lp_optimum(obligations: list[Obligation]) -> tuple[float, int]:
    """Minimal total remaining debt by HiGHS, and the original total."""
    edges: dict[tuple[str, str], int] = {}
    for o in obligations:
        edges[o.debtor, o.creditor] = edges.get((o.debtor, o.creditor), 0) + o.amount
    keys = list(edges)
    nodes = sorted({name for pair in keys for name in pair})
    row = {name: i for i, name in enumerate(nodes)}
    a_eq = np.zeros((len(nodes), len(keys)))
    b_eq = np.zeros(len(nodes))
    for j, (debtor, creditor) in enumerate(keys):
        a_eq[row[creditor], j] += 1.0
        a_eq[row[debtor], j] -= 1.0
        b_eq[row[creditor]] += edges[debtor, creditor]
        b_eq[row[debtor]] -= edges[debtor, creditor]
    solution = linprog(
        c=np.ones(len(keys)),
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=[(0, edges[key]) for key in keys],
        method="highs",
    )
    assert solution.status == 0, solution.message
    return float(solution.fun), sum(edges.values())


@pytest.mark.parametrize("case", range(CASES))
def test_optimum_matches_highs_lp_and_networkx(case: int) -> None:
    """On random small networks the cleared total equals the LP optimum and networkx's."""
    rng = random.Random(case)
    for _ in range(NETWORKS_PER_CASE):
        obligations = random_network(rng)
        result = clear(obligations)
        optimum, total = lp_optimum(obligations)
        assert result.total_before == total
        # HiGHS works in doubles, which hold these totals (< 2**53) exactly, and the
        # LP has an integral optimum (incidence matrices are totally unimodular), so
        # rounding its objective must give our integer optimum exactly.
        assert result.total_after == round(optimum), (obligations, result.total_after, optimum)
        assert clear_with_networkx(obligations).total_after == result.total_after


def test_random_medium_networks_match_networkx_exactly() -> None:
    """On a few larger networks (hundreds of edges) OR-Tools and networkx agree exactly."""
    rng = random.Random(2024)
    for _ in range(10):
        names = [f"n{i}" for i in range(60)]
        obligations = []
        for _ in range(400):
            debtor, creditor = rng.sample(names, 2)
            obligations.append(Obligation(debtor, creditor, rng.randint(1, 10**9)))
        assert clear(obligations).total_after == clear_with_networkx(obligations).total_after
