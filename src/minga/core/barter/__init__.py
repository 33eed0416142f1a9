"""Optimal barter cycles (math trades): a pure core with its want-list parser.

Dataclasses in, dataclasses out; no Django. May import: the standard library and
OR-Tools; numpy only for large instances and networkx only for the comparison
baseline, both imported where they are used.
"""

from minga.core.barter.model import (
    BarterInputError,
    BarterProblem,
    BarterResult,
    Item,
    Trade,
    Want,
    WantTable,
)
from minga.core.barter.solver import solve, solve_table, solve_with_networkx
from minga.core.barter.wantlist import ParsedWantlist, WantlistError, parse_wantlist

__all__ = [
    "BarterInputError",
    "BarterProblem",
    "BarterResult",
    "Item",
    "ParsedWantlist",
    "Trade",
    "Want",
    "WantTable",
    "WantlistError",
    "parse_wantlist",
    "solve",
    "solve_table",
    "solve_with_networkx",
]
