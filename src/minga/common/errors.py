"""The one refusal every service raises: a message people read, the input at fault, a code.

Services of every app raise :class:`DomainError` when their rules refuse a request. Pages
show ``message`` beside ``field``; the API answers ``{"detail", "field", "code"}`` with
``status`` (one handler in ``minga/api.py``). ``code`` is stable, for programs: a client may
branch on ``"exceeds_credit_limit"`` while the message changes or is translated.
``message`` is already translated in the language active when the service ran.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


class DomainError(Exception):
    """A request a domain's rules refuse; nothing was written.

    ``status`` is the HTTP status an API answers with: 422 for input that breaks a rule,
    409 for a request that conflicts with the current state of an object.
    """

    def __init__(
        self, message: str, field: str | None = None, *, code: str, status: int = 422
    ) -> None:
        if not _CODE.match(code):
            raise ValueError(f"Error codes are snake_case identifiers, not {code!r}.")
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.code = code
        self.status = status

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, field={self.field!r})"
