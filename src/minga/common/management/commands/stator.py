"""``minga stator``: the worker that brings stateful objects to their next state.

Runs beside ``minga db_worker`` (django-tasks). It wakes when the next object is due (or every
few seconds for new ones), advances what is due, and stops cleanly on SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from minga.common.stator import next_due, run_once, run_sweeps

IDLE_SECONDS = 5.0


class Command(BaseCommand):
    help = (
        "Advance objects whose background work is due, and run the apps' sweeps "
        "(reservations past their timeout, reminders, deadlines)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument(
            "--threads",
            type=int,
            default=int(getattr(settings, "STATOR_THREADS", 1)),
            help="Objects advanced at once (deliveries wait on the network).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(_signal: int, _frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        last_sweeps: dict[str, Any] = {}
        while True:
            handled = run_once(threads=max(1, options["threads"])) + run_sweeps(last_sweeps)
            if options["once"]:
                self.stdout.write(f"{handled} objects advanced.")
                return
            following = next_due()
            wait = IDLE_SECONDS
            if following is not None:
                wait = min(IDLE_SECONDS, max(0.0, (following - timezone.now()).total_seconds()))
            deadline = time.monotonic() + (wait if handled == 0 else 0)
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.2, deadline - time.monotonic()))
            if stopping:
                return
