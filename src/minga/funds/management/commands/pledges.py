"""``minga pledges remind [--date YYYY-MM-DD] [--enqueue]``: email the contributors of
pledges with an instalment due within three days or overdue, in their language, with a link
to the pledge; once per instalment, so it is safe to run daily (or twice)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minga.funds import services
from minga.funds.tasks import remind_pledges


class Command(BaseCommand):
    help = "Reminders of the solidarity funds' pledges."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        remind = commands.add_parser("remind", help="Remind contributors of payments due.")
        remind.add_argument("--date", help="Act as if today were this day (YYYY-MM-DD).")
        remind.add_argument("--enqueue", action="store_true", help="Queue it for the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            if options["date"]:
                raise CommandError("--date cannot be used with --enqueue.")
            remind_pledges.enqueue()
            self.stdout.write("Queued.")
            return
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("Give the date as YYYY-MM-DD.") from error
        count = services.pledges_remind(today=today)
        self.stdout.write(f"{count} reminder(s) sent.")
