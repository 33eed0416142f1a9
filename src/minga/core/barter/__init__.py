"""Optimal barter cycles (math trades): a pure core with its want-list parser.

Dataclasses in, dataclasses out; no Django. May import: the standard library,
numpy and OR-Tools (networkx only for the comparison baseline).
"""

from minga.core.barter.model import (
    BarterInputError,
    BarterProblem,
    BarterResult,
    Item,
    Trade,
    Want,
)
from minga.core.barter.solver import solve, solve_with_networkx
from minga.core.barter.wantlist import ParsedWantlist, WantlistError, parse_wantlist

__all__ = [
    "BarterInputError",
    "BarterProblem",
    "BarterResult",
    "Item",
    "ParsedWantlist",
    "Trade",
    "Want",
    "WantlistError",
    "parse_wantlist",
    "solve",
    "solve_with_networkx",
]
