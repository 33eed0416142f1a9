"""``minga assemblies_deadlines``: write down what deadlines have decided.

Open proposals past their amendment window move to debate, and meetings that have ended
get their quorum written down. Pages already read both right before this runs; running it
(from cron or a systemd timer, say every few minutes) makes it permanent. Running it twice
changes nothing more. ``--enqueue`` hands the work to the task worker instead.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from minga.assemblies import services
from minga.assemblies.tasks import close_amendment_windows, record_meeting_quorums


class Command(BaseCommand):
    help = "Move proposals past their amendment window to debate; record ended meetings' quorum."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the tasks for the worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            close_amendment_windows.enqueue()
            record_meeting_quorums.enqueue()
            self.stdout.write("Queued.")
            return
        moved = services.amendment_windows_close()
        recorded = services.meeting_quorums_record()
        self.stdout.write(f"{moved} proposal(s) moved to debate; {recorded} quorum(s) recorded.")
