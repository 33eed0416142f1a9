"""``minga reindex [--index NAME] [--missing]``: rebuild the search indexes from the database.

Every index an app registers (``common.search.register_index``): the organizations, the
offers and needs, the library … Each is built beside the current one and put in its place
when complete, so searching goes on meanwhile; a progress bar shows how far it is.
``--missing`` builds only the indexes that were never built or were built by a version
whose documents differ (``make run`` and upgrades run it).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minga.common.search import get_index, registered_indexes


class Command(BaseCommand):
    help = "Rebuild the full-text search indexes (all, or the one named) from the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--index", action="append", help="Only this index (repeatable).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Only indexes never built, or built by a version whose documents differ.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        indexes = registered_indexes()
        wanted = options["index"] or list(indexes)
        unknown = sorted(set(wanted) - set(indexes))
        if unknown:
            raise CommandError(
                f"unknown index {', '.join(unknown)}; known: {', '.join(sorted(indexes))}"
            )
        if options["missing"]:
            wanted = [name for name in wanted if not get_index(name).readable()]
        for name in wanted:
            progress = None
            if not options["no_progress"]:
                from tqdm import tqdm

                def progress(documents: Any, total: int | None = None, name: str = name) -> Any:
                    return tqdm(documents, total=total, desc=name, unit=" documents")

            count = indexes[name](progress=progress)
            self.stdout.write(f"{name}: {count} documents indexed.")
