"""Pieces every app's API uses: the error shape, who is calling, refusals with a field.

Errors answer ``{"detail": message, "field": name-or-null, "code": stable-code}`` (see
``minga/api.py``'s handlers). Services raise ``minga.common.errors.DomainError``, which the
API turns into that shape with no code of its own in each endpoint.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination


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


# A page number past any list the database could hold; ninja clamps the page size to
# NINJA_MAX_PER_PAGE_SIZE, so the largest offset stays far below 2**63.
MAX_PAGE = 10**9


class Pages(PageNumberPagination):
    """Ninja's page numbers, bounded: every list of the API pages with this, so a page
    number whose offset would overflow the database's 64-bit integer is a 422, not a 500."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)
