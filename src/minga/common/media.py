"""Uploaded files are served only to readers who may see what they belong to.

Each app registers which file fields hold uploads and who may read a row's file
(``register_media_owner``): usually whoever may read the object it belongs to. A file that
no registered field names is not served at all, so nothing left over on disk leaks either.
Files are served with the type detected from their content (never from a name a person
chose), never as a page of this site, and with byte ranges, so audio and video can be played
and resumed from any point on a slow connection.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils._os import safe_join
from django.utils.http import http_date

from .files import detect

CanRead = Callable[[Any, Any], bool]
_owners: list[tuple[type[models.Model], str, CanRead]] = []

CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def register_media_owner(model: type[models.Model], field: str, can_read: CanRead) -> None:
    """``can_read(user, row)`` says whether the user may read ``row.<field>``."""
    _owners.append((model, field, can_read))


def _readable(path: str, user: Any) -> Any:
    """The stored file named ``path`` if the user may read it, else None."""
    for model, field, can_read in _owners:
        row = model._default_manager.filter(**{field: path}).first()
        if row is not None:
            return getattr(row, field) if can_read(user, row) else None
    return None


class _Stored:
    """A stored file, opened through its storage: the data directory by default, or any
    backend the operator configures (``STORAGES``)."""

    def __init__(self, field_file: Any) -> None:
        self.storage = field_file.storage
        self.name = field_file.name

    def local_path(self) -> Path | None:
        try:
            return Path(self.storage.path(self.name))
        except NotImplementedError:
            return None

    def open(self) -> Any:
        return self.storage.open(self.name, "rb")


def _content_type(stored: _Stored) -> str:
    with stored.open() as handle:
        kind = detect(handle)
    return kind.mime if kind else "application/octet-stream"


def _chunks(stored: _Stored, start: int, length: int) -> Iterator[bytes]:
    with stored.open() as handle:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                return
            remaining -= len(data)
            yield data


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) of a single ``bytes=`` range; None for a range that cannot be served."""
    match = _RANGE.match(header.strip())
    if match is None or size == 0:
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # the last N bytes
        length = min(int(last_text), size)
        return (size - length, size - 1) if length else None
    first = int(first_text)
    last = min(int(last_text), size - 1) if last_text else size - 1
    if first >= size or last < first:
        return None
    return first, last


def protected_media(request: HttpRequest, path: str) -> Response:
    field_file = _readable(path, request.user)
    if field_file is None:
        raise Http404
    return serve_file(request, field_file)


def serve_file(request: HttpRequest, field_file: Any) -> Response:
    """Serve a stored file the caller has already checked the reader may read (an API
    endpoint that answers with a row's file): typed from its content, with byte ranges,
    never rendered as a page of this site."""
    stored = _Stored(field_file)
    local = stored.local_path()
    if local is not None:
        try:
            safe_join(str(settings.MEDIA_ROOT), field_file.name)
        except ValueError as error:
            raise Http404 from error
        if not local.is_file():
            raise Http404
        size = local.stat().st_size
        modified = os.path.getmtime(local)
    else:
        try:
            size = stored.storage.size(stored.name)
            modified = stored.storage.get_modified_time(stored.name).timestamp()
        except (OSError, NotImplementedError) as error:
            raise Http404 from error
    content_type = _content_type(stored)
    header = request.headers.get("Range", "")
    response: HttpResponse | StreamingHttpResponse
    if header:
        byte_range = _byte_range(header, size)
        if byte_range is None:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return _harden(response)
        first, last = byte_range
        response = StreamingHttpResponse(
            _chunks(stored, first, last - first + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    else:
        response = StreamingHttpResponse(_chunks(stored, 0, size), content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(modified)
    if content_type == "application/octet-stream":
        response["Content-Disposition"] = "attachment"
    return _harden(response)


Response = Any  # HttpResponse or StreamingHttpResponse


def _harden(response: Response) -> Response:
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    # Uploads are never rendered as pages of this site, whatever their content.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
