"""The catalogue: schools, their courses, and creating them."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require
from minga.registry.selectors import (
    DECIDING_ROLES,
    organization_ids_with_role,
    organizations_by_ids,
)

from .. import selectors, services
from ..forms import CohortForm, CourseForm, SchoolForm
from ._shared import form_error, post_data
from .translations import language_name


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "education/index.html",
        {
            "schools": selectors.visible_schools(user),
            "courses": selectors.visible_courses(user)[:100],
            "enrolments": selectors.my_enrolments(user),
            "teaching": selectors.staffed_cohorts(user),
            "may_open_school": has_perm(user, "education.school.create"),
        },
    )


def school_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    school = selectors.get_school_for(request.user, uuid)
    return render(
        request,
        "education/school_detail.html",
        {
            "school": school,
            "courses": selectors.visible_courses(request.user).filter(school=school),
            "can_coordinate": has_perm(request.user, "education.school.coordinate", school),
        },
    )


@login_required
def school_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "education.school.create")
    organizations = organizations_by_ids(organization_ids_with_role(request.user, DECIDING_ROLES))
    form = SchoolForm(post_data(request), organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.school_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The school was opened."))
            return redirect(school)
    return render(
        request,
        "education/form_page.html",
        {"form": form, "title": _("A new school"), "button": _("Open the school")},
    )


def course_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    course = selectors.get_course_for(request.user, uuid)
    language = get_language() or course.language
    original = bool(request.GET.get("original"))
    shown = selectors.course_for_reader(course, language, original=original)
    cohorts = selectors.cohorts_with_seats(course.cohorts.all())
    for cohort in cohorts:
        cohort.is_open = selectors.is_open_for_applications(cohort)  # type: ignore[attr-defined]
    return render(
        request,
        "education/course_detail.html",
        {
            "course": course,
            "shown": shown,
            "original_language": language_name(course.language),
            # Reading the original: the way back to the reader's language, when there is one.
            "reader_translation": selectors.course_for_reader(course, language).translation
            if original
            else None,
            "translations": list(course.translations.all()),
            "cohorts": cohorts,
            "prerequisites": selectors.visible_courses(request.user).filter(
                pk__in=course.prerequisites.values("pk")
            ),
            "can_change": has_perm(request.user, "education.course.change", course),
            "can_teach": has_perm(request.user, "education.course.teach", course),
            "outline": selectors.course_outline(course),
            "topics": list(course.topics.all()),
            "assignments": list(selectors.course_assignments(course)),
        },
    )


@login_required
def course_new(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    school = selectors.get_school_for(request.user, uuid)
    require(request.user, "education.school.coordinate", school)
    form = CourseForm(
        post_data(request),
        initial={"language": school.language},
        earlier_courses=selectors.visible_courses(request.user).filter(school=school),
    )
    if request.method == "POST" and form.is_valid():
        try:
            data = {**form.cleaned_data}
            data["topics"] = list(data.get("topics") or [])
            data["prerequisites"] = list(data.get("prerequisites") or [])
            course = services.course_create(actor=request.user, school=school, **data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The course was created."))
            return redirect(course)
    return render(
        request,
        "education/form_page.html",
        {"form": form, "title": _("A new course"), "button": _("Create"), "context": school},
    )


@login_required
def cohort_new(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    course = selectors.get_course_for(request.user, uuid)
    require(request.user, "education.course.change", course)
    form = CohortForm(post_data(request), initial={"teachers": request.user.get_username()})
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(
                actor=request.user, course=course, data=services.CohortData(**form.cleaned_data)
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The cohort was opened."))
            return redirect(cohort)
    return render(
        request,
        "education/form_page.html",
        {
            "form": form,
            "title": _("A new cohort"),
            "button": _("Open the cohort"),
            "context": course,
        },
    )
