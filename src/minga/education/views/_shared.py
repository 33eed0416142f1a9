"""Small helpers of education's pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.urls import reverse

from minga.common.errors import DomainError


def form_error(form: forms.Form, error: DomainError) -> None:
    """Show a refusal beside the field it names (or above the form)."""
    field = (error.field or "").split(".")[0]
    form.add_error(field if field in form.fields else None, error.message)


def post_data(request: Any) -> Any:
    return request.POST if request.method == "POST" else None


_MARKER = "00000000-0000-0000-0000-000000000000"


def url_maker(name: str) -> Callable[[Any], str]:
    """The URL of the named route for many objects by their uuid, reversed once (a page of
    fifty students would otherwise resolve hundreds of routes)."""
    pattern = reverse(name, kwargs={"uuid": _MARKER})
    return lambda uuid: pattern.replace(_MARKER, str(uuid))
