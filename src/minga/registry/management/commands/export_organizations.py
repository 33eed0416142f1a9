"""``minga export organizations FILE``: write organizations as CSV or JSON."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from minga.common.models import Visibility
from minga.registry.models import Organization
from minga.registry.organization_files import export_rows, write_csv, write_json


class Command(BaseCommand):
    help = "Export organizations as CSV or JSON (by the file's extension, or --format)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to write, or - for standard output.")
        parser.add_argument("--format", choices=["csv", "json"])
        parser.add_argument(
            "--include-restricted",
            action="store_true",
            help="Also export organizations that are not public (for backups; handle with care).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["file"]
        file_format = options["format"] or ("json" if str(target).endswith(".json") else "csv")
        organizations = Organization.objects.all()
        if not options["include_restricted"]:
            organizations = organizations.filter(visibility=Visibility.PUBLIC)
        writer = write_json if file_format == "json" else write_csv
        if target == "-":
            count = writer(export_rows(organizations), sys.stdout)
        else:
            path = Path(target)
            temporary = path.with_suffix(path.suffix + ".part")
            with temporary.open("w", encoding="utf-8", newline="") as stream:
                count = writer(export_rows(organizations), stream)
            temporary.replace(path)
        self.stderr.write(f"{count} organizations exported.")
