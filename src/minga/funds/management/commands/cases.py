"""``minga cases``: the operator's commands for the legal cases' keys and reminders.

- ``minga cases new-key``: print a new master key line (``id:key``) for a key file or
  ``MINGA_CASES_KEYS``.
- ``minga cases rotate-key``: with a key file, write a new master key first in it (the old
  keys stay until the end), re-encrypt every case under a fresh data key wrapped by it in
  one transaction, then drop the old keys from the file. With ``MINGA_CASES_KEYS``, put the
  new key first yourself, run it, then remove the old ones. Nothing is lost: a failure
  re-encrypts nothing and the file still holds every key.
- ``minga cases remind [--date YYYY-MM-DD] [--enqueue]``: email the teams of cases with a
  hearing or deadline in the next week (once per date; the email names nothing).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from minga.funds import sealing, services
from minga.funds.models import LegalCase
from minga.funds.tasks import remind_case_dates


class Command(BaseCommand):
    help = "Keys and reminders of the solidarity funds' legal cases."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("new-key", help="Print a new master key line.")
        commands.add_parser("rotate-key", help="Re-encrypt every case under a new key.")
        remind = commands.add_parser("remind", help="Remind teams of coming dates.")
        remind.add_argument("--date", help="Act as if today were this day (YYYY-MM-DD).")
        remind.add_argument("--enqueue", action="store_true", help="Queue it for the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["command"]
        if command == "new-key":
            self.stdout.write(sealing.new_key_line())
        elif command == "rotate-key":
            self._rotate()
        else:
            self._remind(options)

    def _rotate(self) -> None:
        try:
            keyring = sealing.configured_keyring()
        except sealing.KeyNotConfiguredError as problem:
            raise CommandError(str(problem)) from None
        path = sealing.key_file()
        if settings.CASES_KEYS or path is None:
            count = services.cases_rekey(keyring=keyring)
            self.stdout.write(
                f"{count} case(s) re-encrypted under the key {keyring.current[0]}. "
                "Remove the other keys from MINGA_CASES_KEYS now."
            )
            return
        rotated = sealing.parse_keyring(sealing.new_key_line() + "\n" + keyring.lines())
        sealing.write_key_file(path, rotated)
        try:
            count = services.cases_rekey(keyring=rotated)
        except sealing.SealBrokenError as problem:
            raise CommandError(
                f"Nothing was re-encrypted ({problem}); {path} holds the new key and the old ones."
            ) from None
        new_id = rotated.current[0]
        if LegalCase.objects.exclude(key_id=new_id).exists():
            raise CommandError(f"Some cases are not under {new_id}; {path} keeps every key.")
        sealing.write_key_file(path, sealing.Keyring((rotated.current,)))
        retired = ", ".join(key_id for key_id, _key in keyring.keys)
        self.stdout.write(
            f"{count} case(s) re-encrypted under the new key {new_id}; {path} holds only it. "
            f"Retired: {retired} (backups made before today need them)."
        )

    def _remind(self, options: dict[str, Any]) -> None:
        if options["enqueue"]:
            if options["date"]:
                raise CommandError("--date cannot be used with --enqueue.")
            remind_case_dates.enqueue()
            self.stdout.write("Queued.")
            return
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("Give the date as YYYY-MM-DD.") from error
        count = services.case_dates_remind(today=today)
        self.stdout.write(f"{count} date(s) reminded.")
