"""Modules, lessons in order, their recordings (with a light version) and materials.

A course's coordinators and the teachers of its cohorts write them; whoever may read the
course reads them. A material from the library is linked only by someone who may read that
item, and is shown only to readers the library lets read it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _

from minga.common import audio as audio_lib
from minga.common import audit
from minga.common.errors import DomainError
from minga.common.files import AUDIO, DOCUMENTS, IMAGES, check_upload, server_name
from minga.common.permissions import guarded, unguarded
from minga.common.views import readable_object

from ..audit_events import EducationEvent
from ..models import Course, CourseModule, Lesson, LessonAudio, LessonMaterial
from ..types import AudioState, MaterialKind

MEGABYTE = 1024 * 1024
MAX_AUDIO_BYTES = 200 * MEGABYTE
MAX_MATERIAL_BYTES = 50 * MEGABYTE


def _text(value: str, field_name: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("This field is required."), field_name, code="required")
    if len(value) > limit:
        raise DomainError(
            _("At most %(limit)d characters.") % {"limit": limit}, field_name, code="too_long"
        )
    return value


def _course_of_lesson(lesson: Lesson) -> Course:
    return lesson.module.course


# Modules and lessons ---------------------------------------------------------------------


@guarded("education.course.teach", on="course")
@transaction.atomic
def module_create(*, actor: Any, course: Course, title: str, summary: str = "") -> CourseModule:
    Course.objects.select_for_update().filter(pk=course.pk).first()
    last = course.modules.aggregate(last=Max("position"))["last"]
    module = CourseModule.objects.create(
        course=course,
        title=_text(title, "title", 200),
        summary=(summary or "").strip(),
        position=0 if last is None else last + 1,
    )
    audit.record(actor=actor, action=EducationEvent.MODULE_CHANGE, target=course)
    return module


@guarded("education.course.teach", on="module", via=lambda module: module.course)
@transaction.atomic
def lesson_create(*, actor: Any, module: CourseModule, title: str, body: str = "") -> Lesson:
    CourseModule.objects.select_for_update().filter(pk=module.pk).first()
    last = module.lessons.aggregate(last=Max("position"))["last"]
    lesson = Lesson.objects.create(
        module=module,
        title=_text(title, "title", 200),
        body=(body or "").strip(),
        position=0 if last is None else last + 1,
    )
    audit.record(actor=actor, action=EducationEvent.LESSON_CHANGE, target=module.course)
    return lesson


@guarded("education.course.teach", on="lesson", via=_course_of_lesson)
@transaction.atomic
def lesson_update(*, actor: Any, lesson: Lesson, title: str, body: str = "") -> Lesson:
    lesson.title = _text(title, "title", 200)
    lesson.body = (body or "").strip()
    lesson.save(update_fields=["title", "body", "updated_at"])
    audit.record(actor=actor, action=EducationEvent.LESSON_CHANGE, target=lesson.module.course)
    return lesson


def _swap(siblings: list[Any], row: Any, direction: str) -> bool:
    if direction not in ("up", "down"):
        raise DomainError(_("Move up or down."), "direction", code="unknown_direction")
    index = next(i for i, other in enumerate(siblings) if other.pk == row.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(siblings):
        return False
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    # Renumber the whole list: positions stay 0..n-1 whatever happened before.
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    return True


@guarded("education.course.teach", on="module", via=lambda module: module.course)
@transaction.atomic
def module_move(*, actor: Any, module: CourseModule, direction: str) -> bool:
    """Move a module one place up or down; False when it is already first or last."""
    siblings = list(CourseModule.objects.select_for_update().filter(course_id=module.course_id))
    moved = _swap(siblings, module, direction)
    if moved:
        audit.record(actor=actor, action=EducationEvent.MODULE_CHANGE, target=module.course)
    return moved


@guarded("education.course.teach", on="lesson", via=_course_of_lesson)
@transaction.atomic
def lesson_move(*, actor: Any, lesson: Lesson, direction: str) -> bool:
    """Move a lesson one place up or down in its module; False at either end."""
    siblings = list(Lesson.objects.select_for_update().filter(module_id=lesson.module_id))
    moved = _swap(siblings, lesson, direction)
    if moved:
        audit.record(actor=actor, action=EducationEvent.LESSON_CHANGE, target=lesson.module.course)
    return moved


# Recordings ------------------------------------------------------------------------------


@guarded("education.course.teach", on="lesson", via=_course_of_lesson)
@transaction.atomic
def lesson_audio_set(*, actor: Any, lesson: Lesson, upload: Any) -> LessonAudio:
    """Attach (or replace) the lesson's recording; the worker makes its light version."""
    kind = check_upload(upload, allowed=AUDIO, max_bytes=MAX_AUDIO_BYTES, field="audio")
    old = LessonAudio.objects.filter(lesson=lesson).first()
    if old is not None:
        old.file.delete(save=False)
        if old.low:
            old.low.delete(save=False)
        old.delete()
    recording = LessonAudio(
        lesson=lesson,
        mime=kind.mime,
        size_bytes=int(getattr(upload, "size", 0) or 0),
        duration_seconds=audio_lib.duration_seconds(upload),
    )
    recording.move_to(AudioState.CONVERTING)
    recording.file.save(server_name(kind), File(upload), save=False)
    recording.save()
    audit.record(actor=actor, action=EducationEvent.LESSON_CHANGE, target=lesson.module.course)
    return recording


