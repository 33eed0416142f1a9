"""Modules and lessons: reading them (online, or downloaded for reading offline) and, for a
course's staff, writing them, their recordings and their materials."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common import documents
from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require

from .. import selectors, services
from ..forms import AudioForm, LessonForm, MaterialForm, ModuleForm
from ..models import CourseModule
from ..types import MaterialKind
from ._shared import form_error, post_data


def _form_page(
    request: HttpRequest, form: Any, title: str, button: str, context: Any
) -> HttpResponse:
    return render(
        request,
        "education/form_page.html",
        {
            "form": form,
            "title": title,
            "button": button,
            "context": context,
            "multipart": form.is_multipart(),
        },
    )


def module_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    module = selectors.get_module_for(request.user, uuid)
    return render(
        request,
        "education/module_detail.html",
        {
            "module": module,
            "course": module.course,
            "lessons": list(module.lessons.all()),
            "can_teach": has_perm(request.user, "education.course.teach", module.course),
        },
    )


def lesson_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    lesson = selectors.get_lesson_for(request.user, uuid)
    siblings = list(lesson.module.lessons.all())
    index = next(i for i, other in enumerate(siblings) if other.pk == lesson.pk)
    can_teach = has_perm(request.user, "education.course.teach", lesson.module.course)
    materials = selectors.materials_for(request.user, lesson)
    return render(
        request,
        "education/lesson_detail.html",
        {
            "lesson": lesson,
            "module": lesson.module,
            "course": lesson.module.course,
            "recording": selectors.recording_of(lesson),
            "files": [m for m in materials if m.kind != MaterialKind.VIDEO],
            "videos": [m for m in materials if m.kind == MaterialKind.VIDEO],
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
            "can_teach": can_teach,
            "audio_form": AudioForm() if can_teach else None,
        },
    )


def _absolute(url: str) -> str:
    return url if url.startswith("http") else settings.SITE_URL + url


def module_document(user: Any, module: CourseModule) -> documents.Document:
    """The module as one document: every lesson's text, and where its recording (the light
    version first), videos and materials are."""
    course = module.course
    sections = []
    for lesson in module.lessons.all():
        paragraphs = [lesson.body] if lesson.body else []
        recording = selectors.recording_of(lesson)
        if recording is not None:
            light = recording.low if recording.low else recording.file
            paragraphs.append(f"[{_('Listen to the lesson')}]({_absolute(light.url)})")
        links = []
        for material in selectors.materials_for(user, lesson):
            if material.kind == MaterialKind.VIDEO:
                target = material.url
            elif material.kind == MaterialKind.FILE:
                target = _absolute(material.file.url)
            else:
                target = _absolute(material.library_item.get_absolute_url())  # type: ignore[union-attr]
            title = material.title.replace("[", "(").replace("]", ")")
            links.append(f"- [{title}]({target})")
        if links:
            paragraphs.append("\n".join(links))
        sections.append(
            documents.Section(heading=lesson.title, paragraphs=paragraphs, language=course.language)
        )
    if module.summary:
        sections.insert(
            0,
            documents.Section(
                heading=_("Summary"), paragraphs=[module.summary], language=course.language
            ),
        )
    return documents.Document(
        title=module.title,
        language=course.language,
        meta=[f"{course.title} · {course.school.name}", _absolute(module.get_absolute_url())],
        sections=sections,
    )


def module_offline(request: HttpRequest, uuid: uuid_lib.UUID, fmt: str) -> HttpResponse:
    """The module to keep on the phone: a light HTML page (no script, no image) or a PDF."""
    if fmt not in ("html", "pdf"):
        raise Http404
    module = selectors.get_module_for(request.user, uuid)
    document = module_document(request.user, module)
    name = slugify(module.title)[:60] or "module"
    if fmt == "pdf":
        response = HttpResponse(documents.render_pdf(document), content_type="application/pdf")
    else:
        response = HttpResponse(
            documents.render_html(document), content_type="text/html; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def module_new(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    course = selectors.get_course_for(request.user, uuid)
    require(request.user, "education.course.teach", course)
    form = ModuleForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            module = services.module_create(actor=request.user, course=course, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The module was added."))
            return redirect(module)
    return _form_page(request, form, _("A new module"), _("Add"), course)


@login_required
def lesson_new(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    module = selectors.get_module_for(request.user, uuid)
    require(request.user, "education.course.teach", module.course)
    form = LessonForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services.lesson_create(actor=request.user, module=module, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The lesson was added."))
            return redirect(lesson)
    return _form_page(request, form, _("A new lesson"), _("Add"), module)


@login_required
def lesson_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    lesson = selectors.get_lesson_for(request.user, uuid)
    require(request.user, "education.course.teach", lesson.module.course)
    form = LessonForm(post_data(request), initial={"title": lesson.title, "body": lesson.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_update(actor=request.user, lesson=lesson, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The lesson was saved."))
            return redirect(lesson)
    return _form_page(request, form, _("Change the lesson"), _("Save"), lesson)


@login_required
@require_POST
def lesson_move(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    lesson = selectors.get_lesson_for(request.user, uuid)
    try:
        moved = services.lesson_move(
            actor=request.user, lesson=lesson, direction=request.POST.get("direction", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if moved:
            messages.success(request, _("The lesson was moved."))
        else:
            messages.info(request, _("The lesson is already at that end."))
    return redirect(lesson.module)


@login_required
@require_POST
def module_move(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    module = selectors.get_module_for(request.user, uuid)
    try:
        moved = services.module_move(
            actor=request.user, module=module, direction=request.POST.get("direction", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if moved:
            messages.success(request, _("The module was moved."))
        else:
            messages.info(request, _("The module is already at that end."))
    return redirect(module.course)


@login_required
@require_POST
def lesson_audio(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    lesson = selectors.get_lesson_for(request.user, uuid)
    require(request.user, "education.course.teach", lesson.module.course)
    form = AudioForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a recording to upload."))
        return redirect(lesson)
    try:
        services.lesson_audio_set(
            actor=request.user, lesson=lesson, upload=form.cleaned_data["audio"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The recording was added. Its light version will be ready in a few minutes."),
        )
    return redirect(lesson)


@login_required
def material_new(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    lesson = selectors.get_lesson_for(request.user, uuid)
    require(request.user, "education.course.teach", lesson.module.course)
    form = MaterialForm(post_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == MaterialKind.FILE:
                services.material_add_file(
                    actor=request.user, lesson=lesson, upload=data["file"], title=data["title"]
                )
            elif data["kind"] == MaterialKind.LIBRARY:
                services.material_add_library_item(
                    actor=request.user, lesson=lesson, item_uuid=data["item"], title=data["title"]
                )
            else:
                services.material_add_video(
                    actor=request.user, lesson=lesson, url=data["url"], title=data["title"]
                )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The material was added."))
            return redirect(lesson)
    return _form_page(request, form, _("A new material"), _("Add"), lesson)


@login_required
@require_POST
def material_remove(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    material = selectors.get_material_for(request.user, uuid)
    lesson = material.lesson
    try:
        services.material_remove(actor=request.user, material=material)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The material was removed."))
    return redirect(lesson)
