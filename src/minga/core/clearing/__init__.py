"""Multilateral clearing of debts (trade-credit set-off) between organizations.

Given who owes whom how much, find the set-off that cancels the most debt without
changing any organization's net position, solved exactly as a min-cost flow with
OR-Tools (see :mod:`minga.core.clearing.solver` for the formulation and why it is
exact). Pure Python: no Django; dataclasses in, dataclasses out; money as integers
in minor units.

The package may import only the standard library and OR-Tools (with NumPy, which
OR-Tools' vectorised API uses); the networkx baseline lives apart in
:mod:`minga.core.clearing.baseline` and is not imported here.
"""

from minga.core.clearing.model import (
    MAX_TOTAL,
    AmountOverflowError,
    ClearingError,
    ClearingResult,
    EdgeSetOff,
    InvalidObligationError,
    Obligation,
    ObligationColumns,
    Position,
)
from minga.core.clearing.parsing import (
    ObligationFileError,
    parse_obligation_columns,
    parse_obligations,
    read_obligation_columns,
    read_obligations,
)
from minga.core.clearing.solver import ClearingTable, clear, clear_columns

__all__ = [
    "MAX_TOTAL",
    "AmountOverflowError",
    "ClearingError",
    "ClearingResult",
    "ClearingTable",
    "EdgeSetOff",
    "InvalidObligationError",
    "Obligation",
    "ObligationColumns",
    "ObligationFileError",
    "Position",
    "clear",
    "clear_columns",
    "parse_obligation_columns",
    "parse_obligations",
    "read_obligation_columns",
    "read_obligations",
]
