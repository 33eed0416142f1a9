"""Reading identifiers a page posts: what does not parse identifies nothing (404), as a
``<uuid:…>`` path converter would answer, instead of reaching the database and failing."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

MAX_ID = 2**63 - 1
"""The largest key a database row may have (SQLite and PostgreSQL's bigint)."""


def uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value).strip())
    except (TypeError, ValueError):
        raise Http404 from None


def optional_uuid(value: Any) -> uuid.UUID | None:
    """``None`` for an empty field; otherwise the identifier, or 404."""
    if value is None or not str(value).strip():
        return None
    return uuid_or_404(value)


def id_or_404(value: Any) -> int:
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 19) or not 0 < int(text) <= MAX_ID:
        raise Http404
    return int(text)
