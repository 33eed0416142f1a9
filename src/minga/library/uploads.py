"""What the library accepts as files, and the thumbnails of images."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings

from minga.common.files import AUDIO, DOCUMENTS

MEGABYTE = 1024 * 1024
# How large a file of each family may be; operators change them with LIBRARY_UPLOAD_LIMITS.
DEFAULT_LIMITS = {
    "image": 15 * MEGABYTE,
    "document": 40 * MEGABYTE,
    "audio": 200 * MEGABYTE,
    "video": 1024 * MEGABYTE,
}
ACCEPTED = frozenset({"png", "jpeg", "webp", "gif", "mp4", "webm"} | DOCUMENTS | AUDIO)
MAX_ATTACHMENTS = 50
THUMBNAIL_SIZE = (480, 480)


def upload_limits() -> dict[str, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "LIBRARY_UPLOAD_LIMITS", {})}


def human_size(count: int) -> str:
    return f"{count / MEGABYTE:g} MB"


def thumbnail(upload: Any) -> tuple[bytes, int, int] | None:
    """A JPEG of at most 480×480 pixels, and the image's own width and height."""
    from PIL import Image, ImageOps

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            image.seek(0)
            picture = ImageOps.exif_transpose(image).convert("RGB")
            picture.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=80, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return out.getvalue(), width, height


def delete_stored(files: list[tuple[Any, str | None]]) -> None:
    """Remove stored files (after the transaction that dropped their rows commits)."""
    for storage, name in files:
        if name:
            storage.delete(name)
