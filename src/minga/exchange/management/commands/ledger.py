"""``minga ledger verify [FILE]``, ``minga ledger export FILE``, ``minga ledger expire``."""

from __future__ import annotations

import argparse
import base64
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minga.common import signing
from minga.exchange import journal
from minga.exchange.services import reservations_expire_due


class Command(BaseCommand):
    help = "Check, export or maintain the mutual-credit ledger."
    # Django's system checks import every URL and API schema of the site (about 2.5 s of
    # CPU, a quarter of verifying a million entries); none of these actions serves a page,
    # and ``minga check`` still runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Recompute chain, signatures and balances.")
        verify.add_argument(
            "file",
            nargs="?",
            type=Path,
            help="An exported journal (default: this server's database).",
        )
        verify.add_argument(
            "--public-key", help="Base64 Ed25519 key the blocks must be signed with."
        )
        verify.add_argument(
            "--workers",
            type=_positive,
            default=journal.default_workers(),
            help=(
                "Processes that check this server's journal side by side, each a range of "
                "it (default: this machine's cores, at most "
                f"{journal.MOST_WORKERS}; 1 checks it in this process alone)."
            ),
        )
        export = sub.add_parser("export", help="Write the journal with hashes and signatures.")
        export.add_argument("file", help="Path to write, or - for standard output.")
        sub.add_parser("expire", help="Release reservations past their timeout.")
        sub.add_parser(
            "rotate-key", help="Sign new blocks with a new key; old blocks keep verifying."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "export":
            self._export(options["file"])
        elif action == "rotate-key":
            old_id, new_id = signing.rotate()
            self.stdout.write(
                f"Key {old_id[:16]}… retired; new blocks are signed by {new_id[:16]}…."
            )
        elif action == "expire":
            self.stdout.write(f"{reservations_expire_due()} reservations expired.")
        else:
            self._verify(
                options.get("file"), options.get("public_key"), options.get("workers") or 1
            )

    def _export(self, target: str) -> None:
        if target == "-":
            count = journal.export(sys.stdout)
        else:
            path = Path(target)
            temporary = path.with_suffix(path.suffix + ".part")
            with temporary.open("w", encoding="utf-8") as stream:
                count = journal.export(stream)
            temporary.replace(path)
        self.stderr.write(f"{count} journal entries exported.")

    def _verify(self, path: Path | None, public_key: list[str] | str | None, workers: int) -> None:
        try:
            if path is None:
                report = journal.verify_database(workers=workers)
            else:
                # Repeated --public-key options, each possibly a comma-separated list.
                values = [public_key] if isinstance(public_key, str) else public_key or []
                named = [key for value in values for key in value.split(",") if key.strip()]
                trusted = [base64.b64decode(key) for key in named] or None
                report = journal.verify_file(path, trusted)
        except journal.JournalFileError as error:
            raise CommandError(str(error)) from error
        summary = (
            f"{report.entries} entries, {report.blocks} signed blocks, {report.accounts} accounts"
        )
        if not report.ok:
            raise CommandError(f"NOT VERIFIED ({summary}): {report.first_discrepancy}")
        self.stdout.write(
            self.style.SUCCESS(f"Verified: {summary}; chain, signatures and balances agree.")
        )


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {text!r}")
    return number
