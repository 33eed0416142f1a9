"""The column renderings of a clearing against the object renderings they replaced.

``reference_*`` below are the renderings as they were written before the command kept
its data in columns: a dict per row through ``json.dumps``, the csv module's writer
over :class:`ClearingResult` objects. The column writers must give the same bytes
(the pretty JSON, both CSV files, the text report) or the same JSON value (the
compact JSON), whatever the names and amounts.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minga.core.clearing import ClearingResult, Obligation, ObligationColumns, clear, report
from minga.core.clearing.model import Position
from minga.core.clearing.report import (
    format_report,
    write_json,
    write_positions_csv,
    write_setoff_csv,
)
from minga.core.clearing.solver import ClearingTable, clear_columns

# --- the renderings as they were ---------------------------------------------


def by_name(result: ClearingResult) -> list[Position]:
    return sorted(result.positions, key=lambda position: position.organization)


def reference_dict(result: ClearingResult) -> dict[str, object]:
    return {
        "units": "minor",
        "total_before": result.total_before,
        "total_after": result.total_after,
        "cleared": result.cleared,
        "percent_cleared": result.percent_cleared_text(),
        "organizations": [
            {
                "organization": p.organization,
                "payable_before": p.payable_before,
                "receivable_before": p.receivable_before,
                "payable_after": p.payable_after,
                "receivable_after": p.receivable_after,
                "net": p.net,
            }
            for p in by_name(result)
        ],
        "setoff": [
            {
                "debtor": e.debtor,
                "creditor": e.creditor,
                "amount_before": e.amount_before,
                "amount_cleared": e.amount_cleared,
                "amount_remaining": e.amount_remaining,
            }
            for e in result.setoff
        ],
    }


def reference_csv(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def reference_setoff_csv(result: ClearingResult) -> str:
    return reference_csv(
        ("debtor", "creditor", "amount_cleared", "amount_remaining"),
        [(e.debtor, e.creditor, e.amount_cleared, e.amount_remaining) for e in result.setoff],
    )


def reference_positions_csv(result: ClearingResult) -> str:
    return reference_csv(
        (
            "organization",
            "payable_before",
            "receivable_before",
            "payable_after",
            "receivable_after",
            "net",
        ),
        [
            (
                p.organization,
                p.payable_before,
                p.receivable_before,
                p.payable_after,
                p.receivable_after,
                p.net,
            )
            for p in by_name(result)
        ],
    )


def reference_report(result: ClearingResult) -> str:
    headers = (
        "Organization",
        "Payable before",
        "Receivable before",
        "Payable after",
        "Receivable after",
        "Net",
    )
    rows = [
        (
            p.organization,
            str(p.payable_before),
            str(p.receivable_before),
            str(p.payable_after),
            str(p.receivable_after),
            str(p.net),
        )
        for p in by_name(result)
    ]
    totals = (
        "Total",
        str(result.total_before),
        str(result.total_before),
        str(result.total_after),
        str(result.total_after),
        "0",
    )
    widths = [max(len(row[c]) for row in [headers, *rows, totals]) for c in range(6)]

    def render(row: tuple[str, ...]) -> str:
        rest = (cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        return "  ".join([row[0].ljust(widths[0]), *rest]).rstrip()

    rule = "  ".join("-" * width for width in widths)
    cleared = sum(1 for e in result.setoff if e.amount_cleared > 0)
    owing = sum(1 for e in result.setoff if e.amount_remaining > 0)
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
        f"Pairs with debt cleared: {cleared}; pairs still owing: {owing}",
    ]
    return "\n".join(lines) + "\n"


# --- the comparison ----------------------------------------------------------

# Names that need quoting or escaping in CSV or JSON, and some that sort oddly.
NAMES = st.sampled_from(
    ["A", "B", "b", "Café, Ltda.", 'say "hi"', "line\nbreak", "cr\rhere", "Ñandú", "😀", "\\", " "]
    + [f"org{k}" for k in range(6)]
)


@st.composite
def networks(draw: st.DrawFn) -> list[Obligation]:
    pairs = st.tuples(NAMES, NAMES).filter(lambda pair: pair[0] != pair[1])
    amounts = st.one_of(st.integers(1, 30), st.integers(1, 2**56))
    rows = draw(st.lists(st.tuples(pairs, amounts), max_size=30))
    return [Obligation(debtor, creditor, amount) for (debtor, creditor), amount in rows]


def written(write: Callable[..., None], table: ClearingTable, **options: bool) -> str:
    out = io.StringIO(newline="")
    write(table, out, **options)
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(networks())
def test_column_renderings_match_the_object_renderings(obligations: list[Obligation]) -> None:
    """JSON (compact and pretty), both CSV files and the text report say exactly what the
    renderings of the ClearingResult objects say."""
    result = clear(obligations)
    table = clear_columns(ObligationColumns.from_obligations(obligations))
    assert table.to_result() == result
    expected = reference_dict(result)
    compact = written(write_json, table)
    assert json.loads(compact) == expected
    assert "\n" not in compact.replace("\\n", ""), "compact: one line"
    pretty = written(write_json, table, pretty=True)
    assert pretty == json.dumps(expected, ensure_ascii=False, indent=2)
    assert written(write_setoff_csv, table) == reference_setoff_csv(result)
    assert written(write_positions_csv, table) == reference_positions_csv(result)
    assert format_report(table) == reference_report(result)


def test_rows_are_written_in_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outputs longer than one block of rows come out whole and in order."""
    monkeypatch.setattr(report, "BLOCK", 3)
    obligations = [Obligation(f"o{k}", f"o{(k + 1 + k % 3) % 11}", k + 1) for k in range(11)]
    result = clear(obligations)
    table = clear_columns(ObligationColumns.from_obligations(obligations))
    assert written(write_setoff_csv, table) == reference_setoff_csv(result)
    assert written(write_positions_csv, table) == reference_positions_csv(result)
    assert json.loads(written(write_json, table)) == reference_dict(result)
    pretty = written(write_json, table, pretty=True)
    assert pretty == json.dumps(reference_dict(result), ensure_ascii=False, indent=2)
