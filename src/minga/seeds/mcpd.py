"""The adapter between the MCPD core (``minga.core.mcpd``) and the Accession model.

Reads one passport row into model fields (through the core's validation) and writes an
accession back to an MCPD row; public rows leave out the sensitive fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from django_countries import countries

from minga.core.mcpd.fields import FIELDS, format_value, validate_row

# Left out of every export that is not the bank's own: a community's exact fields.
SENSITIVE_FIELDS = ("DECLATITUDE", "LATITUDE", "DECLONGITUDE", "LONGITUDE", "COORDUNCERT")

_NUMERIC = {
    "DECLATITUDE",
    "DECLONGITUDE",
    "COORDUNCERT",
    "ELEVATION",
    "SAMPSTAT",
    "COLLSRC",
    "MLSSTAT",
}


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes, from django-countries."""
    codes = set()
    for code, _name in countries:
        alpha3 = countries.alpha3(code)
        if alpha3:
            codes.add(alpha3)
    return frozenset(codes)


def clean_row(row: Mapping[str, str | None], *, line: int) -> dict[str, Any]:
    """Model field values of one MCPD row; raises ``McpdError`` naming line and field."""
    clean = validate_row(row, line=line, country_codes=country_codes())
    values: dict[str, Any] = {}
    for name in FIELDS:
        value = clean[name]
        if name in _NUMERIC:
            values[name.lower()] = value
        else:
            values[name.lower()] = format_value(value)
    return values


def accession_row(accession: Any, *, full: bool) -> dict[str, str]:
    """The MCPD row of an accession; without ``full`` the sensitive fields are empty."""
    row = {}
    for name in FIELDS:
        value = getattr(accession, name.lower())
        if name in SENSITIVE_FIELDS and not full:
            value = None
        row[name] = format_value(value if value != "" else None)
    return row
