"""Small helpers shared by the apps' forms."""

from __future__ import annotations

from typing import Any

from django import forms


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
