"""Form fields and helpers every module uses the same way."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from minga.common.vocabulary import reading_language


class TextLanguageField(forms.ChoiceField):
    """The language a text is written in, one of the interface languages, preselected with
    the language its writer is reading the site in (a Creole reader writes in Creole)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", settings.LANGUAGES)
        # A callable initial value is evaluated when the form is shown, in that request.
        kwargs.setdefault("initial", reading_language)
        super().__init__(**kwargs)


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
