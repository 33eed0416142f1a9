"""Bulletins through their services: drafts, review, scheduled publication, media with
descriptions, and the refusals that leave nothing behind."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from minga.common.errors import DomainError
from minga.common.models import AuditEntry
from minga.common.stator import run_once
from minga.comms import services
from minga.comms.models import Bulletin, BulletinMedia, PublicationSchedule
from tests import factories
from tests.comms import factories as comms

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "green").save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


def _data(**fields: Any) -> services.BulletinData:
    return services.BulletinData(
        **{"title": "Asamblea", "body": "Texto.", "language": "es", **fields}
    )


def test_a_writer_drafts_an_editor_reviews_and_publishes() -> None:
    organization, editor, writer = comms.newsroom()
    bulletin = services.bulletin_create(
        actor=writer, organization=organization, data=_data(tags=["Maíz", "#maíz", "semillas"])
    )
    assert bulletin.status == "draft" and bulletin.author == writer
    assert sorted(bulletin.tags.values_list("slug", flat=True)) == ["maíz", "semillas"]
    services.bulletin_submit(actor=writer, bulletin=bulletin)
    with pytest.raises(PermissionDenied):
        services.bulletin_publish(actor=writer, bulletin=bulletin)
    published = services.bulletin_publish(actor=editor, bulletin=bulletin)
    assert published.status == "published" and published.reviewed_by == editor
    assert published.published_at is not None
    # Once published, the author alone may no longer change it; the editor may.
    with pytest.raises(PermissionDenied):
        services.bulletin_update(actor=writer, bulletin=published, data=_data(title="Otro"))
    edited = services.bulletin_update(actor=editor, bulletin=published, data=_data(title="Otro"))
    assert edited.edited_at is not None and edited.title == "Otro"


def test_an_editor_sends_a_bulletin_back_with_a_note() -> None:
    organization, editor, writer = comms.newsroom()
    bulletin = services.bulletin_create(actor=writer, organization=organization, data=_data())
    services.bulletin_submit(actor=writer, bulletin=bulletin)
    returned = services.bulletin_return(actor=editor, bulletin=bulletin, note="Falta la fecha")
    assert returned.status == "draft" and returned.review_note == "Falta la fecha"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": ""}, "title_required"),
        ({"body": "  "}, "body_required"),
        ({"language": "español"}, "bad_language"),
        ({"video_links": ["javascript:alert(1)"]}, "bad_link"),
        ({"tags": [f"t{n}" for n in range(20)]}, "too_many_tags"),
        ({"visibility": "organizations"}, "visible_to_required"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_nothing_written(
    fields: dict[str, Any], code: str
) -> None:
    organization, _editor, writer = comms.newsroom()
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refusal:
        services.bulletin_create(actor=writer, organization=organization, data=_data(**fields))
    assert refusal.value.code == code and refusal.value.field
    assert not Bulletin.objects.exists() and AuditEntry.objects.count() == before


def test_strangers_cannot_write_for_an_organization() -> None:
    organization, _editor, _writer = comms.newsroom()
    with pytest.raises(PermissionDenied):
        services.bulletin_create(actor=factories.person(), organization=organization, data=_data())


def test_scheduled_bulletins_are_published_by_the_worker_on_time() -> None:
    organization, editor, writer = comms.newsroom()
    bulletin = services.bulletin_create(actor=writer, organization=organization, data=_data())
    at = timezone.now() + timedelta(hours=2)
    scheduled = services.bulletin_publish(actor=editor, bulletin=bulletin, at=at)
    assert scheduled.status == "scheduled"
    run_once()
    assert Bulletin.objects.get(pk=bulletin.pk).status == "scheduled"
    run_once(now=at + timedelta(seconds=1))
    published = Bulletin.objects.get(pk=bulletin.pk)
    assert published.status == "published" and published.published_at is not None
    assert PublicationSchedule.objects.get().state == "done"


def test_images_need_a_description_and_audio_gets_its_duration() -> None:
    organization, _editor, writer = comms.newsroom()
    bulletin = services.bulletin_create(actor=writer, organization=organization, data=_data())
    with pytest.raises(DomainError) as refusal:
        services.media_add(actor=writer, bulletin=bulletin, upload=_png())
    assert refusal.value.code == "alt_text_required" and not BulletinMedia.objects.exists()
    image = services.media_add(
        actor=writer, bulletin=bulletin, upload=_png(), alt_text="Campo de maíz"
    )
    assert (image.kind, image.width, image.height) == ("image", 40, 20)
    assert image.file.name.endswith(".png") and "foto" not in image.file.name
    wav = _wav(seconds=2)
    audio = services.media_add(actor=writer, bulletin=bulletin, upload=wav, title="Programa 1")
    assert audio.kind == "audio" and audio.duration_seconds == 2
    fake = SimpleUploadedFile("x.png", b"<html><script>", content_type="image/png")
    with pytest.raises(DomainError) as refusal:
        services.media_add(actor=writer, bulletin=bulletin, upload=fake, alt_text="x")
    assert refusal.value.code == "file_type_not_allowed"


def _wav(seconds: int) -> SimpleUploadedFile:
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 8000 * seconds)
    return SimpleUploadedFile("programa.wav", buffer.getvalue(), content_type="audio/wav")


def test_audio_is_served_with_byte_ranges_to_those_who_may_read_it(client: Any) -> None:
    organization, editor, _writer = comms.newsroom()
    bulletin = comms.bulletin(organization)
    audio = services.media_add(actor=editor, bulletin=bulletin, upload=_wav(1), title="Radio")
    response = client.get(audio.file.url, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206 and response["Content-Range"].startswith("bytes 0-99/")
    assert response["Content-Type"] == "audio/wav"
    hidden = comms.bulletin(organization, publish=False)
    other = services.media_add(actor=editor, bulletin=hidden, upload=_wav(1))
    assert client.get(other.file.url).status_code == 404
