"""Amounts of money in a unit of account: one way to write them, on every page.

Amounts are integers in the unit's minor units; a unit has 0 to 6 decimal places (its
scale): ``format_amount(1250, scale=2, code="MINGA")`` is ``"12.50 MINGA"``. Every page,
export and API that writes an amount for people uses this function (templates through the
``in_unit`` filter of ``{% load money %}``), so a price on an offer reads like the balance
of the account that will pay it.

Units of account belong to the exchange, which ``common`` does not import: the exchange
registers how to find a unit's scale from its code (:func:`register_unit_scales`), so that
apps that know only a code (the market's prices) write amounts the same way. A unit's
scale never changes once the unit exists (it would change the meaning of every amount
recorded in it), so scales found are kept for the life of the process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

ScaleLookup = Callable[[str], "int | None"]

_lookup: ScaleLookup | None = None
_scales: dict[str, int] = {}


class UnitLike(Protocol):
    code: str
    scale: int


def format_amount(amount: int, scale: int, code: str) -> str:
    """Minor units as a decimal in the unit, with its code: ``-1250, 2, "MINGA"`` →
    ``"-12.50 MINGA"``. Exact for any integer (no floating point)."""
    sign = "-" if amount < 0 else ""
    if not scale:
        return f"{sign}{abs(amount)} {code}"
    whole, minor = divmod(abs(amount), 10**scale)
    return f"{sign}{whole}.{minor:0{scale}d} {code}"


def register_unit_scales(lookup: ScaleLookup) -> None:
    """Called once by the app that owns units: ``lookup(code)`` is the unit's scale, or
    None for an unknown code."""
    global _lookup
    _lookup = lookup
    _scales.clear()


def unit_scale(code: str) -> int | None:
    """The scale of the unit with this code, or None if no such unit is known."""
    if code in _scales:
        return _scales[code]
    scale = _lookup(code) if _lookup is not None and code else None
    if scale is not None:
        _scales[code] = scale
    return scale


def amount_in_unit(amount: int, unit: UnitLike | str) -> str:
    """``amount`` written in ``unit``, given as a unit or by its code. An unknown code gives
    the amount in minor units with the code (there is no scale to apply)."""
    if isinstance(unit, str):
        scale = unit_scale(unit)
        return format_amount(amount, scale or 0, unit)
    return format_amount(amount, unit.scale, unit.code)


def as_int(value: Any) -> int | None:
    """An amount from a template (an int, or None for none)."""
    if value is None or value == "":
        return None
    return int(value)
