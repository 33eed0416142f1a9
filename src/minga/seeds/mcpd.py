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

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from minga.common.csv import FORMULA_PREFIXES, spreadsheet_writer
from minga.core.mcpd.fields import (
    FIELDS,
    FORMER_COUNTRIES,
    McpdError,
    format_value,
    validate_row,
)

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
    """ISO 3166-1 alpha-3 codes (from django-countries) and the ISO 3166-3 codes of former
    countries, which MCPD allows for material collected before the change."""
    codes = set(FORMER_COUNTRIES)
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
    """A file that is not an MCPD CSV: the line and what is wrong (English, for the command
    line; :func:`file_message` says it in the reader's language)."""

    def __init__(self, message: str, *, code: str, line: int = 0, value: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.line = line
        self.value = value


# What each of the core's codes says to a reader; %(value)s is the value refused.
_MESSAGES = {
    "unknown_column": gettext_lazy("is not an MCPD v2.1 column."),
    "too_long": gettext_lazy("is too long."),
    "required": gettext_lazy("is required."),
    "invalid_institute": gettext_lazy(
        "“%(value)s” is not an institute code (three letters of a country and three digits, "
        "such as PER001)."
    ),
    "invalid_genus": gettext_lazy(
        "“%(value)s” is not a genus (one Latin word with a capital letter)."
    ),
    "unknown_country": gettext_lazy(
        "“%(value)s” is not a country code of three letters (ISO 3166)."
    ),
    "invalid_date": gettext_lazy(
        "“%(value)s” is not a date written YYYYMMDD (with -- for an unknown month or day)."
    ),
    "not_degrees": gettext_lazy("“%(value)s” is not a number of decimal degrees."),
    "out_of_range": gettext_lazy("%(value)s is outside the globe."),
    "invalid_dms": gettext_lazy(
        "“%(value)s” is not a position written in degrees, minutes and seconds."
    ),
    "not_metres": gettext_lazy("“%(value)s” is not a whole number of metres."),
    "negative": gettext_lazy("cannot be negative."),
    "not_elevation": gettext_lazy("%(value)s m is not an elevation on land."),
    "not_in_code_list": gettext_lazy("“%(value)s” is not in the standard's code list."),
    "needs_coordinate": gettext_lazy("is needed with the other decimal coordinate."),
    "needs_species": gettext_lazy("needs SPECIES."),
}


def mcpd_message(error: McpdError, *, with_line: bool = True) -> str:
    """The core's refusal in the reader's language: "Line 12, ORIGCTY: …"."""
    template = _MESSAGES.get(error.code)
    reason = str(template) % {"value": error.value} if template is not None else error.message
    if not with_line:
        return f"{error.field}: {reason}"
    return _("Line %(line)d, %(field)s: %(reason)s") % {
        "line": error.line,
        "field": error.field,
        "reason": reason,
    }


def file_message(error: McpdFileError) -> str:
    """A refused file in the reader's language."""
    if error.code == "not_utf8":
        return _("The file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8”.")
    if error.code == "no_header":
        return _("Line 1: the file has no header row.")
    if error.code == "unknown_column":
        return _("Line 1, %(field)s: is not an MCPD v2.1 column.") % {"field": error.value}
    if error.code == "extra_values":
        return _("Line %(line)d: more values than columns.") % {"line": error.line}
    return _("Line %(line)d: the line cannot be read as CSV.") % {"line": error.line}


def _unquote(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def read_csv(data: bytes) -> list[dict[str, str]]:
    """The rows of an MCPD CSV file (UTF-8, comma-separated, header of MCPD names)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise McpdFileError(
            f"the file is not UTF-8 text (byte {error.start})", code="not_utf8"
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise McpdFileError("line 1: the file has no header row", code="no_header", line=1)
    header = [name.strip().upper() for name in reader.fieldnames]
    unknown = [name for name in header if name not in FIELDS]
    if unknown:
        raise McpdFileError(
            f"line 1, {unknown[0]}: is not an MCPD v2.1 column",
            code="unknown_column",
            line=1,
            value=unknown[0],
        )
    rows = []
    try:
        for raw in reader:
            if None in raw:
                raise McpdFileError(
                    f"line {reader.line_num}: more values than columns",
                    code="extra_values",
                    line=reader.line_num,
                )
            rows.append(
                {
                    name: _unquote(value or "")
                    for name, value in zip(header, raw.values(), strict=True)
                }
            )
    except csv.Error as error:
        raise McpdFileError(
            f"line {reader.line_num}: {error}", code="bad_csv", line=reader.line_num
        ) from None
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


def country_name(code: str) -> str:
    """The name of an alpha-3 country code in the reader's language (former countries by
    their ISO 3166-3 name), or the code itself."""
    alpha2 = countries.alpha2(code)
    if alpha2:
        return str(countries.name(alpha2)) or code
    return FORMER_COUNTRIES.get(code, code)
