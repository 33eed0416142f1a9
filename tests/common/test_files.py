"""Uploads are known by their content: detection, limits, hostile files."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from minga.common.errors import DomainError
from minga.common.files import AUDIO, DOCUMENTS, IMAGES, check_upload, detect


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, kind)
    return buffer.getvalue()


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


SAMPLES = {
    "png": _image("PNG"),
    "jpeg": _image("JPEG"),
    "webp": _image("WEBP"),
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    "odt": _zip(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
        zipfile.ZIP_STORED,
    ),
    "docx": _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}),
    "mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 40,
    "ogg": b"OggS\x00\x02" + b"\x00" * 22 + b"\x01vorbis" + b"\x00" * 30,
    "opus": b"OggS\x00\x02" + b"\x00" * 22 + b"OpusHead" + b"\x00" * 30,
    "flac": b"fLaC\x00\x00\x00\x22" + b"\x00" * 40,
    "wav": b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40,
    "m4a": b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + b"\x00" * 40,
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_kind_is_known_by_its_content_whatever_its_name(kind: str) -> None:
    upload = SimpleUploadedFile("misleading.txt", SAMPLES[kind])
    detected = detect(upload)
    assert detected is not None and detected.name == kind
    assert upload.tell() == 0


def test_a_page_or_a_script_is_not_a_known_kind() -> None:
    for content in (b"<!doctype html><script>x</script>", b"#!/bin/sh\nrm -rf /", b"MZ\x90\x00"):
        assert detect(SimpleUploadedFile("a.pdf", content)) is None


@given(st.binary(max_size=200))
def test_detection_never_fails_on_random_bytes(content: bytes) -> None:
    detect(SimpleUploadedFile("x", content))


def test_too_large_or_wrong_kind_is_refused_with_the_field() -> None:
    with pytest.raises(DomainError) as too_large:
        check_upload(
            SimpleUploadedFile("a.png", SAMPLES["png"]), allowed=IMAGES, max_bytes=10, field="logo"
        )
    assert too_large.value.code == "file_too_large" and too_large.value.field == "logo"
    with pytest.raises(DomainError) as wrong:
        check_upload(
            SimpleUploadedFile("a.png", SAMPLES["pdf"]),
            allowed=IMAGES,
            max_bytes=10**6,
            field="logo",
        )
    assert wrong.value.code == "file_type_not_allowed"


def test_an_archive_bomb_is_refused_before_it_is_read() -> None:
    """A document whose members would expand enormously is refused whole."""
    bomb = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"\x00" * (30 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    with pytest.raises(DomainError) as error:
        check_upload(
            SimpleUploadedFile("a.docx", bomb), allowed=DOCUMENTS, max_bytes=10**7, field="file"
        )
    assert error.value.code == "archive_bomb"


def test_a_broken_image_is_refused() -> None:
    broken = SAMPLES["png"][:40]
    with pytest.raises(DomainError) as error:
        check_upload(
            SimpleUploadedFile("a.png", broken), allowed=IMAGES, max_bytes=10**6, field="f"
        )
    assert error.value.code == "file_unreadable"


def test_audio_kinds_are_accepted_for_audio_fields() -> None:
    for kind in ("mp3", "ogg", "opus", "flac", "wav", "m4a"):
        detected = check_upload(
            SimpleUploadedFile("x", SAMPLES[kind]), allowed=AUDIO, max_bytes=10**6, field="audio"
        )
        assert detected.family == "audio"
