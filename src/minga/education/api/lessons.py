"""Modules, lessons and their materials: read by whoever may read the course; written by
its coordinators and teachers (files and recordings are uploaded on the pages)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from minga.common.api import ErrorOut, caller, signed_in
from minga.common.markdown import render_markdown

from .. import selectors, services

router = Router(tags=["education"])


def _absolute(url: str) -> str:
    return url if url.startswith("http") else settings.SITE_URL + url


class MaterialOut(Schema):
    uuid: UUID
    kind: str
    title: str
    url: str
    size_bytes: int


class RecordingOut(Schema):
    url: str
    mime: str
    size_bytes: int
    duration_seconds: int | None
    light_url: str | None
    light_size_bytes: int
    state: str


class LessonSummaryOut(Schema):
    uuid: UUID
    url: str
    title: str
    position: int


class ModuleOut(Schema):
    uuid: UUID
    title: str
    summary: str
    position: int
    offline_html: str
    lessons: list[LessonSummaryOut]


class LessonOut(Schema):
    uuid: UUID
    url: str
    module: UUID
    title: str
    body: str
    body_html: str
    position: int
    recording: RecordingOut | None
    materials: list[MaterialOut]


class ModuleIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = ""


class LessonIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = ""


class VideoIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    url: str = Field(..., max_length=500)


class LibraryItemIn(Schema):
    item: UUID
    title: str = Field("", max_length=200)


def _material(material: Any) -> MaterialOut:
    if material.kind == "video":
        url = material.url
    elif material.kind == "file":
        url = _absolute(material.file.url)
    else:
        url = material.library_item.get_canonical_url()
    return MaterialOut(
        uuid=material.uuid,
        kind=material.kind,
        title=material.title,
        url=url,
        size_bytes=material.size_bytes,
    )


def _lesson_summary(lesson: Any) -> LessonSummaryOut:
    return LessonSummaryOut(
        uuid=lesson.uuid,
        url=lesson.get_canonical_url(),
        title=lesson.title,
        position=lesson.position,
    )


def _module(module: Any) -> ModuleOut:
    from django.urls import reverse

    return ModuleOut(
        uuid=module.uuid,
        title=module.title,
        summary=module.summary,
        position=module.position,
        offline_html=_absolute(
            reverse("education:module_offline", kwargs={"uuid": module.uuid, "fmt": "html"})
        ),
        lessons=[_lesson_summary(lesson) for lesson in module.lessons.all()],
    )


def _lesson(user: Any, lesson: Any) -> LessonOut:
    recording = selectors.recording_of(lesson)
    return LessonOut(
        uuid=lesson.uuid,
        url=lesson.get_canonical_url(),
        module=lesson.module.uuid,
        title=lesson.title,
        body=lesson.body,
        body_html=str(render_markdown(lesson.body)),
        position=lesson.position,
        recording=None
        if recording is None
        else RecordingOut(
            url=_absolute(recording.file.url),
            mime=recording.mime,
            size_bytes=recording.size_bytes,
            duration_seconds=recording.duration_seconds,
            light_url=_absolute(recording.low.url) if recording.low else None,
            light_size_bytes=recording.low_size_bytes,
            state=recording.state,
        ),
        materials=[_material(m) for m in selectors.materials_for(user, lesson)],
    )


@router.get("/courses/{uuid}/modules", response={200: list[ModuleOut], 404: ErrorOut})
def list_modules(request: HttpRequest, uuid: UUID) -> Any:
    course = selectors.get_course_for(caller(request), uuid)
    return [_module(module) for module in selectors.course_outline(course)]


@router.get("/lessons/{uuid}", response={200: LessonOut, 404: ErrorOut})
def get_lesson(request: HttpRequest, uuid: UUID) -> Any:
    user = caller(request)
    return _lesson(user, selectors.get_lesson_for(user, uuid))


@router.post(
    "/courses/{uuid}/modules",
    response={201: ModuleOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_module(request: HttpRequest, uuid: UUID, payload: ModuleIn) -> Any:
    user = signed_in(request)
    course = selectors.get_course_for(user, uuid)
    module = services.module_create(actor=user, course=course, **payload.dict())
    return Status(201, _module(module))


@router.post(
    "/modules/{uuid}/lessons",
    response={201: LessonOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_lesson(request: HttpRequest, uuid: UUID, payload: LessonIn) -> Any:
    user = signed_in(request)
    module = selectors.get_module_for(user, uuid)
    lesson = services.lesson_create(actor=user, module=module, **payload.dict())
    return Status(201, _lesson(user, lesson))


@router.post(
    "/lessons/{uuid}/videos",
    response={201: MaterialOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def add_video(request: HttpRequest, uuid: UUID, payload: VideoIn) -> Any:
    user = signed_in(request)
    lesson = selectors.get_lesson_for(user, uuid)
    return Status(
        201, _material(services.material_add_video(actor=user, lesson=lesson, **payload.dict()))
    )


@router.post(
    "/lessons/{uuid}/library-items",
    response={201: MaterialOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def add_library_item(request: HttpRequest, uuid: UUID, payload: LibraryItemIn) -> Any:
    user = signed_in(request)
    lesson = selectors.get_lesson_for(user, uuid)
    material = services.material_add_library_item(
        actor=user, lesson=lesson, item_uuid=payload.item, title=payload.title
    )
    return Status(201, _material(material))
