"""The adapter between the MCPD core (``minga.core.mcpd``) and the Accession model.

Reads one passport row into model fields (through the core's validation) and writes an
accession back to an MCPD row; public rows leave out the sensitive fields.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from functools import cache
from typing import IO, Any

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
    values = dict(_EMPTY)
    for name, value in clean.items():
        if value is None:
            continue
        if name in _NUMERIC or type(value) is str:
            values[_ATTRIBUTE[name]] = value
        else:
            values[_ATTRIBUTE[name]] = format_value(value)
    return values


_ATTRIBUTE = {name: name.lower() for name in FIELDS}
# An empty row's values: NULL for the numbers, empty text for the rest.
_EMPTY: dict[str, Any] = {
    attribute: None if name in _NUMERIC else "" for name, attribute in _ATTRIBUTE.items()
}
# The Accession fields an MCPD row fills, in the standard's order.
MODEL_FIELDS = tuple(_ATTRIBUTE.values())


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


def read_csv(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of an MCPD CSV file given as bytes; see :func:`csv_rows`."""
    return csv_rows(io.BytesIO(data))


def csv_rows(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of an MCPD CSV file (UTF-8, comma-separated, header of MCPD names), each with
    the line it starts on, read as they are needed: a file of any size takes the memory of
    one row. Raises :class:`McpdFileError` (naming the line) when the file cannot be read."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    line = 1
    try:
        try:
            fields = next(reader, None)
        except UnicodeDecodeError:
            raise McpdFileError(
                "line 1: the file is not UTF-8 text", code="not_utf8", line=1
            ) from None
        if not fields or not any(name.strip() for name in fields):
            raise McpdFileError("line 1: the file has no header row", code="no_header", line=1)
        header = [name.strip().upper() for name in fields]
        unknown = [name for name in header if name not in FIELDS]
        if unknown:
            raise McpdFileError(
                f"line 1, {unknown[0]}: is not an MCPD v2.1 column",
                code="unknown_column",
                line=1,
                value=unknown[0],
            )
        width = len(header)
        while True:
            line = reader.line_num + 1
            try:
                values = next(reader, None)
            except UnicodeDecodeError:
                raise McpdFileError(
                    f"line {line}: the file is not UTF-8 text", code="not_utf8", line=line
                ) from None
            if values is None:
                return
            if not values:
                continue
            if len(values) > width:
                raise McpdFileError(
                    f"line {line}: more values than columns", code="extra_values", line=line
                )
            yield (
                line,
                {
                    name: _unquote(value) if value[:1] == "'" else value
                    for name, value in zip(header, values, strict=False)
                },
            )
    except csv.Error as error:
        raise McpdFileError(f"line {line}: {error}", code="bad_csv", line=line) from None


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
