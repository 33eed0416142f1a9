"""Reading obligations from a CSV file ``debtor,creditor,amount``.

The file must start with a header row naming the three columns (in any order,
case and surrounding spaces ignored; no other columns). Each following row is one
obligation: non-empty organization names (surrounding spaces stripped, otherwise
compared exactly) and an amount that is a positive whole number of minor units,
written in ASCII digits only ("1250", not "12.50", "1_250", "1e3" or "+1250").
Blank lines are skipped. The file is UTF-8 (a byte-order mark is tolerated).

Parsing is all or nothing: the first problem raises :class:`ObligationFileError`,
naming the 1-based line number and the field, and no obligations are returned.

Two readers share these rules. :func:`parse_obligations_with_lines` checks row by
row and builds an :class:`Obligation` per row (the exchange's upload form uses it).
:func:`parse_obligation_columns`, for the command and large files, keeps the rows
as three columns and checks them column by column with string methods that run in
C; whenever that quick pass sees anything unusual (quoted fields, blank lines, a bad
row) it hands the whole file to the row-by-row reader instead, so that valid files
give the same obligations and invalid ones the same error, line and field.

This module may import only the standard library (the clearing package as a whole
may import only the standard library and OR-Tools).
"""

from __future__ import annotations

import csv
import io
import operator
import os
import re
from collections.abc import Iterator
from itertools import repeat

from minga.core.clearing.model import MAX_TOTAL, Obligation, ObligationColumns

FIELDS = ("debtor", "creditor", "amount")

_DIGITS = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]*[.,][0-9]*")
_NEGATIVE = re.compile(r"-[0-9]+")
# What str.strip() strips in ASCII text, the line end aside.
_ASCII_SPACES = " \t\x0b\x0c\x1c\x1d\x1e\x1f"
# An amount with more digits than MAX_TOTAL is out of range whatever its value.
_MAX_DIGITS = len(str(MAX_TOTAL))


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


def read_obligation_columns(path: str | os.PathLike[str]) -> ObligationColumns:
    """Like :func:`read_obligations`, as columns (see :func:`parse_obligation_columns`)."""
    with open(path, "rb") as handle:
        data = handle.read()
    return parse_obligation_columns(data)


def parse_obligations(data: bytes | str) -> list[Obligation]:
    """Parse the contents of an obligations file (bytes are decoded as UTF-8)."""
    return [obligation for _line, obligation in parse_obligations_with_lines(data)]


def parse_obligations_with_lines(data: bytes | str) -> list[tuple[int, Obligation]]:
    """Like :func:`parse_obligations`, with each obligation's line number, so that a caller
    that checks more (e.g. that the organizations exist) can name the line too."""
    text = _decode(data) if isinstance(data, bytes) else data
    return [
        (line, Obligation(debtor, creditor, amount))
        for line, debtor, creditor, amount in _checked_rows(text)
    ]


def parse_obligation_columns(data: bytes | str) -> ObligationColumns:
    """The obligations of a file as columns; same rules and errors as :func:`parse_obligations`.

    Much faster on large files: no object per row, and the checks run column-wise.
    """
    text = _decode(data) if isinstance(data, bytes) else data
    columns = _quick_columns(text)
    if columns is not None:
        return columns
    # Something unusual: the row-by-row reader either accepts it (quoted names,
    # blank lines, CR line ends) or raises the error naming its line and field.
    debtors: list[str] = []
    creditors: list[str] = []
    amounts: list[int] = []
    for _line, debtor, creditor, amount in _checked_rows(text):
        debtors.append(debtor)
        creditors.append(creditor)
        amounts.append(amount)
    return ObligationColumns(debtors, creditors, amounts)


def _quick_columns(text: str) -> ObligationColumns | None:
    """The columns of a plain file (no quotes, no blank lines, three fields per row, all
    valid), or None if the file is anything else and must be read row by row.

    Each check here is a sufficient condition for the row-by-row reader to accept the
    same rows unchanged, so the fast path never accepts what the other would refuse.
    """
    # Quotes, NULs and lone CRs are the csv module's business; CRLF is just a line end.
    if '"' in text or "\x00" in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if not lines:
        return None
    names = [cell.strip().lower() for cell in lines[0].split(",")]
    if sorted(names) != sorted(FIELDS):
        return None
    body = lines[1:]
    del lines
    if not body:
        return ObligationColumns([], [], [])
    # Exactly two commas on every line: three fields, and no blank line (which the
    # row-by-row reader skips). The csv module refuses fields over its size limit.
    if (
        set(map(str.count, body, repeat(","))) != {2}
        or max(map(len, body)) > csv.field_size_limit()
    ):
        return None
    fields = ",".join(body).split(",")
    del body
    columns = [fields[names.index(name) :: 3] for name in FIELDS]
    del fields
    if text.isascii() and not any(space in text for space in _ASCII_SPACES):
        # Nothing to strip anywhere (the usual case): skip three passes over the rows.
        debtors, creditors, amount_texts = columns
    else:
        debtors, creditors, amount_texts = (list(map(str.strip, column)) for column in columns)
    del columns
    if not (all(debtors) and all(creditors)) or any(map(operator.eq, debtors, creditors)):
        return None
    # ASCII digits only: str.isdigit alone would also accept other scripts' digits.
    digits = "".join(amount_texts)
    if not (digits.isascii() and digits.isdigit() and all(amount_texts)):
        return None
    del digits
    if max(map(len, amount_texts)) > _MAX_DIGITS:
        return None
    amounts = list(map(int, amount_texts))
    del amount_texts
    # Positive amounts, each at most the total, so the total bound covers each one.
    if min(amounts) == 0 or sum(amounts) > MAX_TOTAL:
        return None
    return ObligationColumns(debtors, creditors, amounts)


def _checked_rows(text: str) -> Iterator[tuple[int, str, str, int]]:
    """Yield ``(line, debtor, creditor, amount)`` per row, raising at the first problem."""
    # newline="" lets the csv module see the line endings it needs for quoted fields.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    columns: dict[str, int] | None = None
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
            debtor, creditor, amount = _parse_row(row, columns, line)
            total += amount
            if total > MAX_TOTAL:
                raise ObligationFileError(
                    line,
                    "amount",
                    f"the amounts up to this line add up to {total}, more than the maximum "
                    f"total of {MAX_TOTAL} minor units",
                )
            yield line, debtor, creditor, amount
    except csv.Error as error:
        raise ObligationFileError(reader.line_num, None, f"malformed CSV: {error}") from error
    if columns is None:
        raise ObligationFileError(1, None, f"missing header row {','.join(FIELDS)}")


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


def _parse_row(row: list[str], columns: dict[str, int], line: int) -> tuple[str, str, int]:
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
    return values["debtor"], values["creditor"], _parse_amount(values["amount"], line)


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
    if len(text.lstrip("0")) > _MAX_DIGITS:
        raise ObligationFileError(line, "amount", f"{text!r} exceeds the maximum {MAX_TOTAL}")
    amount = int(text)
    if amount == 0:
        raise ObligationFileError(line, "amount", "must be greater than zero")
    if amount > MAX_TOTAL:
        raise ObligationFileError(line, "amount", f"{text!r} exceeds the maximum {MAX_TOTAL}")
    return amount
