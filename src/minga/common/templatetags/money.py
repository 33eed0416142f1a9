"""``{% load money %}``: amounts written in their unit, as everywhere (``minga.common.money``)."""

from __future__ import annotations

from typing import Any

from django import template

from minga.common.money import amount_in_unit, as_int

register = template.Library()


@register.filter
def in_unit(amount: Any, unit: Any) -> str:
    """``{{ 1250|in_unit:unit }}`` or ``{{ 1250|in_unit:"MINGA" }}`` → ``12.50 MINGA``."""
    value = as_int(amount)
    if value is None or unit in (None, ""):
        return ""
    return amount_in_unit(value, unit)
