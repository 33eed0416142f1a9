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


def _readable(path: str, user: Any) -> bool:
    for model, field, can_read in _owners:
        row = model._default_manager.filter(**{field: path}).first()
        if row is not None:
            return bool(can_read(user, row))
    return False


def _content_type(file_path: Path) -> str:
    with file_path.open("rb") as handle:
        kind = detect(handle)
    return kind.mime if kind else "application/octet-stream"


def _chunks(file_path: Path, start: int, length: int) -> Iterator[bytes]:
    with file_path.open("rb") as handle:
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
    if not _readable(path, request.user):
        raise Http404
    try:
        file_path = Path(safe_join(str(settings.MEDIA_ROOT), path))
    except ValueError as error:
        raise Http404 from error
    if not file_path.is_file():
        raise Http404
    size = file_path.stat().st_size
    content_type = _content_type(file_path)
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
            _chunks(file_path, first, last - first + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    else:
        response = StreamingHttpResponse(_chunks(file_path, 0, size), content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(os.path.getmtime(file_path))
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
