"""Reading identifiers from a request's query or form data, for the exchange's pages.

A value that cannot name anything (a malformed UUID, text with a NUL character, which
PostgreSQL refuses in any query) answers 404, as an unknown one does: never a server error.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.http import Http404

MAX_LENGTH = 200


def text(data: Mapping[str, Any], name: str, max_length: int = MAX_LENGTH) -> str:
    """The value as text ("" when absent); 404 for text no row can hold."""
    value = data.get(name, "")
    if not isinstance(value, str) or "\x00" in value or len(value) > max_length:
        raise Http404
    return value


def uuid_or_none(data: Mapping[str, Any], name: str) -> uuid.UUID | None:
    """The value as a UUID (None when absent or empty); 404 when it is not one."""
    value = text(data, name).strip()
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None
