"""``minga assemblies_reminders``: email reminders for follow-up results coming due.

Run it daily (cron, a systemd timer). Running it twice sends nothing more: each result is
reminded once per due date. ``--enqueue`` hands the work to the task worker instead.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minga.assemblies import services
from minga.assemblies.tasks import send_result_reminders


class Command(BaseCommand):
    help = "Email the responsible organizations about results due within their reminder window."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Act as if today were this day (YYYY-MM-DD).")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the task for the worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            if options["date"]:
                raise CommandError("--date cannot be used with --enqueue.")
            send_result_reminders.enqueue()
            self.stdout.write("Queued.")
            return
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("Give the date as YYYY-MM-DD.") from error
        sent = services.result_reminders_send(today=today)
        self.stdout.write(f"{sent} result(s) reminded.")
