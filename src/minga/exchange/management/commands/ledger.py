"""``minga ledger verify [FILE]``, ``minga ledger export FILE``, ``minga ledger expire``."""

from __future__ import annotations

import base64
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minga.exchange import journal
from minga.exchange.services import reservations_expire_due


class Command(BaseCommand):
    help = "Check, export or maintain the mutual-credit ledger."

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
        export = sub.add_parser("export", help="Write the journal with hashes and signatures.")
        export.add_argument("file", help="Path to write, or - for standard output.")
        sub.add_parser("expire", help="Release reservations past their timeout.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "export":
            self._export(options["file"])
        elif action == "expire":
            self.stdout.write(f"{reservations_expire_due()} reservations expired.")
        else:
            self._verify(options.get("file"), options.get("public_key"))

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

    def _verify(self, path: Path | None, public_key: str | None) -> None:
        try:
            if path is None:
                report = journal.verify_database()
            else:
                trusted = base64.b64decode(public_key) if public_key else None
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
