"""A plain networkx solution of the clearing problem, for comparison and cross-checking.

Not used by the command or by production code: it exists as the baseline in
``benchmarks/bench_clearing.py`` and as a second, independently implemented solver
in the tests. It shares the aggregation and result checks of :mod:`.solver` but
solves with networkx's network simplex instead of OR-Tools.

Unlike the rest of the package, which may import only the standard library and
OR-Tools, this module also imports networkx (a project dependency); nothing else
in the package imports this module, so the OR-Tools path never loads networkx.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np

from minga.core.clearing.model import ClearingResult, Obligation
from minga.core.clearing.solver import IntArray, Network, aggregate, build_result


def remaining_with_networkx(network: Network) -> IntArray:
    """The remaining debt per edge of an optimal set-off, via ``networkx.network_simplex``."""
    if network.num_edges == 0:
        return np.zeros(0, dtype=np.int64)
    graph = nx.DiGraph()
    # networkx's demand is inflow minus outflow, i.e. exactly the net position that
    # the remaining debts must reproduce at every node.
    nets = (network.receivables() - network.payables()).tolist()
    graph.add_nodes_from((node, {"demand": net}) for node, net in enumerate(nets))
    tails = network.tails.tolist()
    heads = network.heads.tolist()
    graph.add_edges_from(
        (tail, head, {"capacity": amount, "weight": 1})
        for tail, head, amount in zip(tails, heads, network.amounts.tolist(), strict=True)
    )
    _cost, flows = nx.network_simplex(graph)
    return np.asarray(
        [flows[tail][head] for tail, head in zip(tails, heads, strict=True)], dtype=np.int64
    )


def clear_with_networkx(obligations: Iterable[Obligation]) -> ClearingResult:
    """Same contract as :func:`minga.core.clearing.solver.clear`, solved by networkx."""
    network = aggregate(obligations)
    return build_result(network, remaining_with_networkx(network))
