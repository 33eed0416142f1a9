"""Renderings of a clearing result: a JSON-ready dict, CSV tables and a text report.

Organizations are listed by name so that the outputs do not depend on the input
order; set-off rows keep the order in which each debtor→creditor pair first
appeared in the input, so they can be read side by side with it. All amounts are
integers in the input's minor units.

This module may import only the standard library (the clearing package as a whole
may import only the standard library and OR-Tools).
"""

from __future__ import annotations

import csv
import io

from minga.core.clearing.model import ClearingResult, Position

SETOFF_COLUMNS = ("debtor", "creditor", "amount_cleared", "amount_remaining")
POSITION_COLUMNS = (
    "organization",
    "payable_before",
    "receivable_before",
    "payable_after",
    "receivable_after",
    "net",
)


def _sorted_positions(result: ClearingResult) -> list[Position]:
    return sorted(result.positions, key=lambda position: position.organization)


def result_to_dict(result: ClearingResult) -> dict[str, object]:
    """The result as plain JSON types (``percent_cleared`` is a decimal string)."""
    return {
        "units": "minor",
        "total_before": result.total_before,
        "total_after": result.total_after,
        "cleared": result.cleared,
        "percent_cleared": result.percent_cleared_text(),
        "organizations": [
            {
                "organization": position.organization,
                "payable_before": position.payable_before,
                "receivable_before": position.receivable_before,
                "payable_after": position.payable_after,
                "receivable_after": position.receivable_after,
                "net": position.net,
            }
            for position in _sorted_positions(result)
        ],
        "setoff": [
            {
                "debtor": edge.debtor,
                "creditor": edge.creditor,
                "amount_before": edge.amount_before,
                "amount_cleared": edge.amount_cleared,
                "amount_remaining": edge.amount_remaining,
            }
            for edge in result.setoff
        ],
    }


def setoff_csv(result: ClearingResult) -> str:
    """One row per debtor→creditor pair: how much was cleared and how much remains."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SETOFF_COLUMNS)
    writer.writerows(
        (edge.debtor, edge.creditor, edge.amount_cleared, edge.amount_remaining)
        for edge in result.setoff
    )
    return buffer.getvalue()


def positions_csv(result: ClearingResult) -> str:
    """One row per organization: payables and receivables before and after, and net."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(POSITION_COLUMNS)
    writer.writerows(
        (
            position.organization,
            position.payable_before,
            position.receivable_before,
            position.payable_after,
            position.receivable_after,
            position.net,
        )
        for position in _sorted_positions(result)
    )
    return buffer.getvalue()


def format_report(result: ClearingResult) -> str:
    """A human-readable before/after table per organization, with totals."""
    headers = (
        "Organization",
        "Payable before",
        "Receivable before",
        "Payable after",
        "Receivable after",
        "Net",
    )
    rows: list[tuple[str, ...]] = [
        (
            position.organization,
            str(position.payable_before),
            str(position.receivable_before),
            str(position.payable_after),
            str(position.receivable_after),
            str(position.net),
        )
        for position in _sorted_positions(result)
    ]
    # Every debt is someone's payable and someone else's receivable, so both
    # columns total the network's debt and the nets total zero.
    totals = (
        "Total",
        str(result.total_before),
        str(result.total_before),
        str(result.total_after),
        str(result.total_after),
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
    cleared_edges = sum(1 for edge in result.setoff if edge.amount_cleared > 0)
    lines = [
        f"Multilateral clearing: {len(result.positions)} organizations, "
        f"{len(result.setoff)} debtor-creditor pairs (amounts in minor units)",
        "",
        render(headers),
        rule,
        *(render(row) for row in rows),
        rule,
        render(totals),
        "",
        f"Total debt before: {result.total_before}",
        f"Total debt after:  {result.total_after}",
        f"Cleared:           {result.cleared} ({result.percent_cleared_text()} %)",
        f"Pairs with debt cleared: {cleared_edges}; "
        f"pairs still owing: {sum(1 for edge in result.setoff if edge.amount_remaining > 0)}",
    ]
    return "\n".join(lines) + "\n"
