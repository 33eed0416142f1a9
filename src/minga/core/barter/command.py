"""``minga barter FILE [--json]``: solve a math-trade want-list file and print the cycles.

Text output lists each cycle as hand-overs, then the number of items traded,
the participants served and the items that do not trade; warnings go to
stderr. ``--json`` prints one JSON object instead. Bad input: a message naming
the line on stderr and exit code 2.

Start-up is most of the time on real want lists, so this module and the reader
import only what a run needs (no pathlib, no typing; NumPy only for large
instances, see :mod:`.solver`); ``python -X importtime`` shows what is left.

May import: the standard library and this package.
"""

from __future__ import annotations

import argparse
import json
import sys

from minga.core.barter.model import BarterResult
from minga.core.barter.solver import solve_table
from minga.core.barter.wantlist import ParsedWantlist, WantlistError, parse_wantlist

PROG = "minga barter"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Find the exchange cycles that trade the most items, then give the lowest "
            "total preference rank, for a math-trade want-list file."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="want-list file")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _read(path: str) -> str:
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Old math-trade files are often Latin-1; every byte sequence decodes.
        return data.decode("latin-1")


def _as_json(parsed: ParsedWantlist, result: BarterResult) -> dict[str, object]:
    return {
        "items_traded": result.items_traded,
        "total_items": result.total_items,
        "cycles": [list(cycle) for cycle in result.cycles],
        "participants_served": list(result.participants_served),
        "non_trading_items": list(result.non_trading_items),
        "total_rank": result.total_rank,
        "trades": [
            {
                "item": trade.item,
                "giver": trade.giver,
                "receiver": trade.receiver,
                "in_exchange_for": trade.in_exchange_for,
                "rank": trade.rank,
            }
            for trade in result.trades
        ],
        "warnings": list(parsed.warnings),
        "ignored_options": list(parsed.ignored_options),
    }


def _as_text(parsed: ParsedWantlist, result: BarterResult) -> str:
    lines: list[str] = []
    trades = iter(result.trades)
    for number, cycle in enumerate(result.cycles, start=1):
        lines.append(f"Cycle {number} ({len(cycle)} items):")
        for _ in cycle:
            trade = next(trades)
            if parsed.has_usernames:
                hand_over = f"({trade.giver}) {trade.item} -> ({trade.receiver}) for"
            else:
                hand_over = f"{trade.item} -> owner of"
            lines.append(f"  {hand_over} {trade.in_exchange_for}  [rank {trade.rank}]")
    served = result.participants_served
    lines.append("")
    lines.append(f"Items traded: {result.items_traded} of {result.total_items}")
    lines.append(f"Total rank: {result.total_rank}")
    if parsed.has_usernames:
        lines.append(f"Participants served: {len(served)}: {' '.join(served)}")
    else:
        lines.append(f"Participants served: {len(served)} (no usernames: one per item)")
    lines.append(f"Items that do not trade: {len(result.non_trading_items)}")
    lines.extend(f"  {name}" for name in result.non_trading_items)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run ``minga barter``; return the exit code (0 fine, 2 bad input or usage)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse exits on usage errors and --help
        return stop.code if isinstance(stop.code, int) else 2
    path: str = args.file
    try:
        text = _read(path)
    except OSError as error:
        print(f"{PROG}: cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return 2
    try:
        parsed = parse_wantlist(text)
    except WantlistError as error:
        print(f"{PROG}: {path}: {error}", file=sys.stderr)
        return 2
    result = solve_table(parsed.table)
    for warning in parsed.warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    if parsed.ignored_options:
        ignored = " ".join(parsed.ignored_options)
        print(f"{PROG}: note: options without effect here: {ignored}", file=sys.stderr)
    if args.json:
        print(json.dumps(_as_json(parsed, result), ensure_ascii=False))
    else:
        print(_as_text(parsed, result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
