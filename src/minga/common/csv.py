"""CSV files that spreadsheets open safely: one writer for every export.

Names and other text in exports are user input. A spreadsheet runs a cell that starts
with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or a carriage return) as a formula,
so ``=HYPERLINK(…)`` in an organization's name would become a live formula on the reader's
machine. :func:`spreadsheet_safe` puts a quote before such text, which spreadsheets show
as plain text; numbers are left alone (a negative amount is not a formula).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, prefixed with a quote to stay text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SpreadsheetWriter:
    """``csv.writer`` whose every text cell goes through :func:`spreadsheet_safe`."""

    def __init__(self, stream: _Writable, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([spreadsheet_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def spreadsheet_writer(stream: _Writable, **options: Any) -> SpreadsheetWriter:
    return SpreadsheetWriter(stream, **options)
