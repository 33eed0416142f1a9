"""The ``minga`` command: Django's management commands plus the project's own.

``minga demo``, ``minga import organizations FILE``, ``minga export organizations FILE`` …
are management commands; ``minga tally``, ``minga barter``, ``minga clearing``,
``minga viability`` and ``minga certificate verify … --public-key KEY`` run the pure cores
directly, without loading Django.
"""

from __future__ import annotations

import importlib
import os
import sys

# Commands that run a pure core: no settings, no database.
CORE_COMMANDS = {
    "tally": "minga.core.tally.command",
    "barter": "minga.core.barter.command",
    "clearing": "minga.core.clearing.command",
    "viability": "minga.core.viability.command",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    # `minga certificate verify … --public-key KEY` checks offline, without the server; without
    # a key it is the server's command, which also knows whether a certificate was revoked.
    if args and args[0] == "certificate" and any(a.startswith("--public-key") for a in args):
        module = importlib.import_module("minga.core.education.command")
        return int(module.main(args[1:]))
    if args and args[0] in CORE_COMMANDS:
        module = importlib.import_module(CORE_COMMANDS[args[0]])
        return int(module.main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minga.settings.production")
    from django.core.management import execute_from_command_line

    # `minga import organizations FILE` reads better than `minga import_organizations FILE`.
    if len(args) >= 2 and args[0] in {"import", "export"}:
        args = [f"{args[0]}_{args[1]}", *args[2:]]
    execute_from_command_line(["minga", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
