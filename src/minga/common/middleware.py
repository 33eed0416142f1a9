"""Requests refused before any view sees them, the same way on every page and API operation.

A NUL character cannot be stored in a PostgreSQL text column nor compared with one, so any
query, form or JSON body holding one would end in a database error wherever a view filters
or saves the value. Each app used to guard its own fields; a new field or a new app would
forget. Refusing it here, with the field's name, covers every view at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"


def _json_fields_with_nul(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, str):
        if NUL in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                yield inner
            yield from _json_fields_with_nul(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_fields_with_nul(item, f"{path}.{index}" if path else str(index))


def field_with_nul(request: HttpRequest) -> str | None:
    """The name of the first parameter or field of ``request`` holding a NUL, if any."""
    if NUL in request.path:
        return "path"
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return key
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = request.content_type or ""
    if content_type == "application/json" or content_type.endswith("+json"):
        body = request.body
        # Only a body that spells a NUL is parsed a second time.
        if b"\x00" not in body and b"\\u0000" not in body.lower():
            return None
        try:
            parsed = json.loads(body)
        except ValueError:
            return None  # the API answers a malformed body itself
        return next(_json_fields_with_nul(parsed), None)
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, values in request.POST.lists():
            if NUL in key or any(NUL in value for value in values):
                return key
    return None


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = field_with_nul(request)
        if field is None:
            return self.get_response(request)
        message = _("The text of “%(field)s” contains a NUL character, which cannot be stored.") % {
            "field": field
        }
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": message, "field": field, "code": "nul_character"}, status=400
            )
        return render(request, "400.html", {"message": message}, status=400)
