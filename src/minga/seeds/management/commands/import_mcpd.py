"""``minga import mcpd FILE --bank UUID``: accessions from an MCPD v2.1 CSV file, all or none.

The file is read as a stream, a chunk at a time, in one transaction."""

from pathlib import Path
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    no_translations,
)

from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM
from minga.seeds.mcpd import McpdFileError, csv_rows
from minga.seeds.models import SeedBank
from minga.seeds.services import accessions_import


class Command(BaseCommand):
    help = "Import accessions from an MCPD v2.1 CSV file; a bad row aborts the whole import."
    # The server's own checks (URLs, templates…) load every page's code and say nothing
    # about a file of accessions; `minga check` runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--bank", required=True, help="the seed bank's identifier (UUID)")

    @no_translations  # the command line speaks English, whatever the request language was
    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        bank = SeedBank.objects.filter(uuid=_uuid(options["bank"])).first()
        if bank is None:
            raise CommandError(f"--bank {options['bank']}: no such seed bank")
        try:
            with path.open("rb") as stream:
                created = accessions_import(actor=SYSTEM, bank=bank, rows=csv_rows(stream))
        except McpdFileError as error:
            raise CommandError(f"{path}: {error}. Nothing was imported.") from error
        except DomainError as error:
            reason = error.message.rstrip(".")
            raise CommandError(f"{path}: {reason}. Nothing was imported.") from error
        self.stdout.write(self.style.SUCCESS(f"{path}: {created} accessions imported."))


def _uuid(text: str) -> Any:
    import uuid

    try:
        return uuid.UUID(text)
    except ValueError:
        raise CommandError(f"--bank {text}: not an identifier") from None
