"""``minga demo``: load the demonstration federation into an empty registry."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from minga.common.demo import demo_loaders
from minga.registry.demo import load_demo
from minga.registry.search import rebuild_organization_index


class Command(BaseCommand):
    help = "Load a deterministic demonstration federation (invented data) into an empty registry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organizations", type=int, default=10_000, help="How many in all.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if data exists.")

    def handle(self, *args: Any, **options: Any) -> None:
        from minga.registry.models import Organization

        if options["if_empty"] and Organization.objects.exists():
            self.stdout.write("The registry has data already; the demo was not loaded.")
            return
        try:
            summary = load_demo(total_organizations=options["organizations"], seed=options["seed"])
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        indexed = rebuild_organization_index()
        others = [loader(options["seed"]) for _name, loader in demo_loaders()]
        # Fresh statistics, after every loader, let the query planner pick the right indexes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {summary.organizations} organizations ({summary.communes} communes, "
                f"{summary.councils} communal councils, {summary.others} others) in "
                f"{summary.countries} countries; {summary.people} people, {summary.roles} roles, "
                f"{summary.pending_requests} pending join requests; {indexed} indexed."
            )
        )
        for line in others:
            self.stdout.write(self.style.SUCCESS(line))
