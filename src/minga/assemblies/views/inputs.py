"""Reading identifiers a page posts: what does not parse identifies nothing (404), as a
``<uuid:…>`` path converter would answer, instead of reaching the database and failing."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

from minga.common.forms import is_possible_id


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
    if not is_possible_id(value):
        raise Http404
    return int(str(value).strip())
