"""Files (hostile uploads refused with a clear message, types known by content, byte
ranges for recordings), bundles (carried between servers: twice creates nothing twice, a
damaged one is refused whole) and the SKOS import of the subjects."""

from __future__ import annotations

import io
import wave
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM
from minga.library import services
from minga.library.bundles import write_bundle
from minga.library.models import Attachment, Item, Subject
from tests import factories
from tests.library import factories as library


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 30)).save(out, "PNG")
    return out.getvalue()


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        recording.writeframes(b"\x01\x02" * 8000)
    return out.getvalue()


HOSTILE = [
    (
        "a program named as a photo",
        "foto.png",
        b"MZ\x90\x00\x03" + b"\x00" * 200,
        "file_executable",
    ),
    ("a Linux program", "radio.mp3", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "file_executable"),
    (
        "a web page named as a picture",
        "foto.jpg",
        b"<html><script>alert(1)</script>",
        "file_type_not_allowed",
    ),
    (
        "an archive bomb dressed as a document",
        "acta.docx",
        _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"\x00" * (30 * 1024 * 1024)}),
        "archive_bomb",
    ),
    (
        "a document carrying a program",
        "acta.docx",
        _zip(
            {
                "[Content_Types].xml": b"<x/>",
                "word/document.xml": b"<w/>",
                "setup.exe": b"MZ" + b"\x00" * 64,
            }
        ),
        "file_executable",
    ),
]


