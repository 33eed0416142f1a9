"""Assignments: the course's marking scale, setting assignments, a cohort's page of an
assignment (the student's work and form; the staff's list of the cohort's work and its due
date), and one piece of work with its mark and feedback."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require
from minga.core.education import marking

from .. import selectors, services
from ..forms import AssignmentForm, DueDateForm, MarkingForm, SubmissionForm, mark_form
from ._shared import form_error, post_data


@login_required
def marking_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    course = selectors.get_course_for(request.user, uuid)
    require(request.user, "education.course.change", course)
    scale = course.scale
    form = MarkingForm(
        post_data(request),
        initial={
            "kind": scale.kind,
            "max_points": scale.max_points if scale.kind == marking.POINTS else None,
            "pass_points": scale.pass_points if scale.kind != marking.PASS_FAIL else None,
            "rubric": marking.format_rubric(scale.criteria),
            "assignments_to_pass": course.assignments_to_pass,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.marking_set(
                actor=request.user,
                course=course,
                data=services.MarkingData(
                    kind=data["kind"],
                    max_points=data["max_points"] or 0,
                    pass_points=data["pass_points"] or 0,
                    rubric=data["rubric"],
                    assignments_to_pass=data["assignments_to_pass"],
                ),
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The marking scale and rules were saved."))
            return redirect(course)
    return render(
        request,
        "education/form_page.html",
        {
            "form": form,
            "title": _("Marking scale and rules"),
            "button": _("Save"),
            "context": course,
        },
    )


@login_required
def assignment_new(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    course = selectors.get_course_for(request.user, uuid)
    require(request.user, "education.course.teach", course)
    form = AssignmentForm(post_data(request), modules=list(course.modules.all()))
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_create(
                actor=request.user, course=course, data=services.AssignmentData(**form.cleaned_data)
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The assignment was set."))
            return redirect(course)
    return render(
        request,
        "education/form_page.html",
        {"form": form, "title": _("A new assignment"), "button": _("Set"), "context": course},
    )


def assignment_in_cohort(
    request: HttpRequest, uuid: uuid_lib.UUID, assignment: uuid_lib.UUID
) -> HttpResponse:
    """The assignment as a cohort meets it: a student reads and sends their own work; the
    cohort's staff see the cohort's work and may change the cohort's due date."""
    user = request.user
    cohort = selectors.get_cohort_for(user, uuid)
    task = selectors.get_assignment_for(user, assignment, cohort=cohort)
    is_staff = has_perm(user, "education.cohort.teach", cohort)
    mine = selectors.my_enrolments(user).filter(cohort=cohort).first()
    due = selectors.due_for(task, cohort)
    submission = selectors.submission_of(mine, task) if mine is not None else None
    form = None
    if mine is not None and mine.is_accepted and not (submission and submission.is_marked):
        form = SubmissionForm(
            post_data(request),
            request.FILES or None,
            initial={"text": submission.text if submission else ""},
        )
        if request.method == "POST" and form.is_valid():
            try:
                sent = services.submission_send(
                    actor=user,
                    enrolment=mine,
                    assignment=task,
                    text=form.cleaned_data["text"],
                    upload=form.cleaned_data["file"],
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(
                    request,
                    _("Your work was sent, after the due date: it is marked as late.")
                    if sent.is_late
                    else _("Your work was sent."),
                )
                return redirect(task.url_in(cohort))
    elif request.method == "POST":
        raise Http404
    scale = task.course.scale
    context: dict[str, Any] = {
        "cohort": cohort,
        "course": cohort.course,
        "assignment": task,
        "due": due,
        "mine": mine,
        "submission": submission,
        "my_mark": selectors.mark_text(scale, submission) if submission else "",
        "form": form,
        "is_staff": is_staff,
    }
    if is_staff:
        page = Paginator(selectors.cohort_submissions(cohort, task), 50).get_page(
            request.GET.get("page")
        )
        context["page"] = page
        context["rows"] = [(row, selectors.mark_text(scale, row)) for row in page.object_list]
        context["due_form"] = DueDateForm(initial={"due_at": due if due != task.due_at else None})
    return render(request, "education/assignment.html", context)


@login_required
@require_POST
def due_date(request: HttpRequest, uuid: uuid_lib.UUID, assignment: uuid_lib.UUID) -> HttpResponse:
    cohort = selectors.get_cohort_for(request.user, uuid)
    task = selectors.get_assignment_for(request.user, assignment, cohort=cohort)
    form = DueDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and time, or leave the field empty."))
        return redirect(task.url_in(cohort))
    try:
        services.due_date_set(
            actor=request.user, cohort=cohort, assignment=task, due_at=form.cleaned_data["due_at"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The cohort's due date was saved."))
    return redirect(task.url_in(cohort))


@login_required
def submission_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """A piece of work: the student reads their mark and feedback; the staff mark it."""
    submission = selectors.get_submission_for(request.user, uuid)
    cohort = submission.enrolment.cohort
    scale = submission.assignment.course.scale
    is_staff = has_perm(request.user, "education.cohort.teach", cohort)
    form = None
    if is_staff:
        form = mark_form(scale, submission)(post_data(request))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            levels = tuple(data[f"level_{i}"] for i in range(len(scale.criteria)))
            try:
                services.submission_mark(
                    actor=request.user,
                    submission=submission,
                    data=services.SubmissionMark(
                        passed=data.get("passed"),
                        points=data.get("points"),
                        levels=levels if scale.kind == marking.RUBRIC else (),
                        feedback=data["feedback"],
                    ),
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The mark and feedback were saved."))
                return redirect(submission.assignment.url_in(cohort))
    elif request.method == "POST":
        raise Http404
    chosen = []
    if scale.kind == marking.RUBRIC and submission.marked_at is not None:
        for criterion, index in zip(scale.criteria, submission.levels, strict=False):
            level = criterion.levels[index] if 0 <= index < len(criterion.levels) else None
            if level is not None:
                chosen.append((criterion.name, level.name, level.points))
    return render(
        request,
        "education/submission.html",
        {
            "submission": submission,
            "assignment": submission.assignment,
            "cohort": cohort,
            "course": submission.assignment.course,
            "mark": selectors.mark_text(scale, submission),
            "chosen": chosen,
            "form": form,
            "is_staff": is_staff,
        },
    )


def _taught_assignment(request: HttpRequest, uuid: uuid_lib.UUID) -> Any:
    task = selectors.get_assignment_for(request.user, uuid)
    require(request.user, "education.course.teach", task.course)
    return task


@login_required
def assignment_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Change an assignment (the course's staff), also once work was sent."""
    task = _taught_assignment(request, uuid)
    course = task.course
    form = AssignmentForm(
        post_data(request),
        modules=list(course.modules.all()),
        initial={
            "title": task.title,
            "instructions": task.instructions,
            "due_at": timezone.localtime(task.due_at).strftime("%Y-%m-%dT%H:%M"),
            "accepts_late": task.accepts_late,
            "is_final": task.is_final,
            "module": str(task.module.uuid) if task.module else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_update(
                actor=request.user,
                assignment=task,
                data=services.AssignmentData(**form.cleaned_data),
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The assignment was changed."))
            return redirect(course)
    return render(
        request,
        "education/form_page.html",
        {
            "form": form,
            "title": _("Change the assignment"),
            "button": _("Save"),
            "context": course,
        },
    )


@login_required
def assignment_delete(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Delete an assignment, with the work sent for it once the teacher confirms (Moodle's
    way); the page says how many pieces of work, and how many marked, will go."""
    task = _taught_assignment(request, uuid)
    course = task.course
    work = selectors.assignment_work_counts(task)
    if request.method == "POST":
        try:
            sent = int(request.POST.get("submissions_to_delete", "-1"))
        except ValueError:
            sent = -1
        try:
            services.assignment_delete(
                actor=request.user, assignment=task, submissions_to_delete=sent
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("education:assignment_delete", uuid=task.uuid)
        messages.success(request, _("The assignment was deleted."))
        return redirect(course)
    return render(
        request,
        "education/assignment_delete.html",
        {"assignment": task, "course": course, "work": work},
    )
