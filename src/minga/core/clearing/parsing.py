"""Reading obligations from a CSV file ``debtor,creditor,amount``.

The file must start with a header row naming the three columns (in any order,
case and surrounding spaces ignored; no other columns). Each following row is one
obligation: non-empty organization names (surrounding spaces stripped, otherwise
compared exactly) and an amount that is a positive whole number of minor units,
written in ASCII digits only ("1250", not "12.50", "1_250", "1e3" or "+1250").
Blank lines are skipped. The file is UTF-8 (a byte-order mark is tolerated).

Parsing is all or nothing: the first problem raises :class:`ObligationFileError`,
naming the 1-based line number and the field, and no obligations are returned.

This module may import only the standard library (the clearing package as a whole
may import only the standard library and OR-Tools).
"""

from __future__ import annotations

import csv
import io
import os
import re

from minga.core.clearing.model import MAX_TOTAL, Obligation

FIELDS = ("debtor", "creditor", "amount")

_DIGITS = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]*[.,][0-9]*")
_NEGATIVE = re.compile(r"-[0-9]+")


class ObligationFileError(ValueError):
    """The obligations file is malformed; ``line`` and ``field`` say where."""

    def __init__(self, line: int | None, field: str | None, problem: str) -> None:
        self.line = line
        self.field = field
        self.problem = problem
        where = []
        if line is not None:
            where.append(f"line {line}")
        if field is not None:
            where.append(f"field {field}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {problem}" if prefix else problem)


def read_obligations(path: str | os.PathLike[str]) -> list[Obligation]:
    """Read and validate an obligations file; raises ``OSError`` if it cannot be read."""
    with open(path, "rb") as handle:
        data = handle.read()
    return parse_obligations(data)


def parse_obligations(data: bytes | str) -> list[Obligation]:
    """Parse the contents of an obligations file (bytes are decoded as UTF-8)."""
    return [obligation for _line, obligation in parse_obligations_with_lines(data)]


def parse_obligations_with_lines(data: bytes | str) -> list[tuple[int, Obligation]]:
    """Like :func:`parse_obligations`, with each obligation's line number, so that a caller
    that checks more (e.g. that the organizations exist) can name the line too."""
    text = _decode(data) if isinstance(data, bytes) else data
    # newline="" lets the csv module see the line endings it needs for quoted fields.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    columns: dict[str, int] | None = None
    obligations: list[tuple[int, Obligation]] = []
    total = 0
    try:
        for row in reader:
            line = reader.line_num
            # Only truly blank lines are skipped; ",," is a row with empty fields.
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if columns is None:
                columns = _parse_header(row, line)
                continue
            obligation = _parse_row(row, columns, line)
            total += obligation.amount
            if total > MAX_TOTAL:
                raise ObligationFileError(
                    line,
                    "amount",
                    f"the amounts up to this line add up to {total}, more than the maximum "
                    f"total of {MAX_TOTAL} minor units",
                )
            obligations.append((line, obligation))
    except csv.Error as error:
        raise ObligationFileError(reader.line_num, None, f"malformed CSV: {error}") from error
    if columns is None:
        raise ObligationFileError(1, None, f"missing header row {','.join(FIELDS)}")
    return obligations


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ObligationFileError(line, None, "not valid UTF-8 text") from error


def _parse_header(row: list[str], line: int) -> dict[str, int]:
    names = [cell.strip().lower() for cell in row]
    if sorted(names) != sorted(FIELDS):
        raise ObligationFileError(
            line,
            None,
            f"expected the header row {','.join(FIELDS)}, found {','.join(row)!r}",
        )
    return {name: position for position, name in enumerate(names)}


def _parse_row(row: list[str], columns: dict[str, int], line: int) -> Obligation:
    if len(row) > len(FIELDS):
        raise ObligationFileError(line, None, f"expected {len(FIELDS)} fields, found {len(row)}")
    values: dict[str, str] = {}
    for field in FIELDS:
        position = columns[field]
        if position >= len(row):
            raise ObligationFileError(line, field, "missing")
        values[field] = row[position].strip()
    for field in ("debtor", "creditor"):
        if not values[field]:
            raise ObligationFileError(line, field, "organization name is empty")
    if values["debtor"] == values["creditor"]:
        raise ObligationFileError(
            line, "creditor", f"{values['creditor']!r} is the same organization as the debtor"
        )
    amount = _parse_amount(values["amount"], line)
    return Obligation(values["debtor"], values["creditor"], amount)


def _parse_amount(text: str, line: int) -> int:
    if not text:
        raise ObligationFileError(line, "amount", "is empty")
    if _DIGITS.fullmatch(text) is None:
        if _DECIMAL.fullmatch(text) is not None:
            problem = f"{text!r} is not a whole number of minor units"
        elif _NEGATIVE.fullmatch(text) is not None:
            problem = f"{text!r} is negative; amounts must be greater than zero"
        else:
            problem = f"{text!r} is not a whole number of minor units (digits 0-9 only)"
        raise ObligationFileError(line, "amount", problem)
    # Bounding the digit count first keeps int() from chewing on absurd inputs.
    if len(text.lstrip("0")) > len(str(MAX_TOTAL)):
        raise ObligationFileError(line, "amount", f"{text!r} exceeds the maximum {MAX_TOTAL}")
    amount = int(text)
    if amount == 0:
        raise ObligationFileError(line, "amount", "must be greater than zero")
    if amount > MAX_TOTAL:
        raise ObligationFileError(line, "amount", f"{text!r} exceeds the maximum {MAX_TOTAL}")
    return amount