@pytest.mark.parametrize(("case", "name", "content", "code"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_refused_with_a_clear_message(
    community: Any, case: str, name: str, content: bytes, code: str
) -> None:
    item = library.item(community)
    with pytest.raises(DomainError) as error:
        services.attachment_add(actor=SYSTEM, item=item, upload=SimpleUploadedFile(name, content))
    assert error.value.code == code and error.value.field == "file" and error.value.message
    assert not Attachment.objects.exists()


def test_a_file_too_large_for_its_kind_is_refused_naming_the_limit(
    community: Any, settings: Any
) -> None:
    settings.LIBRARY_UPLOAD_LIMITS = {"image": 100}
    item = library.item(community)
    with pytest.raises(DomainError) as error:
        services.attachment_add(actor=SYSTEM, item=item, upload=SimpleUploadedFile("a.png", _png()))
    assert error.value.code == "file_too_large"


def test_the_type_comes_from_the_content_not_the_name(community: Any) -> None:
    """A picture called .pdf is stored as the PNG it is, with a thumbnail."""
    item = library.item(community)
    attachment = services.attachment_add(
        actor=SYSTEM, item=item, upload=SimpleUploadedFile("informe.pdf", _png())
    )
    assert attachment.file_kind == "png" and attachment.file.name.endswith(".png")
    assert attachment.thumbnail and (attachment.width, attachment.height) == (64, 48)


def test_recordings_are_served_in_byte_ranges(community: Any) -> None:
    item = library.item(
        community,
        library.formula_data(kind="audio", ingredients=[], yield_quantity="", yield_unit=""),
    )
    attachment = services.attachment_add(
        actor=SYSTEM, item=item, upload=SimpleUploadedFile("radio.wav", _wav())
    )
    client = factories.verified_client(factories.person("oyente"))
    whole = client.get(attachment.url)
    assert whole.status_code == 200
    part = client.get(attachment.url, HTTP_RANGE="bytes=100-199")
    body = b"".join(part.streaming_content) if part.streaming else part.content
    assert part.status_code == 206 and len(body) == 100
    assert body == _wav()[100:200]


def _bundle_of(*items: Any) -> bytes:
    out = io.BytesIO()
    write_bundle(SYSTEM, items, out)
    return out.getvalue()


def test_a_bundle_carries_items_and_files_and_twice_creates_nothing_twice(community: Any) -> None:
    item = library.item(community)
    services.attachment_add(actor=SYSTEM, item=item, upload=SimpleUploadedFile("f.png", _png()))
    data = _bundle_of(item)
    uuid, versions = item.uuid, item.versions.count()
    Item.objects.filter(pk=item.pk).delete()

    first = services.bundle_import(actor=SYSTEM, stream=io.BytesIO(data))
    again = services.bundle_import(actor=SYSTEM, stream=io.BytesIO(data))
    assert (first.created, first.files) == (1, 1)
    assert (again.created, again.updated, again.unchanged, again.files) == (0, 0, 1, 0)
    carried = Item.objects.get(uuid=uuid)
    assert carried.title == item.title and carried.ingredients.count() == 4
    assert carried.attachments.count() == 1 and Item.objects.count() == 1
    assert carried.versions.count() <= versions


def _tampered(data: bytes, change: Any) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            archive.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return out.getvalue()


def test_a_damaged_bundle_is_refused_whole(community: Any) -> None:
    items = [library.item(community, library.formula_data(title=f"Biol {n}")) for n in range(2)]
    data = _bundle_of(*items)
    Item.objects.all().delete()
    cases = {
        "cut short": data[: len(data) // 2],
        "an item changed": _tampered(
            data,
            lambda name, body: (
                body.replace(b"Biol 1", b"Biol X") if name.startswith("items/") else body
            ),
        ),
        "not a zip": b"%PDF-1.4 nothing here",
    }
    for case, damaged in cases.items():
        with pytest.raises(DomainError) as error:
            services.bundle_import(actor=SYSTEM, stream=io.BytesIO(damaged))
        assert error.value.code == "damaged_bundle" and "bundle" in error.value.message.lower(), (
            case
        )
        assert not Item.objects.exists(), case


def test_importing_needs_a_manager_of_the_organization(community: Any) -> None:
    data = _bundle_of(library.item(community))
    outsider = factories.person("forastera")
    factories.role(outsider, factories.organization(slug="otra"), "coordinator")
    before = Item.objects.count()
    with pytest.raises(DomainError) as error:
        services.bundle_import(actor=outsider, stream=io.BytesIO(data))
    assert error.value.code in {"organization_not_yours", "unknown_organization"}
    assert Item.objects.count() == before


SKOS = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix mlib: <urn:minga:library-subjects:> .
mlib:crops a skos:Concept ;
    skos:notation "crops" ;
    skos:prefLabel "Cultivos"@es, "Crops"@en, "Cultivos"@pt, "Cultures"@fr, "Kilti"@ht .
mlib:quinoa a skos:Concept ;
    skos:notation "quinoa" ;
    skos:broader mlib:crops ;
    skos:prefLabel "Quinua"@es, "Quinoa"@en, "Quinoa"@pt, "Quinoa"@fr, "Kinowa"@ht .
"""


def test_the_vocabulary_is_imported_from_skos(db: None, tmp_path: Path) -> None:
    """A Turtle file adds a concept with its labels in five languages under a broader one;
    the starter vocabulary is there already."""
    assert Subject.objects.filter(code="maize", names__pt="Milho").exists()
    path = tmp_path / "more.ttl"
    path.write_text(SKOS, encoding="utf-8")
    call_command(
        "import_vocabulary", str(path), vocabulary="library-subjects", stdout=io.StringIO()
    )
    quinoa = Subject.objects.get(code="quinoa")
    assert quinoa.names["ht"] == "Kinowa" and quinoa.broader is not None
    assert quinoa.broader.code == "crops"
    assert Subject.objects.filter(code="maize", broader__code="crops").exists()


def test_a_broken_skos_file_changes_nothing(db: None, tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text(SKOS.replace("skos:notation", "skos:notation ;;"), encoding="utf-8")
    before = Subject.objects.count()
    with pytest.raises(CommandError):
        call_command(
            "import_vocabulary", str(path), vocabulary="library-subjects", stdout=io.StringIO()
        )
    assert Subject.objects.count() == before
