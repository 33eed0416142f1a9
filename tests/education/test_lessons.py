"""Modules and lessons in order, recordings with a light version served by byte ranges,
materials (files, library items, video links) and the module to read offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from minga.common import stator
from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.education import services
from minga.education.models import LessonAudio, LessonMaterial, Topic
from minga.library.content import AccessData
from tests import factories
from tests.education import factories as education
from tests.library import factories as library


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_modules_and_lessons_keep_their_order_and_move(course: Any, teacher: Any) -> None:
    """New modules and lessons go last; moving swaps neighbours and keeps 0..n-1."""
    education.cohort(course, teachers=[teacher])
    first = services.module_create(actor=teacher, course=course, title="Uno")
    second = services.module_create(actor=teacher, course=course, title="Dos")
    assert [m.position for m in (first, second)] == [0, 1]
    lessons = [services.lesson_create(actor=teacher, module=first, title=name) for name in "abc"]
    assert services.lesson_move(actor=teacher, lesson=lessons[2], direction="up")
    assert [lesson.title for lesson in first.lessons.all()] == ["a", "c", "b"]
    assert not services.lesson_move(actor=teacher, lesson=lessons[0], direction="up")
    assert services.module_move(actor=teacher, module=second, direction="up")
    assert [m.title for m in course.modules.all()] == ["Dos", "Uno"]
    with pytest.raises(DomainError) as refused:
        services.lesson_move(actor=teacher, lesson=lessons[0], direction="sideways")
    assert refused.value.field == "direction"


def test_only_the_course_staff_write_lessons(course: Any, coordinator: Any) -> None:
    """The school's coordinator writes; a teacher of another course and strangers do not."""
    module = services.module_create(actor=coordinator, course=course, title="Uno")
    other_teacher = factories.person("otra-maestra")
    education.cohort(education.course(course.school, title="Otro"), teachers=[other_teacher])
    for person in (other_teacher, factories.person("extrana")):
        with pytest.raises(PermissionDenied):
            services.lesson_create(actor=person, module=module, title="Intrusa")
    assert not module.lessons.exists()


def test_a_lesson_needs_a_title(course: Any) -> None:
    module = services.module_create(actor=SYSTEM, course=course, title="Uno")
    with pytest.raises(DomainError) as refused:
        services.lesson_create(actor=SYSTEM, module=module, title="  ")
    assert (refused.value.field, refused.value.code) == ("title", "required")


