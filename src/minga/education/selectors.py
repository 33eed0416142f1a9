"""Reads of education that users see.

Courses go through the platform's one visibility rule (with education's staff rule plugged
in, ``education.access``); cohorts and sessions follow their course; an enrolment, its
attendance and its progress are read by the student and the cohort's staff only. What the
reader may not see answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from minga.common.registration import Attention
from minga.common.views import readable_object
from minga.common.visibility import can_view, filter_visible, viewer_for
from minga.core.education.attendance import Mark, Resolution, resolve
from minga.core.education.completion import Progress, StudentRecord, progress
from minga.registry.selectors import DECIDING_ROLES, organization_ids_with_role

from .models import (
    AttendanceRecord,
    Certificate,
    Cohort,
    Course,
    CourseModule,
    Enrolment,
    Lesson,
    LessonAudio,
    LessonMaterial,
    School,
    Session,
    Topic,
)
from .types import EnrolmentStatus

# Schools and courses ---------------------------------------------------------------------


def visible_schools(user: Any) -> QuerySet[School]:
    return School.objects.select_related("organization")


def get_school_for(user: Any, uuid: Any) -> School:
    try:
        return visible_schools(user).get(uuid=uuid)
    except School.DoesNotExist as error:
        raise Http404 from error


def coordinated_schools(user: Any) -> QuerySet[School]:
    return School.objects.filter(
        organization_id__in=organization_ids_with_role(user, DECIDING_ROLES)
    )


def is_coordinator(user: Any, school: School) -> bool:
    return school.organization_id in organization_ids_with_role(user, DECIDING_ROLES)


def visible_courses(user: Any) -> QuerySet[Course]:
    return filter_visible(Course.objects.select_related("school"), viewer_for(user))


def can_view_course(user: Any, course: Course) -> bool:
    return can_view(course, viewer_for(user))


def get_course_for(user: Any, uuid: Any) -> Course:
    try:
        return visible_courses(user).get(uuid=uuid)
    except Course.DoesNotExist as error:
        raise Http404 from error


def is_course_staff(user: Any, course: Course) -> bool:
    """Coordinators of the course's school and teachers of any of its cohorts."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_coordinator(user, course.school) or course.cohorts.filter(teachers=user).exists()


def topics() -> QuerySet[Topic]:
    return Topic.objects.all()


# Modules, lessons and materials ----------------------------------------------------------
# They are read by whoever may read their course.


def course_outline(course: Course) -> list[CourseModule]:
    """The course's modules in order, each with its lessons in order (two queries)."""
    return list(course.modules.prefetch_related("lessons"))


def get_module_for(user: Any, uuid: Any) -> CourseModule:
    try:
        return CourseModule.objects.select_related("course", "course__school").get(
            uuid=uuid, course__in=visible_courses(user)
        )
    except CourseModule.DoesNotExist as error:
        raise Http404 from error


def get_lesson_for(user: Any, uuid: Any) -> Lesson:
    try:
        return Lesson.objects.select_related(
            "module", "module__course", "module__course__school"
        ).get(uuid=uuid, module__course__in=visible_courses(user))
    except Lesson.DoesNotExist as error:
        raise Http404 from error


def get_material_for(user: Any, uuid: Any) -> LessonMaterial:
    try:
        return LessonMaterial.objects.select_related(
            "lesson", "lesson__module", "lesson__module__course"
        ).get(uuid=uuid, lesson__module__course__in=visible_courses(user))
    except LessonMaterial.DoesNotExist as error:
        raise Http404 from error


def recording_of(lesson: Lesson) -> LessonAudio | None:
    return LessonAudio.objects.filter(lesson=lesson).first()


def _library_item_readable(user: Any, material: LessonMaterial) -> bool:
    item = material.library_item
    if item is None:
        return False
    try:
        readable_object(type(item), user, item.uuid)
    except Http404:
        return False
    return True


