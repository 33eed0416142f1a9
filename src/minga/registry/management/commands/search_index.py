"""``minga search_index``: rebuild the organizations' search index from the database."""

from typing import Any

from django.core.management.base import BaseCommand

from minga.registry.search import rebuild_organization_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index of organizations."

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_organization_index()
        self.stdout.write(f"{count} organizations indexed.")
