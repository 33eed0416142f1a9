"""Permission rules of people's accounts (see ``minga.common.permissions``)."""

from __future__ import annotations

from typing import Any

from minga.common.permissions import rule


@rule("people.account.manage")
def can_manage_account(user: Any, person: Any) -> bool:
    """Preferences and access tokens are their owner's alone."""
    return bool(getattr(user, "is_authenticated", False)) and user.pk == person.pk
