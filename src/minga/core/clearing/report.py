"""Renderings of a clearing: JSON, the two CSV tables and a text report.

Organizations are listed by name so that the outputs do not depend on the input
order; set-off rows keep the order in which each debtor→creditor pair first
appeared in the input, so they can be read side by side with it. All amounts are
integers in the input's minor units.

The renderings read the columns of a :class:`~minga.core.clearing.solver.ClearingTable`
and write to a text stream in blocks of rows, each row formatted straight from the
columns (an f-string or a ``str.format`` template): no object or dict per row, names
quoted once per organization rather than once per row, and memory bounded by a
block rather than by the whole output. The JSON is compact by default; ``pretty=True``
gives exactly what ``json.dumps(..., indent=2, ensure_ascii=False)`` would.

This module may import only the standard library (the clearing package as a whole
may import only the standard library and OR-Tools, with NumPy).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring
from typing import TextIO

from minga.core.clearing.solver import ClearingTable

SETOFF_COLUMNS = ("debtor", "creditor", "amount_cleared", "amount_remaining")
POSITION_COLUMNS = (
    "organization",
    "payable_before",
    "receivable_before",
    "payable_after",
    "receivable_after",
    "net",
)
ORGANIZATION_KEYS = POSITION_COLUMNS
SETOFF_KEYS = ("debtor", "creditor", "amount_before", "amount_cleared", "amount_remaining")

_CSV_SPECIAL = ',"\r\n'
# Rows formatted and written at a time: large enough that the per-block overhead
# vanishes, small enough that a block's strings stay a few megabytes.
BLOCK = 1 << 16


def _by_name(table: ClearingTable) -> list[int]:
    names = table.network.names
    return sorted(range(len(names)), key=names.__getitem__)


def _position_columns(table: ClearingTable, order: list[int]) -> list[list[int]]:
    """payable/receivable before/after and net, per organization in ``order``."""
    columns = [
        table.payable_before[order],
        table.receivable_before[order],
        table.payable_after[order],
        table.receivable_after[order],
    ]
    net = columns[1] - columns[0]
    return [column.tolist() for column in (*columns, net)]


def _blocks(count: int) -> Iterator[slice]:
    for start in range(0, count, BLOCK):
        yield slice(start, min(start + BLOCK, count))


def _write_rows(
    out: TextIO,
    separator: str,
    count: int,
    block_rows: Callable[[slice], Iterable[str]],
) -> None:
    """Write ``count`` rows, ``separator`` between them, a block of rows at a time."""
    for number, block in enumerate(_blocks(count)):
        if number:
            out.write(separator)
        out.write(separator.join(block_rows(block)))


def _object_template(keys: tuple[str, ...], pretty: bool) -> str:
    """A ``str.format`` template for one JSON object in a list, values left as ``{}``."""
    if pretty:
        members = ",\n".join(f'      "{key}": {{}}' for key in keys)
        return "    {{\n" + members + "\n    }}"
    return "{{" + ",".join(f'"{key}":{{}}' for key in keys) + "}}"


def write_json(table: ClearingTable, out: TextIO, *, pretty: bool = False) -> None:
    """The clearing as one JSON object (``percent_cleared`` is a decimal string)."""
    names = table.network.names
    quoted = list(map(encode_basestring, names))
    order = _by_name(table)
    positions = _position_columns(table, order)
    sorted_names = [quoted[node] for node in order]
    network = table.network

    def organizations(rows: slice) -> Iterable[str]:
        return map(
            _object_template(ORGANIZATION_KEYS, pretty).format,
            sorted_names[rows],
            *(column[rows] for column in positions),
        )

    def setoff(rows: slice) -> Iterable[str]:
        before = network.amounts[rows]
        remaining = table.remaining[rows]
        columns = zip(
            map(quoted.__getitem__, network.tails[rows].tolist()),
            map(quoted.__getitem__, network.heads[rows].tolist()),
            before.tolist(),
            (before - remaining).tolist(),
            remaining.tolist(),
            strict=True,
        )
        if pretty:
            template = _object_template(SETOFF_KEYS, pretty)
            return [template.format(*row) for row in columns]
        # The one output with a row per pair: an f-string is the fastest way to
        # format it (the same text as the template).
        return [
            f'{{"debtor":{debtor},"creditor":{creditor},"amount_before":{amount},'
            f'"amount_cleared":{cleared},"amount_remaining":{left}}}'
            for debtor, creditor, amount, cleared, left in columns
        ]

    head = {
        "units": '"minor"',
        "total_before": str(table.total_before),
        "total_after": str(table.total_after),
        "cleared": str(table.cleared),
        "percent_cleared": f'"{table.percent_cleared_text()}"',
    }
    lists: tuple[tuple[str, int, Callable[[slice], Iterable[str]]], ...] = (
        ("organizations", len(names), organizations),
        ("setoff", network.num_edges, setoff),
    )
    if pretty:
        out.write("{\n" + "".join(f'  "{key}": {value},\n' for key, value in head.items()))
        for number, (key, count, rows) in enumerate(lists):
            if count == 0:
                out.write(f'  "{key}": []')
            else:
                out.write(f'  "{key}": [\n')
                _write_rows(out, ",\n", count, rows)
                out.write("\n  ]")
            out.write(",\n" if number < len(lists) - 1 else "\n}")
    else:
        out.write("{" + "".join(f'"{key}":{value},' for key, value in head.items()))
        for number, (key, count, rows) in enumerate(lists):
            out.write(f'"{key}":[')
            _write_rows(out, ",", count, rows)
            out.write("]," if number < len(lists) - 1 else "]}")


def _csv_fields(values: Iterable[str]) -> list[str]:
    """Each value as the csv module writes it as a field (quoted only when needed)."""
    fields = list(values)
    # Only a delimiter, a quote or a line end can make the writer quote a field
    # (names are never empty); most networks have no such name at all.
    joined = "".join(fields)
    if not any(special in joined for special in _CSV_SPECIAL):
        return fields
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    for position, value in enumerate(fields):
        if any(special in value for special in _CSV_SPECIAL):
            writer.writerow((value,))
            fields[position] = buffer.getvalue()[:-1]
            buffer.seek(0)
            buffer.truncate()
    return fields


def _csv_header(columns: tuple[str, ...]) -> str:
    return ",".join(columns) + "\n"


def write_setoff_csv(table: ClearingTable, out: TextIO) -> None:
    """One row per debtor→creditor pair: how much was cleared and how much remains."""
    network = table.network
    fields = _csv_fields(network.names)

    def rows(block: slice) -> Iterable[str]:
        remaining = table.remaining[block]
        return [
            f"{debtor},{creditor},{cleared},{left}\n"
            for debtor, creditor, cleared, left in zip(
                map(fields.__getitem__, network.tails[block].tolist()),
                map(fields.__getitem__, network.heads[block].tolist()),
                (network.amounts[block] - remaining).tolist(),
                remaining.tolist(),
                strict=True,
            )
        ]

    out.write(_csv_header(SETOFF_COLUMNS))
    _write_rows(out, "", network.num_edges, rows)


def write_positions_csv(table: ClearingTable, out: TextIO) -> None:
    """One row per organization: payables and receivables before and after, and net."""
    order = _by_name(table)
    fields = _csv_fields(table.network.names[node] for node in order)
    positions = _position_columns(table, order)

    def rows(block: slice) -> Iterable[str]:
        return map(
            "{},{},{},{},{},{}\n".format,
            fields[block],
            *(column[block] for column in positions),
        )

    out.write(_csv_header(POSITION_COLUMNS))
    _write_rows(out, "", len(order), rows)


def format_report(table: ClearingTable) -> str:
    """A human-readable before/after table per organization, with totals."""
    headers = (
        "Organization",
        "Payable before",
        "Receivable before",
        "Payable after",
        "Receivable after",
        "Net",
    )
    order = _by_name(table)
    names = table.network.names
    positions = _position_columns(table, order)
    rows: list[tuple[str, ...]] = [
        (names[node], *map(str, values)) for node, *values in zip(order, *positions, strict=True)
    ]
    # Every debt is someone's payable and someone else's receivable, so both
    # columns total the network's debt and the nets total zero.
    totals = (
        "Total",
        str(table.total_before),
        str(table.total_before),
        str(table.total_after),
        str(table.total_after),
        "0",
    )
    widths = [
        max(len(row[column]) for row in [headers, *rows, totals]) for column in range(len(headers))
    ]

    def render(row: tuple[str, ...]) -> str:
        first = row[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * width for width in widths)
    network = table.network
    cleared_edges = int((table.remaining < network.amounts).sum())
    owing_edges = int((table.remaining > 0).sum())
    lines = [
        f"Multilateral clearing: {network.num_nodes} organizations, "
        f"{network.num_edges} debtor-creditor pairs (amounts in minor units)",
        "",
        render(headers),
        rule,
        *(render(row) for row in rows),
        rule,
        render(totals),
        "",
        f"Total debt before: {table.total_before}",
        f"Total debt after:  {table.total_after}",
        f"Cleared:           {table.cleared} ({table.percent_cleared_text()} %)",
        f"Pairs with debt cleared: {cleared_edges}; pairs still owing: {owing_edges}",
    ]
    return "\n".join(lines) + "\n"
