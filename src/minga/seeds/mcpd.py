"""The adapter between the MCPD core (``minga.core.mcpd``) and the Accession model.

Reads one passport row into model fields (through the core's validation) and writes an
accession back to an MCPD row; public rows leave out the sensitive fields.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from functools import cache
from typing import Any

from django_countries import countries

from minga.common.csv import FORMULA_PREFIXES, spreadsheet_writer
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


class McpdFileError(ValueError):
    """A file that is not an MCPD CSV: the line and what is wrong."""


def _unquote(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def read_csv(data: bytes) -> list[dict[str, str]]:
    """The rows of an MCPD CSV file (UTF-8, comma-separated, header of MCPD names)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise McpdFileError(f"the file is not UTF-8 text (byte {error.start})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise McpdFileError("line 1: the file has no header row")
    header = [name.strip().upper() for name in reader.fieldnames]
    unknown = [name for name in header if name not in FIELDS]
    if unknown:
        raise McpdFileError(f"line 1, {unknown[0]}: is not an MCPD v2.1 column")
    rows = []
    try:
        for raw in reader:
            if None in raw:
                raise McpdFileError(f"line {reader.line_num}: more values than columns")
            rows.append(
                {
                    name: _unquote(value or "")
                    for name, value in zip(header, raw.values(), strict=True)
                }
            )
    except csv.Error as error:
        raise McpdFileError(f"line {reader.line_num}: {error}") from None
    return rows


def write_csv(accessions: Any, out: Any, *, full: bool) -> int:
    """Write accessions as MCPD CSV with every column; returns how many rows."""
    # Text a spreadsheet would run as a formula gets a leading quote (numbers stay numbers);
    # :func:`read_csv` takes that quote off again, so a file round-trips exactly.
    writer = spreadsheet_writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    count = 0
    for accession in accessions:
        row = accession_row(accession, full=full)
        writer.writerow(
            [
                getattr(accession, name.lower()) if name in _NUMERIC and row[name] else row[name]
                for name in FIELDS
            ]
        )
        count += 1
    return count


def accession_row(accession: Any, *, full: bool) -> dict[str, str]:
    """The MCPD row of an accession; without ``full`` the sensitive fields are empty."""
    row = {}
    for name in FIELDS:
        value = getattr(accession, name.lower())
        if name in SENSITIVE_FIELDS and not full:
            value = None
        row[name] = format_value(value if value != "" else None)
    return row
