"""Pieces the exchange's API modules share: text the database can hold, bounded pages."""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

from minga.common.api import FieldError
from minga.registry.selectors import visible_organizations

# Text the database can hold: PostgreSQL refuses NUL characters in any string (checked by
# pydantic's own regular expressions, so it costs nothing per transfer in Python).
NO_NUL = r"^[^\x00]*$"


class Pages(PageNumberPagination):
    """Ninja's page numbers, bounded: a page number so large that its offset overflows a
    64-bit integer is a 422, not a database error."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=10**9)
        page_size: int | None = Field(None, ge=1, le=10**3)


def organization_named(user: Any, slug: str, field: str) -> Any:
    """An organization the caller may see, by its short code; any other answers as if it
    did not exist (422 naming the field)."""
    organization = visible_organizations(user).filter(slug=slug).first()
    if organization is None:
        raise FieldError(
            422,
            _("No organization %(slug)s.") % {"slug": repr(slug)},
            field,
            code="unknown_organization",
        )
    return organization
