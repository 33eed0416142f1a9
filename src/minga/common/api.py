"""Pieces every app's API uses: the error shape, who is calling, and refusals with a field.

Errors answer ``{"detail": message, "field": name-or-null}`` (see ``minga/api.py``'s
handlers); a service's refusal carries the field at fault, and :func:`refused` keeps it.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.http import HttpRequest
from ninja import Schema
from ninja.errors import HttpError


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class FieldError(HttpError):
    """An HTTP error that names the input at fault."""

    def __init__(self, status_code: int, message: str, field: str | None = None) -> None:
        super().__init__(status_code, message)
        self.field = field


class DomainRefusal(Protocol):
    message: str
    field: str | None


def caller(request: HttpRequest) -> Any:
    """The user behind the request (anonymous callers read what is public)."""
    return request.auth  # type: ignore[attr-defined]


def signed_in(request: HttpRequest) -> Any:
    user = caller(request)
    if not user.is_authenticated:
        raise FieldError(401, "Sign in or send a personal access token.")
    return user


def refused(error: DomainRefusal, status_code: int = 422) -> FieldError:
    return FieldError(status_code, error.message, error.field)
