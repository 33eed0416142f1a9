from typing import Any

from django import template

register = template.Library()


@register.filter
def in_unit(amount: int | None, unit: Any) -> str:
    """An amount in minor units, written in its unit (``1250|in_unit:unit`` → ``12.50 MINGA``)."""
    if amount is None or unit is None:
        return ""
    return str(unit.format(int(amount)))
