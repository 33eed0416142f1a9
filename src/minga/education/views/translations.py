"""A course's translations: the list with each one's status, writing or correcting one,
a machine's draft, a coordinator's review, and taking one away."""

from __future__ import annotations

import uuid as uuid_lib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require
from minga.common.translation import machine_translator

from .. import selectors, services
from ..forms import CourseTranslationForm
from ._shared import form_error, post_data


def language_name(code: str) -> str:
    """The language's name in the reader's language, or its tag when Django does not know it."""
    try:
        return str(get_language_info(code.split("-")[0])["name_translated"])
    except KeyError:
        return code


@login_required
def course_translations(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    course = selectors.get_course_for(request.user, uuid)
    require(request.user, "education.course.teach", course)
    translations = selectors.course_translations(course)
    taken = {t.language.split("-")[0] for t in translations} | {course.language.split("-")[0]}
    languages = [(code, language_name(code)) for code, _name in settings.LANGUAGES]
    languages = [(code, name) for code, name in languages if code.split("-")[0] not in taken]
    machine = machine_translator() is not None
    if request.method == "POST" and machine and "machine" in request.POST:
        try:
            translation = services.course_translation_prefill(
                actor=request.user, course=course, language=request.POST.get("language", "")
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The machine's translation is shown until a person corrects it.")
            )
            return redirect(
                "education:course_translation", uuid=course.uuid, language=translation.language
            )
    form = CourseTranslationForm(post_data(request), languages=languages) if languages else None
    if request.method == "POST" and "machine" not in request.POST and form and form.is_valid():
        try:
            translation = services.course_translation_save(
                actor=request.user, course=course, **form.cleaned_data
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The translation was saved; readers see it now."))
            return redirect(
                "education:course_translation", uuid=course.uuid, language=translation.language
            )
    return render(
        request,
        "education/course_translations.html",
        {
            "course": course,
            "translations": [(t, language_name(t.language)) for t in translations],
            "form": form,
            "can_review": has_perm(request.user, "education.course.change", course),
            "machine_available": machine,
        },
    )


@login_required
def course_translation(request: HttpRequest, uuid: uuid_lib.UUID, language: str) -> HttpResponse:
    course = selectors.get_course_for(request.user, uuid)
    require(request.user, "education.course.teach", course)
    translation = course.translations.filter(language=language).first()
    if translation is None:
        raise Http404
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    form = CourseTranslationForm(
        post_data(request) if action == "save" else None,
        languages=None,
        initial={"title": translation.title, "description": translation.text},
    )
    done = {
        "save": _("The translation was saved; readers see it now."),
        "review": _("The translation is marked as reviewed."),
        "machine": _("The machine's translation is shown until a person corrects it."),
    }
    try:
        if action == "save" and form.is_valid():
            services.course_translation_save(
                actor=request.user, course=course, language=language, **form.cleaned_data
            )
        elif action == "review":
            services.course_translation_review(actor=request.user, course=course, language=language)
        elif action == "machine":
            services.course_translation_prefill(
                actor=request.user, course=course, language=language
            )
        elif action == "remove":
            services.course_translation_remove(actor=request.user, course=course, language=language)
            messages.success(request, _("The translation was taken away."))
            return redirect("education:course_translations", uuid=course.uuid)
        if action in done and not form.errors:
            messages.success(request, done[action])
            return redirect(request.path)
    except DomainError as error:
        if action == "save":
            form_error(form, error)
        else:
            messages.error(request, error.message)
    return render(
        request,
        "education/course_translation.html",
        {
            "course": course,
            "translation": translation,
            "language_name": language_name(translation.language),
            "form": form,
            "can_review": has_perm(request.user, "education.course.change", course),
            "machine_available": machine_translator() is not None and translation.machine,
        },
    )
