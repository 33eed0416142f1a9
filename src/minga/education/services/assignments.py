"""Assignments, their due dates per cohort, the students' submissions and the teachers'
marks and feedback on the course's marking scale.

- A course's coordinators choose its marking scale (pass/fail, points with a pass mark, or a
  rubric) and how many assignments a student must pass; the scale is fixed once a mark was
  given on it.
- The course's staff set assignments; a cohort's staff may give their cohort its own due date.
- An accepted student sends text, a file (its type checked by its content), or both; sending
  again replaces the work until it is marked. Work sent after the due date is flagged late,
  or refused when the assignment does not accept late work.
- The cohort's staff mark each submission and write feedback; a student reads only their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.files import AUDIO, DOCUMENTS, IMAGES, check_upload, server_name
from minga.common.permissions import guarded, unguarded
from minga.core.education import marking

from .. import selectors
from ..audit_events import EducationEvent
from ..models import Assignment, Cohort, CohortDueDate, Course, CourseModule, Enrolment, Submission
from ..types import EnrolmentStatus

MEGABYTE = 1024 * 1024
MAX_SUBMISSION_BYTES = 20 * MEGABYTE
SUBMISSION_KINDS = DOCUMENTS | IMAGES | AUDIO
MAX_TEXT = 50_000
MAX_FEEDBACK = 20_000


def _scale_error(error: marking.ScaleError) -> DomainError:
    """The pure core's refusal, in the reader's language, naming the field (and line)."""
    messages = {
        "unknown_scale": _("Choose pass/fail, points or a rubric."),
        "rubric_empty": _("Write the rubric: a criterion a line, its levels after bars."),
        "points_out_of_range": _("The points are between 0 and the most points."),
        "pass_mark_out_of_range": _("The pass mark is between 0 and the most points."),
        "mark_required": _("Give the mark."),
        "level_out_of_range": _("Choose one of the criterion's levels."),
        "rubric_criterion": _("Line %(line)d: begin with the criterion's name."),
        "rubric_levels": _("Line %(line)d: a criterion has between 2 and 10 levels."),
        "rubric_level": _(
            "Line %(line)d: write each level as its name and its points, like “Good 3”."
        ),
        "rubric_too_long": _("Line %(line)d: a rubric has at most 30 criteria."),
    }
    message = messages.get(error.code, _("This mark does not fit the course's scale."))
    if "%(line)d" in message:
        message = message % {"line": error.line}
    return DomainError(message, error.field, code=error.code)


def _text(value: str, field_name: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("This field is required."), field_name, code="required")
    if len(value) > limit:
        raise DomainError(
            _("At most %(limit)d characters.") % {"limit": limit}, field_name, code="too_long"
        )
    return value


# The course's marking scale and rules ----------------------------------------------------


@dataclass(frozen=True)
class MarkingData:
    kind: str = marking.PASS_FAIL
    max_points: int = 0
    pass_points: int = 0
    rubric: str = ""
    assignments_to_pass: int = 0


@guarded("education.course.change", on="course")
@transaction.atomic
def marking_set(*, actor: Any, course: Course, data: MarkingData) -> Course:
    """Set the course's marking scale and how many assignments a student must pass."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    try:
        scale = marking.Scale(
            kind=data.kind,
            max_points=data.max_points,
            pass_points=data.pass_points,
            criteria=marking.parse_rubric(data.rubric) if data.kind == marking.RUBRIC else (),
        )
    except marking.ScaleError as error:
        raise _scale_error(error) from error
    stored = marking.to_data(scale)
    if (
        stored != marking.to_data(course.scale)
        and Submission.objects.filter(assignment__course=course, marked_at__isnull=False).exists()
    ):
        raise DomainError(
            _("Work was already marked on the course's scale: it cannot change now."),
            "kind",
            code="scale_in_use",
            status=409,
        )
    count = course.assignments.count()
    if not 0 <= data.assignments_to_pass <= count:
        raise DomainError(
            _("A student can pass at most the %(count)d assignments of the course.")
            % {"count": count},
            "assignments_to_pass",
            code="too_many_to_pass",
        )
    before = (course.marking_scale, course.assignments_to_pass)
    course.marking_scale = stored
    course.assignments_to_pass = data.assignments_to_pass
    course.save(update_fields=["marking_scale", "assignments_to_pass", "updated_at"])
    audit.record(
        actor=actor,
        action=EducationEvent.MARKING_CHANGE,
        target=course,
        changes={
            "marking_scale": [before[0], stored],
            "assignments_to_pass": [before[1], data.assignments_to_pass],
        },
    )
    return course


