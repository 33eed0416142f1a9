"""What an uploaded file really is, from its content, and the checks every upload passes.

The name a person gives a file says nothing trustworthy, so :func:`detect` reads its first
bytes (and, for the zip-based office formats, the archive's own table of contents) and
answers with one of the kinds Minga accepts, or None. :func:`check_upload` refuses a file
that is too large, of a kind the field does not take, unreadable, or a zip whose contents
would expand beyond reason (an archive bomb); stored files get a name chosen by the server
(:func:`server_name`), so their extension is the detected one and is what they are served as.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from .errors import DomainError


@dataclass(frozen=True)
class FileKind:
    name: str
    mime: str
    extension: str
    family: str  # image, audio, video, document, archive


KINDS = {
    kind.name: kind
    for kind in (
        FileKind("png", "image/png", "png", "image"),
        FileKind("jpeg", "image/jpeg", "jpg", "image"),
        FileKind("webp", "image/webp", "webp", "image"),
        FileKind("gif", "image/gif", "gif", "image"),
        FileKind("pdf", "application/pdf", "pdf", "document"),
        FileKind("odt", "application/vnd.oasis.opendocument.text", "odt", "document"),
        FileKind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            "document",
        ),
        FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet", "ods", "document"),
        FileKind(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            "document",
        ),
        FileKind("mp3", "audio/mpeg", "mp3", "audio"),
        FileKind("ogg", "audio/ogg", "ogg", "audio"),
        FileKind("opus", "audio/ogg; codecs=opus", "opus", "audio"),
        FileKind("flac", "audio/flac", "flac", "audio"),
        FileKind("wav", "audio/wav", "wav", "audio"),
        FileKind("m4a", "audio/mp4", "m4a", "audio"),
        FileKind("mp4", "video/mp4", "mp4", "video"),
        FileKind("webm", "video/webm", "webm", "video"),
        FileKind("zip", "application/zip", "zip", "archive"),
    )
}

IMAGES = frozenset({"png", "jpeg", "webp"})
DOCUMENTS = frozenset({"pdf", "odt", "docx", "ods", "xlsx"})
AUDIO = frozenset({"mp3", "ogg", "opus", "flac", "wav", "m4a"})

# A zip that would expand to more than this, or more than this many times its size, is
# refused before anything reads its members.
ZIP_MAX_EXPANDED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_MEMBERS = 10_000

_ZIP_OFFICE = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}


def _read_head(stream: BinaryIO, size: int = 64) -> bytes:
    stream.seek(0)
    head = stream.read(size)
    stream.seek(0)
    return bytes(head)


def _mp4_brand(head: bytes) -> str | None:
    if head[4:8] != b"ftyp":
        return None
    brand = head[8:12]
    return "m4a" if brand in (b"M4A ", b"M4B ") else "mp4"


def _mp3(head: bytes) -> bool:
    if head.startswith(b"ID3"):
        return True
    # An MPEG audio frame header: 11 sync bits, then a layer other than "reserved".
    return len(head) > 1 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and (head[1] & 0x06) != 0


def _zip_kind(stream: BinaryIO) -> str | None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                kind = _ZIP_OFFICE.get(
                    archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                )
                if kind:
                    return kind
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            return "zip"
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    finally:
        stream.seek(0)


def detect(stream: BinaryIO) -> FileKind | None:
    """The kind of a file from its content alone, or None for a kind Minga does not know."""
    head = _read_head(stream)
    name: str | None = None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        name = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        name = "jpeg"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        name = "webp"
    elif head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        name = "wav"
    elif head.startswith((b"GIF87a", b"GIF89a")):
        name = "gif"
    elif head.startswith(b"%PDF-"):
        name = "pdf"
    elif head.startswith(b"fLaC"):
        name = "flac"
    elif head.startswith(b"OggS"):
        name = "opus" if b"OpusHead" in head else "ogg"
    elif head.startswith(b"\x1a\x45\xdf\xa3"):
        name = "webm"
    elif _mp4_brand(head):
        name = _mp4_brand(head)
    elif head.startswith(b"PK\x03\x04"):
        name = _zip_kind(stream)
    elif _mp3(head):
        name = "mp3"
    return KINDS.get(name) if name else None


# The first bytes of programs and scripts: Windows and DOS (MZ), Linux and BSD (ELF), macOS
# (Mach-O, 32 and 64 bits, both byte orders, and universal binaries), Java classes and
# scripts with an interpreter line.
_EXECUTABLE_HEADS = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)


def is_executable(stream: BinaryIO) -> bool:
    """Whether a file is a program or a script, from its first bytes."""
    return _read_head(stream, 8).startswith(_EXECUTABLE_HEADS)


def _zip_holds_programs(stream: BinaryIO) -> bool:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            for member in archive.infolist()[:ZIP_MAX_MEMBERS]:
                name = member.filename.lower()
                if name.endswith(
                    (
                        ".exe",
                        ".dll",
                        ".scr",
                        ".bat",
                        ".cmd",
                        ".com",
                        ".msi",
                        ".ps1",
                        ".vbs",
                        ".js",
                        ".jar",
                        ".sh",
                        ".apk",
                        ".app",
                    )
                ):
                    return True
                if member.file_size and not member.is_dir():
                    with archive.open(member) as handle:
                        if handle.read(8).startswith(_EXECUTABLE_HEADS[:7]):
                            return True
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return False
    finally:
        stream.seek(0)
    return False


def _refuse(message: str, field: str, code: str) -> DomainError:
    return DomainError(message, field, code=code)


def _check_zip(stream: BinaryIO, field: str) -> None:
    stream.seek(0)
    size = getattr(stream, "size", None)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            expanded = sum(member.file_size for member in members)
            compressed = max(1, sum(member.compress_size for member in members))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _refuse(_("This archive is damaged."), field, "file_unreadable") from error
    finally:
        stream.seek(0)
    if (
        len(members) > ZIP_MAX_MEMBERS
        or expanded > ZIP_MAX_EXPANDED
        or expanded > ZIP_MAX_RATIO * max(compressed, size or 0)
    ):
        raise _refuse(
            _("This archive would expand far beyond its size, so it is refused."),
            field,
            "archive_bomb",
        )


def check_upload(
    upload: Any, *, allowed: frozenset[str] | set[str], max_bytes: int, field: str
) -> FileKind:
    """The detected kind of an acceptable upload, or a refusal naming the field."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _refuse(
            _("The file is larger than %(size)s.") % {"size": _human_size(max_bytes)},
            field,
            "file_too_large",
        )
    if is_executable(upload):
        raise _refuse(
            _("Programs and scripts are not accepted, whatever their name."),
            field,
            "file_executable",
        )
    kind = detect(upload)
    if kind is None or kind.name not in allowed:
        names = ", ".join(sorted(KINDS[name].extension.upper() for name in allowed))
        raise _refuse(
            _("This kind of file is not accepted here; send one of: %(kinds)s.") % {"kinds": names},
            field,
            "file_type_not_allowed",
        )
    if kind.extension in ("odt", "docx", "ods", "xlsx", "zip"):
        _check_zip(upload, field)
        if _zip_holds_programs(upload):
            raise _refuse(
                _("This archive holds programs or scripts, so it is refused."),
                field,
                "file_executable",
            )
    if kind.family == "image":
        _check_image(upload, field)
    return kind


def _check_image(upload: Any, field: str) -> None:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            # Refuse decompression bombs and broken files before anyone displays them.
            if image.width * image.height > 50_000_000:
                raise _refuse(_("This image is too large."), field, "image_too_large")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise _refuse(_("This image cannot be read."), field, "file_unreadable") from error
    finally:
        upload.seek(0)


def server_name(kind: FileKind) -> str:
    """A name for a stored file chosen by the server: random, with the detected extension."""
    return f"{uuid.uuid4().hex}.{kind.extension}"


def _human_size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):g} MB"
    return f"{count / 1024:g} KB"
