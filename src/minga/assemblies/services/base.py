"""What every write of the assemblies shares: the refusal and small helpers."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext as _


class AssemblyError(Exception):
    """A request the assemblies' rules refuse; ``field`` names the input at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _fraction(text: str, field_name: str) -> tuple[int, int]:
    try:
        value = Fraction(str(text))
    except (ValueError, ZeroDivisionError) as error:
        raise AssemblyError(_("Write a share such as 1/2 or 2/3."), field_name) from error
    if not 0 <= value <= 1:
        raise AssemblyError(_("A share lies between 0 and 1."), field_name)
    return value.numerator, value.denominator


def _storable(text: str, field_name: str) -> str:
    """Free text as given, unless it holds what no database column stores (NUL)."""
    if "\x00" in text:
        raise AssemblyError(
            _("This text contains a NUL character, which cannot be stored."), field_name
        )
    return text
