"""Pieces every app's API uses: the error shape, who is calling, refusals with a field.

Errors answer ``{"detail": message, "field": name-or-null, "code": stable-code}`` (see
``minga/api.py``'s handlers). Services raise ``minga.common.errors.DomainError``, which the
API turns into that shape with no code of its own in each endpoint.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError


class ErrorOut(Schema):
    detail: str
    field: str | None = None
    code: str


class FieldError(HttpError):
    """An HTTP error that names the input at fault and a stable code."""

    def __init__(
        self, status_code: int, message: str, field: str | None = None, *, code: str
    ) -> None:
        super().__init__(status_code, message)
        self.field = field
        self.code = code


def caller(request: HttpRequest) -> Any:
    """The user behind the request (anonymous callers read what is public)."""
    return request.auth  # type: ignore[attr-defined]


def signed_in(request: HttpRequest) -> Any:
    user = caller(request)
    if not user.is_authenticated:
        raise FieldError(
            401, _("Sign in or send a personal access token."), code="not_authenticated"
        )
    return user