def materials_for(user: Any, lesson: Lesson) -> list[LessonMaterial]:
    """The lesson's materials the reader may open: an item of the library appears only to
    those the library lets read it (its visibility and community protocols)."""
    shown = []
    for material in lesson.materials.select_related("library_item"):
        if material.kind == "library" and not _library_item_readable(user, material):
            continue
        shown.append(material)
    return shown


def can_read_lesson_file(user: Any, row: LessonAudio | LessonMaterial) -> bool:
    """A recording or a material file is served to whoever may read its course."""
    return can_view_course(user, row.lesson.module.course)


# Cohorts and sessions --------------------------------------------------------------------


def visible_cohorts(user: Any) -> QuerySet[Cohort]:
    return Cohort.objects.filter(course__in=visible_courses(user)).select_related(
        "course", "course__school"
    )


def get_cohort_for(user: Any, uuid: Any) -> Cohort:
    try:
        return visible_cohorts(user).get(uuid=uuid)
    except Cohort.DoesNotExist as error:
        raise Http404 from error


def is_teacher(user: Any, cohort: Cohort) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return cohort.teachers.filter(pk=user.pk).exists()


def is_cohort_staff(user: Any, cohort: Cohort) -> bool:
    return is_coordinator(user, cohort.course.school) or is_teacher(user, cohort)


def staffed_cohorts(user: Any) -> QuerySet[Cohort]:
    """The cohorts the user teaches or coordinates (a teacher sees only their own)."""
    if not getattr(user, "is_authenticated", False):
        return Cohort.objects.none()
    coordinating = organization_ids_with_role(user, DECIDING_ROLES)
    return (
        Cohort.objects.filter(
            Q(teachers=user) | Q(course__school__organization_id__in=coordinating)
        )
        .distinct()
        .select_related("course", "course__school")
    )


def get_session_for(user: Any, uuid: Any) -> Session:
    try:
        return Session.objects.select_related("cohort", "cohort__course").get(
            uuid=uuid, cohort__in=visible_cohorts(user)
        )
    except Session.DoesNotExist as error:
        raise Http404 from error


