"""The server refuses to start without a key for the legal cases (a Django system check:
``runserver``, ``migrate``, ``check --deploy`` and the WSGI start-up in ``minga.wsgi``
stop on it, with the message saying what to do)."""

from __future__ import annotations

from typing import Any

from django.core import checks

from . import sealing


@checks.register(checks.Tags.security)
def cases_key_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        sealing.configured_keyring()
    except sealing.KeyNotConfiguredError as problem:
        return [
            checks.Error(
                f"The solidarity funds' legal cases cannot be encrypted: {problem}",
                hint="Set MINGA_CASES_KEY_FILE (a file outside MINGA_DATA_DIR) or "
                "MINGA_CASES_KEYS; `minga cases new-key` writes a new key line.",
                id="funds.E001",
            )
        ]
    return []
