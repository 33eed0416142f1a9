"""Date and date-time boxes are the browser's pickers, and their value is always ISO: a
picker shows nothing for ``30/11/2026`` (what a Spanish, Portuguese or French reader's
locale writes), and a form sent back with the box empty would erase the date."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import UTC, date, datetime

import pytest
from django import forms
from django.utils import translation

import minga
from minga.common.forms import DatePicker, DateTimePicker


@pytest.mark.parametrize("language", ["es", "pt", "fr", "ht", "en"])
def test_the_pickers_write_iso_in_every_language(language: str) -> None:
    with translation.override(language):
        day = DatePicker().render("on", date(2026, 11, 30))
        moment = DateTimePicker().render("at", datetime(2026, 11, 30, 14, 5, tzinfo=UTC))
    assert 'type="date"' in day and 'value="2026-11-30"' in day
    assert 'type="datetime-local"' in moment and 'value="2026-11-30T14:05"' in moment


def _form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(minga.__path__, "minga."):
        if module.name.rsplit(".", 1)[-1].endswith("forms"):
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type[forms.BaseForm]] = [forms.BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("minga."):
                found.append(subclass)
    return found


def test_every_date_box_of_the_platform_is_an_iso_picker() -> None:
    boxes = []
    for form in _form_classes():
        for name, field in getattr(form, "base_fields", {}).items():
            widget = field.widget
            kind = widget.attrs.get("type") or getattr(widget, "input_type", "")
            if kind in ("date", "datetime-local"):
                boxes.append((form.__qualname__, name))
                assert isinstance(widget, DatePicker | DateTimePicker), (form, name)
    assert len(boxes) > 20  # the platform's date boxes were found