def seats(cohort: Cohort) -> dict[str, int]:
    counts = dict(
        cohort.enrolments.values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    accepted = counts.get(EnrolmentStatus.ACCEPTED, 0)
    return {
        "accepted": accepted,
        "free": max(cohort.capacity - accepted, 0),
        "waitlisted": counts.get(EnrolmentStatus.WAITLISTED, 0),
        "applied": counts.get(EnrolmentStatus.APPLIED, 0),
    }


def is_open_for_applications(cohort: Cohort) -> bool:
    today = timezone.localdate()
    return cohort.enrolment_opens_on <= today <= cohort.enrolment_closes_on


def sessions_for_person(user: Any) -> QuerySet[Session]:
    """Sessions of the cohorts the person was accepted in or teaches: their calendar."""
    if not getattr(user, "is_authenticated", False):
        return Session.objects.none()
    return (
        Session.objects.filter(
            Q(cohort__enrolments__person=user, cohort__enrolments__status="accepted")
            | Q(cohort__teachers=user)
        )
        .distinct()
        .select_related("cohort", "cohort__course")
    )


# Enrolments ------------------------------------------------------------------------------


def my_enrolments(user: Any) -> QuerySet[Enrolment]:
    if not getattr(user, "is_authenticated", False):
        return Enrolment.objects.none()
    return Enrolment.objects.filter(person=user).select_related(
        "cohort", "cohort__course", "certificate"
    )


def cohort_enrolments(cohort: Cohort) -> QuerySet[Enrolment]:
    """Every application to the cohort: for its staff only (the caller checked)."""
    return cohort.enrolments.select_related("person", "on_behalf_of", "certificate").order_by(
        "status", "waitlisted_at", "created_at", "id"
    )


def get_enrolment_for(user: Any, uuid: Any) -> Enrolment:
    """The student's own enrolment, or any of a cohort they teach or coordinate."""
    try:
        enrolment = Enrolment.objects.select_related(
            "cohort", "cohort__course", "cohort__course__school", "person"
        ).get(uuid=uuid)
    except Enrolment.DoesNotExist as error:
        raise Http404 from error
    if getattr(user, "is_superuser", False):
        return enrolment
    if not getattr(user, "is_authenticated", False):
        raise Http404
    if enrolment.person_id != user.pk and not is_cohort_staff(user, enrolment.cohort):
        raise Http404
    return enrolment


def _marks(records: Any) -> list[Mark]:
    # Plain values, not model instances: a dashboard reads thousands of marks.
    rows = records.values_list(
        "client_id", "session_id", "enrolment_id", "status", "recorded_at", "recorded_by_id"
    )
    return [
        Mark(
            client_id=str(client_id),
            session=str(session_id),
            student=str(enrolment_id),
            status=status,
            recorded_at=recorded_at,
            recorded_by=str(recorded_by or ""),
        )
        for client_id, session_id, enrolment_id, status, recorded_at, recorded_by in rows
    ]


def attendance_of_session(session: Session) -> dict[int, Resolution]:
    """The current mark of each enrolment in the session (by enrolment id), with conflicts."""
    resolved = resolve(_marks(session.attendance.all()))
    return {int(student): resolution for (_s, student), resolution in resolved.items()}


def _progress_from(
    enrolment: Enrolment, held: list[int], marks: list[Mark], course: Course
) -> Progress:
    resolved = resolve(marks)
    statuses = {int(session): r.current.status for (session, _s), r in resolved.items()}
    record = StudentRecord(
        # A session held without any mark for the student counts as missed.
        attendance=tuple(statuses.get(pk, "absent") for pk in held),
        final_assessment_passed=enrolment.final_assessment_passed,
    )
    return progress(course.completion_rules, record)


def _held_sessions(cohort: Cohort) -> list[int]:
    return sorted(
        cohort.sessions.filter(starts_at__lte=timezone.now()).values_list("pk", flat=True)
    )


def progress_of(enrolment: Enrolment) -> Progress:
    """Progress toward completion: attendance of the sessions held so far and results."""
    held = _held_sessions(enrolment.cohort)
    marks = _marks(enrolment.attendance.filter(session_id__in=held))
    return _progress_from(enrolment, held, marks, enrolment.cohort.course)


def cohort_progress(cohort: Cohort, enrolments: list[Enrolment]) -> dict[int, Progress]:
    """Progress of many students of a cohort in two queries (for the teachers' dashboard)."""
    held = _held_sessions(cohort)
    by_student: dict[int, list[Mark]] = {}
    records = AttendanceRecord.objects.filter(
        session_id__in=held, enrolment_id__in=[e.pk for e in enrolments]
    )
    for mark in _marks(records):
        by_student.setdefault(int(mark.student), []).append(mark)
    return {
        e.pk: _progress_from(e, held, by_student.get(e.pk, []), cohort.course) for e in enrolments
    }


# Certificates ----------------------------------------------------------------------------


def staffed_certificates(user: Any) -> QuerySet[Certificate]:
    """Certificates of the cohorts the user teaches or coordinates."""
    return Certificate.objects.filter(enrolment__cohort__in=staffed_cohorts(user))


def certificate_by_code(code: str) -> Certificate:
    """Anyone may verify a certificate by its code: name, course, dates and status."""
    try:
        return Certificate.objects.select_related(
            "enrolment__person", "enrolment__cohort__course__school"
        ).get(code=(code or "").strip().upper())
    except Certificate.DoesNotExist as error:
        raise Http404 from error


def attention_for(user: Any) -> list[Attention]:
    """Applications waiting for an answer in the cohorts the user teaches or coordinates."""
    if not getattr(user, "is_authenticated", False):
        return []
    waiting = Enrolment.objects.filter(
        cohort__in=staffed_cohorts(user), status=EnrolmentStatus.APPLIED
    ).count()
    if not waiting:
        return []
    return [
        Attention(
            text=ngettext(
                "%(count)d application to a course waits for your answer",
                "%(count)d applications to courses wait for your answer",
                waiting,
            )
            % {"count": waiting},
            url=reverse("education:index"),
            count=waiting,
        )
    ]
