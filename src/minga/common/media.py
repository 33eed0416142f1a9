"""Uploaded files are served only to readers who may see what they belong to.

Each app registers which file fields hold uploads and how to find the object that decides
who may read them (``register_media_owner``). A file that no registered field names is
not served at all, so nothing left over on disk leaks either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.static import serve

from .models import VisibleContent
from .visibility import can_view, viewer_for

OwnerOf = Callable[[Any], Any]
_owners: list[tuple[type[models.Model], str, OwnerOf]] = []


def register_media_owner(model: type[models.Model], field: str, owner_of: OwnerOf) -> None:
    """``owner_of(row)`` gives the object whose visibility governs ``row.<field>``."""
    _owners.append((model, field, owner_of))


def _owner_for(path: str) -> Any:
    for model, field, owner_of in _owners:
        row = model._default_manager.filter(**{field: path}).first()
        if row is not None:
            return owner_of(row)
    return None


def protected_media(request: HttpRequest, path: str) -> HttpResponse | FileResponse:
    owner = _owner_for(path)
    if owner is None:
        raise Http404
    if isinstance(owner, VisibleContent) and not can_view(owner, viewer_for(request.user)):
        raise Http404
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    # Uploads are never rendered as pages of this site, whatever their content.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
