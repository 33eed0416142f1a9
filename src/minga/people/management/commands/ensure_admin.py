"""``minga ensure_admin``: create the first administrator once and print its login once."""

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from minga.people.models import User
from minga.people.services import user_create


class Command(BaseCommand):
    help = "Create an administrator if none exists, and print its login (only that once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(is_superuser=True).exists():
            return
        password = secrets.token_urlsafe(12)
        user_create(
            username=options["username"],
            password=password,
            display_name="Administrator",
            is_staff=True,
            is_superuser=True,
            validate=False,  # a random 16-character secret, not a human's choice
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  Administrator created. Sign in at /accounts/login/ with\n"
                f"    username: {options['username']}\n    password: {password}\n"
                "  This is shown only now. You will be asked to set up two-factor authentication.\n"
            )
        )
