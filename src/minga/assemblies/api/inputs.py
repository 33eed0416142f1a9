"""What every input of the assemblies' API shares, so no value reaches the database that it
cannot store or use: text without NUL characters or lone surrogates (PostgreSQL refuses
both). Refused input is a 422 naming the field."""

from __future__ import annotations

from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import model_validator

Text = Annotated[str, Field(pattern=r"^[^\x00]*$", max_length=200)]
"""A short text in a query or a path (a slug, a status): no NUL character."""


def storable(value: Any) -> Any:
    """The value unchanged, or a ValueError naming what no database column can hold."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(_("Text may not contain the NUL character."))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(_("Text must be valid Unicode (no lone surrogates).")) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            storable(key)
            storable(item)
    elif isinstance(value, list | tuple):
        for item in value:
            storable(item)
    return value


class Input(Schema):
    """The base of every request body: all its text, at any depth, must be storable."""

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        return storable(data)
