"""``minga export mcpd FILE --bank UUID [--full]``: a bank's accessions as MCPD v2.1 CSV.

Without ``--full`` the sensitive fields (exact coordinates) are left empty, as in every
public export; ``--full`` is for the bank's own backups and safety duplicates.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minga.seeds.mcpd import write_csv
from minga.seeds.models import SeedBank

from .import_mcpd import _uuid


class Command(BaseCommand):
    help = "Export a seed bank's accessions to an MCPD v2.1 CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--bank", required=True, help="the seed bank's identifier (UUID)")
        parser.add_argument("--full", action="store_true", help="include exact coordinates")

    def handle(self, *args: Any, **options: Any) -> None:
        bank = SeedBank.objects.filter(uuid=_uuid(options["bank"])).first()
        if bank is None:
            raise CommandError(f"--bank {options['bank']}: no such seed bank")
        path: Path = options["file"]
        accessions = bank.accessions.order_by("accenumb", "id").iterator(chunk_size=2000)
        temporary = path.with_name(path.name + ".part")
        with temporary.open("w", encoding="utf-8", newline="") as out:
            count = write_csv(accessions, out, full=options["full"])
        temporary.replace(path)
        self.stdout.write(self.style.SUCCESS(f"{path}: {count} accessions exported."))
