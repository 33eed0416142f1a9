"""Small helpers every write of the assemblies shares."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common.errors import DomainError


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _fraction(text: str, field_name: str) -> tuple[int, int]:
    try:
        value = Fraction(str(text))
    except (ValueError, ZeroDivisionError) as error:
        raise DomainError(
            _("Write a share such as 1/2 or 2/3."), field_name, code="share_unreadable"
        ) from error
    if not 0 <= value <= 1:
        raise DomainError(_("A share lies between 0 and 1."), field_name, code="share_out_of_range")
    return value.numerator, value.denominator


def _storable(text: str, field_name: str) -> str:
    """Free text as given, unless it holds what no database column stores (NUL)."""
    if "\x00" in text:
        raise DomainError(
            _("This text contains a NUL character, which cannot be stored."),
            field_name,
            code="text_contains_nul",
        )
    return text


# What a guarded write's rule is checked against, when it is not the argument itself.


def _body_of(thing: Any) -> Any:
    return thing.body


def _meeting_of(thing: Any) -> Any:
    return thing.meeting


def _result_of(thing: Any) -> Any:
    return thing.result


def _declaration_of(thing: Any) -> Any:
    return thing.declaration


def _as_stored(thing: Any) -> Any:
    """The row as it is now: a rule about a field that changes (a table's rapporteur) is
    checked against the database, not against a copy the caller read earlier."""
    return type(thing)._default_manager.get(pk=thing.pk)
