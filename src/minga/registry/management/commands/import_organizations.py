"""``minga import organizations FILE``: create or update organizations from CSV or JSON."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from minga.common.permissions import SYSTEM
from minga.registry.organization_files import ImportFileError, parse_file
from minga.registry.services import ImportRowError, organizations_import


class Command(BaseCommand):
    help = "Import organizations from a CSV or JSON file; a bad row aborts the whole import."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            records = parse_file(path.name, path.read_bytes())
            with tqdm(
                total=len(records),
                unit="org",
                disable=options["no_progress"],
                file=self.stderr._out,
            ) as bar:
                result = organizations_import(
                    actor=SYSTEM, records=[(r.line, r.data) for r in records], progress=bar.update
                )
        except (ImportFileError, ImportRowError) as error:
            raise CommandError(f"{path}: {error}. Nothing was imported.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{path}: {result.created} organizations created, {result.updated} updated."
            )
        )