@unguarded("the worker's step after an upload that was itself guarded; no person asks for it")
def make_low_bitrate(recording: LessonAudio) -> str:
    """The worker's step: encode the light version. Safe to run twice (it starts over);
    a file that cannot be decoded fails at once instead of being retried."""
    with recording.file.open("rb") as handle:
        try:
            light = audio_lib.low_bitrate(handle)
        except audio_lib.AudioError:
            return AudioState.FAILED
    if recording.low:
        recording.low.delete(save=False)
    recording.low.save(f"{recording.lesson.uuid.hex}-light.mp3", ContentFile(light), save=False)
    recording.low_size_bytes = len(light)
    recording.save(update_fields=["low", "low_size_bytes"])
    return AudioState.READY


# Materials -------------------------------------------------------------------------------


def _next_material_position(lesson: Lesson) -> int:
    last = lesson.materials.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@guarded("education.course.teach", on="lesson", via=_course_of_lesson)
@transaction.atomic
def material_add_file(*, actor: Any, lesson: Lesson, upload: Any, title: str) -> LessonMaterial:
    kind = check_upload(
        upload, allowed=DOCUMENTS | IMAGES | AUDIO, max_bytes=MAX_MATERIAL_BYTES, field="file"
    )
    material = LessonMaterial(
        lesson=lesson,
        kind=MaterialKind.FILE,
        title=_text(title, "title", 200),
        mime=kind.mime,
        size_bytes=int(getattr(upload, "size", 0) or 0),
        position=_next_material_position(lesson),
    )
    material.file.save(server_name(kind), File(upload), save=False)
    material.save()
    audit.record(actor=actor, action=EducationEvent.LESSON_CHANGE, target=lesson.module.course)
    return material


@guarded("education.course.teach", on="lesson", via=_course_of_lesson)
@transaction.atomic
def material_add_video(*, actor: Any, lesson: Lesson, url: str, title: str) -> LessonMaterial:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
        raise DomainError(
            _("Give the video's address, beginning with https://."), "url", code="invalid_url"
        )
    material = LessonMaterial.objects.create(
        lesson=lesson,
        kind=MaterialKind.VIDEO,
        title=_text(title, "title", 200),
        url=url,
        position=_next_material_position(lesson),
    )
    audit.record(actor=actor, action=EducationEvent.LESSON_CHANGE, target=lesson.module.course)
    return material


@guarded("education.course.teach", on="lesson", via=_course_of_lesson)
@transaction.atomic
def material_add_library_item(
    *, actor: Any, lesson: Lesson, item_uuid: Any, title: str = ""
) -> LessonMaterial:
    """Link an item of the library, which the actor must be allowed to read; its readers
    will see it only where the library lets them read it too."""
    import uuid as uuid_lib

    try:
        key = uuid_lib.UUID(str(item_uuid).strip().rstrip("/").rsplit("/", 1)[-1])
        item = readable_object(apps.get_model("library", "Item"), actor, key)
    except (ValueError, Http404) as error:
        raise DomainError(
            _("No item of the library you may read has this identifier."),
            "item",
            code="unknown_item",
        ) from error
    material = LessonMaterial.objects.create(
        lesson=lesson,
        kind=MaterialKind.LIBRARY,
        title=(title or "").strip()[:200] or str(item)[:200],
        library_item=item,
        position=_next_material_position(lesson),
    )
    audit.record(actor=actor, action=EducationEvent.LESSON_CHANGE, target=lesson.module.course)
    return material


@guarded("education.course.teach", on="material", via=lambda m: m.lesson.module.course)
@transaction.atomic
def material_remove(*, actor: Any, material: LessonMaterial) -> None:
    course = material.lesson.module.course
    if material.file:
        material.file.delete(save=False)
    material.delete()
    audit.record(actor=actor, action=EducationEvent.LESSON_CHANGE, target=course)
