"""Pieces the exchange's API modules share: text the database can hold."""

from typing import Any

from django.utils.translation import gettext as _

from minga.common.api import FieldError
from minga.registry.selectors import visible_organizations

# Text the database can hold: PostgreSQL refuses NUL characters in any string (checked by
# pydantic's own regular expressions, so it costs nothing per transfer in Python).
NO_NUL = r"^[^\x00]*$"


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
