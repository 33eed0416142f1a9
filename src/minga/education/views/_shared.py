"""Small helpers of education's pages."""

from __future__ import annotations

from typing import Any

from django import forms

from minga.common.errors import DomainError


def form_error(form: forms.Form, error: DomainError) -> None:
    """Show a refusal beside the field it names (or above the form)."""
    field = (error.field or "").split(".")[0]
    form.add_error(field if field in form.fields else None, error.message)


def post_data(request: Any) -> Any:
    return request.POST if request.method == "POST" else None
