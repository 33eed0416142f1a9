"""Form fields and helpers every module uses the same way.

People type amounts as decimals in the unit ("12.50"); the ledger counts integer minor
units. The conversion is exact (``Decimal``), and an amount with more decimals than the
unit has is refused rather than rounded (:class:`AmountField`, used by the exchange's and
the funds' forms).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from minga.common.vocabulary import reading_language
from minga.core.ledger import MAX_AMOUNT


class TextLanguageField(forms.ChoiceField):
    """The language a text is written in, one of the interface languages, preselected with
    the language its writer is reading the site in (a Creole reader writes in Creole)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", settings.LANGUAGES)
        # A callable initial value is evaluated when the form is shown, in that request.
        kwargs.setdefault("initial", reading_language)
        super().__init__(**kwargs)


class DatePicker(forms.DateInput):
    """The browser's date picker, its value always written in ISO: a date input shows
    nothing for ``30/11/2026``, the form a Spanish, Portuguese or French reader's locale
    writes, and a form sent back with the box empty would erase the date."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimePicker(forms.DateTimeInput):
    """The browser's date-and-time picker, its value written as it reads it (ISO, minutes),
    for the same reason as :class:`DatePicker`."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class CountryChoices(BaseChoiceIterator):
    """The countries by name in the reader's language, after a blank choice ``blank``.
    Given to a field as is, it is not copied and normalized for every form as a list of
    250 pairs would be (django-countries keeps the sorted list per language)."""

    def __init__(self, blank: Any) -> None:
        self.blank = blank

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        yield "", self.blank
        yield from countries


class LongSelect(forms.Select):
    """A single-choice list written in Python. Django renders each option through its own
    template, which for the 250 countries of a filter form cost more than the rest of the
    page; this writes the same HTML (attributes, ``selected``, option groups) at once, and
    keeps the options of the lists it has written (per language, as their labels are)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        options = _options_html(_choice_key(self.choices))
        for chosen in {str(item) for item in self.format_value(value)}:
            option = f'<option value="{escape(chosen)}"'
            options = options.replace(f"{option}>", f"{option} selected>")
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(final), SafeString(options)
        )


_Label = tuple[str, bool]  # the label's text, and whether it is HTML already (not escaped)
_Option = tuple[str, _Label]
_ChoiceKey = tuple[_Option | tuple[str, tuple[_Option, ...]], ...]


def _label(label: Any) -> _Label:
    return str(label), hasattr(label, "__html__")


def _choice_key(choices: Any) -> _ChoiceKey:
    """The choices as plain text in the current language: what their HTML depends on. An
    option's label is a (text, is HTML) pair; a group's is a tuple of options."""
    return tuple(
        (str(value), tuple((str(v), _label(lab)) for v, lab in label))
        if isinstance(label, list | tuple)
        else ("" if value is None else str(value), _label(label))
        for value, label in choices
    )


def _option(value: str, label: _Label) -> str:
    text = label[0] if label[1] else escape(label[0])
    return f'<option value="{escape(value)}">{text}</option>'


@lru_cache(maxsize=64)
def _options_html(choices: _ChoiceKey) -> str:
    parts = []
    for value, label in choices:
        if label and isinstance(label[0], str):
            parts.append(_option(value, label))
        else:
            inner = "".join(_option(v, lab) for v, lab in label)
            parts.append(f'<optgroup label="{escape(value)}">{inner}</optgroup>')
    return "".join(parts)


MAX_ID = 2**63 - 1
"""The largest key a row may have (SQLite cannot even hold a larger integer)."""


def is_possible_id(value: Any) -> bool:
    """Whether a posted text could be an integer key: ASCII digits, 1..MAX_ID."""
    text = str(value).strip()
    return text.isascii() and text.isdigit() and len(text) <= 19 and 0 < int(text) <= MAX_ID


def _possible_key(field: forms.ModelChoiceField[Any], value: Any) -> bool:
    """Whether a posted value could name a row: an integer in range when rows are named by
    an integer column (a larger one would make the database refuse the query); anything
    else (a row itself, a slug, a UUID) is left to Django's own checks."""
    model = field.queryset.model  # type: ignore[union-attr]
    if isinstance(value, model):
        return True
    column = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    if not isinstance(column, models.AutoField | models.BigAutoField | models.IntegerField):
        return True
    return is_possible_id(value)


class ModelChoice(forms.ModelChoiceField[Any]):
    """A choice of one row by its key; a key no row could have is an invalid choice (Django
    would send it to the database, which cannot hold an integer past 2**63: a 500).
    Every form of the platform chooses rows with this and :class:`ModelMultipleChoice`."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _possible_key(self, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoice(forms.ModelMultipleChoiceField[Any]):
    """A choice of rows by their keys; a key no row could have is an invalid choice."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            for key in value:
                if not _possible_key(self, key):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(key)[:40]},
                    )
        return super().clean(value)


def preselect_only_choice(field: forms.Field) -> None:
    """When a required choice of rows (your organization, the network) can take one value
    only, show it chosen, without an empty line that would have to be changed first."""
    if not isinstance(field, forms.ModelChoiceField) or not field.required:
        return
    queryset: Any = field.queryset
    if queryset is None:
        return
    rows = list(queryset[:2])
    if len(rows) == 1:
        field.initial = rows[0]
        field.empty_label = None


def to_minor_units(text: str, scale: int) -> int:
    """``"12.50"`` with scale 2 → ``1250``. Accepts a dot or a comma before the decimals."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not cleaned or not all(c.isdigit() or c in ".-+" for c in cleaned):
        raise forms.ValidationError(_("Enter an amount such as 12.50."), code="invalid")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise forms.ValidationError(_("Enter an amount such as 12.50."), code="invalid") from None
    if not value.is_finite():
        raise forms.ValidationError(_("Enter an amount such as 12.50."), code="invalid")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > scale:
        message = (
            _("This unit has at most %(scale)d decimals.") % {"scale": scale}
            if scale
            else _("This unit has no decimals: enter a whole number.")
        )
        raise forms.ValidationError(message, code="too_many_decimals")
    minor = int(value.scaleb(scale))
    if abs(minor) > MAX_AMOUNT:
        raise forms.ValidationError(_("This amount is too large."), code="too_large")
    return minor


class AmountField(forms.CharField):
    """A decimal amount in a unit, cleaned to integer minor units (``None`` when empty)."""

    def __init__(self, *, scale: int = 2, minimum: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.scale = scale
        self.minimum = minimum
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        minor = to_minor_units(text, self.scale)
        if self.minimum is not None and minor < self.minimum:
            raise forms.ValidationError(
                _("The amount must be more than zero.")
                if self.minimum > 0
                else _("Enter zero or a positive amount."),
                code="too_small",
            )
        return minor