# Assignments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentData:
    title: str
    due_at: dt.datetime
    instructions: str = ""
    module: CourseModule | None = None
    accepts_late: bool = True
    is_final: bool = False


def _aware(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


@guarded("education.course.teach", on="course")
@transaction.atomic
def assignment_create(*, actor: Any, course: Course, data: AssignmentData) -> Assignment:
    _check_assignment(course, data, other_than=None)
    assignment = Assignment.objects.create(
        course=course,
        module=data.module,
        title=_text(data.title, "title", 200),
        instructions=_text(data.instructions, "instructions", MAX_TEXT, required=False),
        due_at=_aware(data.due_at),
        accepts_late=bool(data.accepts_late),
        is_final=bool(data.is_final),
    )
    audit.record(
        actor=actor,
        action=EducationEvent.ASSIGNMENT_CHANGE,
        target=course,
        changes={"assignment": [None, assignment.title]},
    )
    return assignment


def _check_assignment(course: Course, data: AssignmentData, *, other_than: int | None) -> None:
    if data.module is not None and data.module.course_id != course.pk:
        raise DomainError(
            _("This module is not one of the course's."), "module", code="unknown_module"
        )
    finals = course.assignments.filter(is_final=True)
    if other_than is not None:
        finals = finals.exclude(pk=other_than)
    if data.is_final and finals.exists():
        raise DomainError(
            _("The course already has a final assessment."), "is_final", code="final_exists"
        )


@guarded("education.course.teach", on="assignment", via=lambda assignment: assignment.course)
@transaction.atomic
def assignment_update(*, actor: Any, assignment: Assignment, data: AssignmentData) -> Assignment:
    """Change an assignment, also once work was sent (as Moodle allows): work already sent
    keeps its late flag as it was when sent, and its marks stay; what changed is audited."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    _check_assignment(assignment.course, data, other_than=assignment.pk)
    new = {
        "module": data.module,
        "title": _text(data.title, "title", 200),
        "instructions": _text(data.instructions, "instructions", MAX_TEXT, required=False),
        "due_at": _aware(data.due_at),
        "accepts_late": bool(data.accepts_late),
        "is_final": bool(data.is_final),
    }
    changes = {}
    for name, value in new.items():
        old = getattr(assignment, name)
        if old != value:
            changes[name] = [_audited(old), _audited(value)]
            setattr(assignment, name, value)
    if changes:
        assignment.save(update_fields=[*changes, "updated_at"])
        audit.record(
            actor=actor,
            action=EducationEvent.ASSIGNMENT_UPDATE,
            target=assignment.course,
            changes={"assignment": [assignment.title, assignment.title], **changes},
        )
    return assignment


def _audited(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, CourseModule):
        return str(value.uuid)
    return value


@guarded("education.course.teach", on="assignment", via=lambda assignment: assignment.course)
@transaction.atomic
def assignment_delete(*, actor: Any, assignment: Assignment, submissions_to_delete: int) -> None:
    """Delete an assignment with the students' work and marks for it, as Moodle does once
    its teacher confirms: ``submissions_to_delete`` is how many pieces of work the person
    was told would go; if more were sent meanwhile, nothing is deleted and they are told
    again. Certificates already issued stay as they are (valid until revoked); progress is
    counted again without the deleted marks."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    work = list(Submission.objects.select_for_update().filter(assignment=assignment))
    if len(work) != submissions_to_delete:
        raise DomainError(
            ngettext(
                "%(count)d piece of work was sent for this assignment: confirm again to delete"
                " it with the assignment.",
                "%(count)d pieces of work were sent for this assignment: confirm again to"
                " delete them with the assignment.",
                len(work),
            )
            % {"count": len(work)},
            "submissions_to_delete",
            code="submissions_changed",
            status=409,
        )
    marked = sum(1 for submission in work if submission.marked_at is not None)
    for submission in work:
        if submission.file:
            _delete_later(submission.file)
    Submission.objects.filter(pk__in=[submission.pk for submission in work]).delete()
    course, title = assignment.course, assignment.title
    assignment.delete()
    audit.record(
        actor=actor,
        action=EducationEvent.ASSIGNMENT_DELETE,
        target=course,
        changes={
            "assignment": [title, None],
            "submissions": [len(work), 0],
            "marked": [marked, 0],
        },
    )


@guarded("education.cohort.teach", on="cohort")
@transaction.atomic
def due_date_set(
    *, actor: Any, cohort: Cohort, assignment: Assignment, due_at: dt.datetime | None
) -> Assignment:
    """Give the cohort its own due date for the assignment (None: the course's again)."""
    if assignment.course_id != cohort.course_id:
        raise DomainError(
            _("This assignment is not of the cohort's course."),
            "assignment",
            code="unknown_assignment",
        )
    if due_at is None:
        CohortDueDate.objects.filter(assignment=assignment, cohort=cohort).delete()
    else:
        CohortDueDate.objects.update_or_create(
            assignment=assignment, cohort=cohort, defaults={"due_at": _aware(due_at)}
        )
    audit.record(
        actor=actor,
        action=EducationEvent.DUE_DATE_CHANGE,
        target=cohort,
        changes={"due_at": [None, due_at.isoformat() if due_at else None]},
    )
    return assignment


# Submissions -----------------------------------------------------------------------------


def _delete_later(field_file: Any) -> None:
    name = field_file.name
    storage = field_file.storage
    transaction.on_commit(lambda: storage.delete(name))


@guarded("education.assignment.submit", on="enrolment")
@transaction.atomic
def submission_send(
    *,
    actor: Any,
    enrolment: Enrolment,
    assignment: Assignment,
    text: str = "",
    upload: Any = None,
) -> Submission:
    """Send (or send again, until it is marked) the student's work for the assignment."""
    enrolment = Enrolment.objects.select_for_update().select_related("cohort").get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ACCEPTED:
        raise DomainError(
            _("Only students accepted in the cohort send work."),
            "enrolment",
            code="not_accepted",
            status=409,
        )
    if assignment.course_id != enrolment.cohort.course_id:
        raise DomainError(
            _("This assignment is not of your cohort's course."),
            "assignment",
            code="unknown_assignment",
        )
    existing = Submission.objects.filter(assignment=assignment, enrolment=enrolment).first()
    if existing is not None and existing.is_marked:
        raise DomainError(
            _("Your work was already marked: it cannot be sent again."),
            "assignment",
            code="already_marked",
            status=409,
        )
    now = timezone.now()
    is_late = now > selectors.due_for(assignment, enrolment.cohort)
    if is_late and not assignment.accepts_late:
        raise DomainError(
            _("The due date has passed and this assignment does not accept late work."),
            "assignment",
            code="past_due",
            status=409,
        )
    text = _text(text, "text", MAX_TEXT, required=False)
    kind = None
    if upload is not None:
        kind = check_upload(
            upload, allowed=SUBMISSION_KINDS, max_bytes=MAX_SUBMISSION_BYTES, field="file"
        )
    if not text and kind is None:
        raise DomainError(_("Write your work or attach a file."), "text", code="empty_submission")
    submission = existing or Submission(assignment=assignment, enrolment=enrolment, times_sent=0)
    if submission.file:
        _delete_later(submission.file)
        submission.file = None
    submission.text = text
    submission.file_name = ""
    submission.mime = ""
    submission.size_bytes = 0
    if kind is not None:
        submission.file.save(server_name(kind), File(upload), save=False)
        submission.file_name = str(getattr(upload, "name", "") or "")[-200:]
        submission.mime = kind.mime
        submission.size_bytes = int(getattr(upload, "size", 0) or 0)
    submission.submitted_at = now
    submission.is_late = is_late
    submission.times_sent += 1
    submission.save()
    audit.record(
        actor=actor,
        action=EducationEvent.SUBMISSION_SEND,
        target=enrolment.cohort,
        changes={"assignment": [None, assignment.title], "late": [None, is_late]},
    )
    return submission


@dataclass(frozen=True)
class MarkData:
    passed: bool | None = None
    points: int | None = None
    levels: tuple[int, ...] = ()
    feedback: str = ""


@guarded(
    "education.cohort.teach", on="submission", via=lambda submission: submission.enrolment.cohort
)
@transaction.atomic
def submission_mark(*, actor: Any, submission: Submission, data: MarkData) -> Submission:
    """Mark the work on the course's scale, with feedback (marking again corrects it)."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("assignment__course", "enrolment__cohort")
        .get(pk=submission.pk)
    )
    scale = submission.assignment.course.scale
    try:
        result = marking.evaluate(
            scale, marking.Mark(passed=data.passed, points=data.points, levels=tuple(data.levels))
        )
    except marking.ScaleError as error:
        raise _scale_error(error) from error
    feedback = _text(data.feedback, "feedback", MAX_FEEDBACK, required=False)
    before = [submission.passed, submission.points]
    submission.passed = result.passed
    submission.points = result.points
    submission.levels = list(data.levels) if scale.kind == marking.RUBRIC else []
    submission.feedback = feedback
    submission.marked_at = timezone.now()
    submission.marked_by = actor if getattr(actor, "is_authenticated", False) else None
    submission.save(
        update_fields=[
            "passed",
            "points",
            "levels",
            "feedback",
            "marked_at",
            "marked_by",
            "updated_at",
        ]
    )
    audit.record(
        actor=actor,
        action=EducationEvent.SUBMISSION_MARK,
        target=submission.enrolment.cohort,
        changes={"passed": [before[0], result.passed], "points": [before[1], result.points]},
    )
    from ..tasks import tell_marked  # the task calls back into this module

    submission_id = submission.pk
    transaction.on_commit(lambda: tell_marked.enqueue(submission_id))
    return submission


@unguarded("the worker's email after a marking; no person asks for it")
@transaction.atomic
def submission_mark_tell(submission_id: int) -> bool:
    """Email the student that their work was marked (in their language, with the link to
    their mark and feedback), once per marking: safe to run twice, and a marking corrected
    before the email left is told once, as it now stands. Returns whether an email left.
    A failed email leaves the marking untold (the task may be run again)."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("assignment__course", "enrolment__person", "enrolment__cohort")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or submission.marked_at is None:
        return False
    if submission.mark_told_at is not None and submission.mark_told_at >= submission.marked_at:
        return False
    person = submission.enrolment.person
    if not (person.is_active and person.email):
        return False
    course = submission.assignment.course
    with translation.override(person.language or settings.LANGUAGE_CODE):
        values = {
            "assignment": submission.assignment.title,
            "course": course.title,
            "mark": selectors.mark_text(course.scale, submission),
            "url": settings.SITE_URL + submission.get_absolute_url(),
        }
        subject = _("Your work for %(assignment)s was marked") % values
        body = (
            _(
                "Your teacher marked your work for %(assignment)s (%(course)s): %(mark)s.\n\n"
                "Read the mark and the feedback on your work's page (only you and your "
                "teachers see them):\n%(url)s"
            )
            % values
        )
    send_mail(subject, body, None, [person.email])
    submission.mark_told_at = submission.marked_at
    submission.save(update_fields=["mark_told_at"])
    return True