def test_a_recording_gets_a_light_version_served_with_byte_ranges(course: Any) -> None:
    """The worker encodes a mono 32 kbit/s MP3, much smaller than the upload; both are
    served with byte ranges to whoever may read the course."""
    lesson = education.lesson(course)
    upload = SimpleUploadedFile("clase.wav", education.wav(2.0), content_type="audio/wav")
    recording = services.lesson_audio_set(actor=SYSTEM, lesson=lesson, upload=upload)
    assert recording.state == "converting"
    stator.run_once([LessonAudio])
    recording.refresh_from_db()
    assert recording.state == "ready"
    assert 0 < recording.low_size_bytes < recording.size_bytes / 10
    assert recording.duration_seconds == 2
    response = _client().get(recording.low.url, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-99/{recording.low_size_bytes}"
    assert response["Content-Type"] == "audio/mpeg"
    page = _client().get(lesson.get_absolute_url()).content.decode()
    assert recording.low.url in page and "<audio" in page


def test_an_undecodable_recording_fails_without_retrying(course: Any) -> None:
    """A file that looks like MP3 but holds no audio is marked failed at once; the lesson
    still offers the upload."""
    lesson = education.lesson(course)
    upload = SimpleUploadedFile("roto.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 4000)
    recording = services.lesson_audio_set(actor=SYSTEM, lesson=lesson, upload=upload)
    stator.run_once([LessonAudio])
    recording.refresh_from_db()
    assert (recording.state, recording.low.name) == ("failed", "")
    assert (
        "The light version could not be made."
        in _client().get(lesson.get_absolute_url()).content.decode()
    )


def test_a_recording_must_be_audio(course: Any) -> None:
    lesson = education.lesson(course)
    with pytest.raises(DomainError) as refused:
        services.lesson_audio_set(
            actor=SYSTEM, lesson=lesson, upload=SimpleUploadedFile("a.mp3", b"%PDF-1.4 hello")
        )
    assert refused.value.field == "audio"
    assert not LessonAudio.objects.exists()


def test_files_of_hidden_courses_are_not_served_to_strangers(school: Any) -> None:
    hidden = education.course(school, title="Oculto", visibility=Visibility.CUSTODIANS)
    lesson = education.lesson(hidden)
    material = services.material_add_file(
        actor=SYSTEM,
        lesson=lesson,
        upload=SimpleUploadedFile("guia.pdf", b"%PDF-1.4\n%%EOF\n"),
        title="Guía",
    )
    assert _client().get(material.file.url).status_code == 404
    assert _client().get(lesson.get_absolute_url()).status_code == 404
    assert _client().get(f"/api/v1/education/lessons/{lesson.uuid}").status_code == 404


def test_library_items_follow_the_library_access_rules(
    course: Any, cohort: Any, teacher: Any, commune: Any
) -> None:
    """A members-only item is linked by a coordinator who may read it and shown only to
    those who may read it; a teacher who may not read it cannot link it."""
    member = factories.person("socia")
    factories.role(member, commune, "coordinator")
    item = library.item(
        commune,
        access=AccessData(visibility=Visibility.ORGANIZATIONS, visible_to=[commune]),
    )
    lesson = education.lesson(course)
    stranger = factories.person("extrana")
    with pytest.raises(DomainError) as refused:
        services.material_add_library_item(actor=teacher, lesson=lesson, item_uuid=item.uuid)
    assert (refused.value.field, refused.value.code) == ("item", "unknown_item")
    with pytest.raises(PermissionDenied):
        services.material_add_library_item(actor=stranger, lesson=lesson, item_uuid=item.uuid)
    assert not LessonMaterial.objects.exists()
    material = services.material_add_library_item(
        actor=member, lesson=lesson, item_uuid=item.get_canonical_url()
    )
    assert material.library_item == item
    reader = factories.verified_client(member)
    assert item.title in reader.get(lesson.get_absolute_url()).content.decode()
    assert item.title not in _client(stranger).get(lesson.get_absolute_url()).content.decode()
    api = _client(stranger).get(f"/api/v1/education/lessons/{lesson.uuid}").json()
    assert api["materials"] == []


def test_video_links_must_be_web_addresses(course: Any) -> None:
    lesson = education.lesson(course)
    with pytest.raises(DomainError) as refused:
        services.material_add_video(
            actor=SYSTEM, lesson=lesson, url="javascript:alert(1)", title="V"
        )
    assert refused.value.field == "url"
    video = services.material_add_video(
        actor=SYSTEM, lesson=lesson, url="https://video.example/v/1", title="Siembra"
    )
    assert LessonMaterial.objects.get() == video


def test_the_module_downloads_as_a_light_page_with_sanitized_lessons(course: Any) -> None:
    """Every lesson's text in one page without script, to keep on the phone."""
    lesson = education.lesson(
        course, body="**Guardar** semillas.\n\n<script>alert(1)</script>[x](javascript:alert(1))"
    )
    services.material_add_video(
        actor=SYSTEM, lesson=lesson, url="https://video.example/v/1", title="Siembra"
    )
    response = _client().get(f"/education/modules/{lesson.module.uuid}/offline.html")
    body = response.content.decode()
    assert response["Content-Disposition"].startswith("attachment;")
    assert "<strong>Guardar</strong>" in body and "https://video.example/v/1" in body
    assert "<script" not in body and "javascript:" not in body
    assert len(body) < 20_000
    pdf = _client().get(f"/education/modules/{lesson.module.uuid}/offline.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert _client().get(f"/education/modules/{lesson.module.uuid}/offline.exe").status_code == 404


def test_teachers_write_lessons_through_the_pages(course: Any, teacher: Any) -> None:
    """Module, lesson, video: each action says it was done; the course page lists them."""
    education.cohort(course, teachers=[teacher])
    client = _client(teacher)
    response = client.post(
        f"/education/courses/{course.uuid}/modules/new/", {"title": "Semillas"}, follow=True
    )
    assert "The module was added." in response.content.decode()
    module = course.modules.get()
    response = client.post(
        f"/education/modules/{module.uuid}/lessons/new/",
        {"title": "Guardar", "body": "*Secar* bien."},
        follow=True,
    )
    assert "The lesson was added." in response.content.decode()
    lesson = module.lessons.get()
    response = client.post(
        f"/education/lessons/{lesson.uuid}/materials/new/",
        {"kind": "video", "title": "Video", "url": "https://video.example/1"},
        follow=True,
    )
    assert "The material was added." in response.content.decode()
    response = client.post(
        f"/education/lessons/{lesson.uuid}/audio/",
        {"audio": SimpleUploadedFile("c.wav", education.wav(0.5))},
        follow=True,
    )
    assert "The recording was added." in response.content.decode()
    page = _client().get(course.get_absolute_url()).content.decode()
    assert "Semillas" in page and "Guardar" in page
    assert _client(factories.person("x")).get(
        f"/education/modules/{module.uuid}/lessons/new/"
    ).status_code in {403, 404}


def test_the_api_reads_the_outline_and_lets_staff_write(course: Any, teacher: Any) -> None:
    education.cohort(course, teachers=[teacher])
    client = _client(teacher)
    created = client.post(
        f"/api/v1/education/courses/{course.uuid}/modules",
        {"title": "Uno"},
        content_type="application/json",
    )
    assert created.status_code == 201
    module = created.json()["uuid"]
    lesson = client.post(
        f"/api/v1/education/modules/{module}/lessons",
        {"title": "L", "body": "<script>x</script> *y*"},
        content_type="application/json",
    )
    assert lesson.status_code == 201
    assert "<em>y</em>" in lesson.json()["body_html"]
    assert "<script" not in lesson.json()["body_html"]
    outline = _client().get(f"/api/v1/education/courses/{course.uuid}/modules").json()
    assert [m["title"] for m in outline] == ["Uno"]
    assert [lesson["title"] for lesson in outline[0]["lessons"]] == ["L"]
    refused = _client(factories.person("y")).post(
        f"/api/v1/education/courses/{course.uuid}/modules",
        {"title": "Dos"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_courses_take_topics_from_the_vocabulary_and_prerequisites(school: Any) -> None:
    """The starter topics exist; a course shows its topics and its prerequisites."""
    agroecology = Topic.objects.get(code="agroecology")
    first = education.course(school, title="Introducción")
    second = education.course(school, title="Avanzado", topics=[agroecology], prerequisites=[first])
    page = _client().get(second.get_absolute_url()).content.decode()
    assert "Agroecology" in page and "Introducción" in page


def test_the_api_shows_topics_and_only_visible_prerequisites(school: Any, coordinator: Any) -> None:
    """A hidden prerequisite is left out for strangers; unknown topics are refused."""
    hidden = education.course(school, title="Oculto", visibility=Visibility.CUSTODIANS)
    client = factories.verified_client(coordinator)
    created = client.post(
        f"/api/v1/education/schools/{school.uuid}/courses",
        {"title": "Nuevo", "topics": ["agroecology"], "prerequisites": [str(hidden.uuid)]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["prerequisites"] == [str(hidden.uuid)]
    public = _client().get(f"/api/v1/education/courses/{created.json()['uuid']}").json()
    assert public["topics"] == ["agroecology"] and public["prerequisites"] == []
    refused = client.post(
        f"/api/v1/education/schools/{school.uuid}/courses",
        {"title": "Otro", "topics": ["astrology"]},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert "astrology" in refused.content.decode()
