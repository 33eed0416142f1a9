"""Reads of education that users see.

Courses go through the platform's one visibility rule (with education's staff rule plugged
in, ``education.access``); cohorts and sessions follow their course; an enrolment, its
attendance and its progress are read by the student and the cohort's staff only. What the
reader may not see answers 404, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from minga.common.registration import Attention
from minga.common.translation import best_translation
from minga.common.views import readable_object
from minga.common.visibility import can_read_row, can_view, filter_visible, viewer_for
from minga.core.education import marking
from minga.core.education.attendance import Mark, Resolution, resolve
from minga.core.education.completion import (
    ATTENDED,
    EXCUSED,
    Progress,
    StudentRecord,
    progress,
)
from minga.registry.selectors import DECIDING_ROLES, organization_ids_with_role

from .models import (
    Assignment,
    AttendanceRecord,
    Certificate,
    Cohort,
    CohortDueDate,
    Course,
    CourseModule,
    CourseTranslation,
    Enrolment,
    Lesson,
    LessonAudio,
    LessonMaterial,
    School,
    Session,
    Submission,
    Topic,
)
from .types import Endorsement, EnrolmentStatus

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


def missing_prerequisites(person: Any, course: Course) -> list[Course]:
    """The course's prerequisites the person has no valid certificate of (a revoked one does
    not count), in the order of their titles."""
    needed = list(course.prerequisites.order_by("title"))
    if not needed or not getattr(person, "is_authenticated", False):
        return needed
    done = set(
        Certificate.objects.filter(
            enrolment__person=person,
            enrolment__cohort__course__in=needed,
            revoked_at__isnull=True,
        ).values_list("enrolment__cohort__course_id", flat=True)
    )
    return [earlier for earlier in needed if earlier.pk not in done]


def visible_courses(user: Any) -> QuerySet[Course]:
    return filter_visible(
        Course.objects.select_related("school").prefetch_related("translations"),
        viewer_for(user),
    )


@dataclass(frozen=True)
class ShownCourse:
    """A course as a reader of one language sees it: its translation into that language
    when there is one (``translation`` then says its status), else the original."""

    title: str
    description: str
    language: str
    translation: CourseTranslation | None


def course_for_reader(course: Course, language: str, *, original: bool = False) -> ShownCourse:
    """The course's title and description in ``language`` when a translation exists (from
    the prefetched translations: no query when they were prefetched), else the original."""
    translation = None if original else best_translation(list(course.translations.all()), language)
    if translation is None:
        return ShownCourse(course.title, course.description, course.language, None)
    return ShownCourse(
        translation.title or course.title, translation.text, translation.language, translation
    )


def course_translations(course: Course) -> list[CourseTranslation]:
    return list(course.translations.select_related("translator", "reviewer").order_by("language"))


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
    """The course's modules in order, each with the titles of its lessons in order (two
    queries, without the lessons' texts)."""
    lessons = Lesson.objects.only("uuid", "title", "position", "module_id")
    return list(
        course.modules.only("uuid", "title", "summary", "position", "course_id").prefetch_related(
            Prefetch("lessons", queryset=lessons)
        )
    )


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
    """The cohort if the reader may read its course (the rule of ``visible_cohorts``), asked
    of this one course: its level when that opens it, else one existence check, rather than
    the subqueries over every course the reader may see (the most of a cohort page's reads)."""
    cohort = Cohort.objects.select_related("course", "course__school").filter(uuid=uuid).first()
    if cohort is None:
        raise Http404
    viewer = viewer_for(user)
    if not can_read_row(cohort.course, viewer):
        raise Http404
    return cohort


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
        .prefetch_related("course__translations")
    )


def get_session_for(user: Any, uuid: Any) -> Session:
    try:
        return Session.objects.select_related("cohort", "cohort__course").get(
            uuid=uuid, cohort__in=visible_cohorts(user)
        )
    except Session.DoesNotExist as error:
        raise Http404 from error


def _seats(capacity: int, accepted: int, waitlisted: int, applied: int) -> dict[str, int]:
    return {
        "accepted": accepted,
        "free": max(capacity - accepted, 0),
        "waitlisted": waitlisted,
        "applied": applied,
    }


def enrolment_counts(cohort: Cohort) -> dict[str, int]:
    """How many of the cohort's applications are in each status (one query)."""
    return dict(
        cohort.enrolments.order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


def seats(cohort: Cohort, counts: dict[str, int] | None = None) -> dict[str, int]:
    """The cohort's places: taken, free, wait-listed and applied (``counts`` as
    ``enrolment_counts`` gives them, when the caller has them already)."""
    if counts is None:
        counts = enrolment_counts(cohort)
    return _seats(
        cohort.capacity,
        counts.get(EnrolmentStatus.ACCEPTED, 0),
        counts.get(EnrolmentStatus.WAITLISTED, 0),
        counts.get(EnrolmentStatus.APPLIED, 0),
    )


def cohorts_with_seats(cohorts: QuerySet[Cohort]) -> list[Cohort]:
    """The cohorts, each with its ``seats`` counted in the same query (a course page lists
    many cohorts)."""

    def counted(status: str) -> Count:
        return Count("enrolments", filter=Q(enrolments__status=status))

    rows = list(
        cohorts.annotate(
            _accepted=counted(EnrolmentStatus.ACCEPTED),
            _waitlisted=counted(EnrolmentStatus.WAITLISTED),
            _applied=counted(EnrolmentStatus.APPLIED),
        )
    )
    for cohort in rows:
        cohort.seats = _seats(  # type: ignore[attr-defined]
            cohort.capacity, cohort._accepted, cohort._waitlisted, cohort._applied
        )
    return list(rows)


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
    return (
        Enrolment.objects.filter(person=user)
        .select_related("cohort", "cohort__course", "certificate")
        .prefetch_related("cohort__course__translations")
    )


def my_enrolment_in(user: Any, cohort: Cohort) -> Enrolment | None:
    """The reader's own place in the cohort, if they have one (a person applies once to a
    cohort), with its certificate; the cohort given is its cohort, not read again."""
    if not getattr(user, "is_authenticated", False):
        return None
    found = list(
        Enrolment.objects.filter(person=user, cohort=cohort)
        .select_related("certificate")
        .order_by()  # one row at most (``edu_enrol_once``)
    )
    if not found:
        return None
    found[0].cohort = cohort
    return found[0]


def cohort_enrolments(cohort: Cohort) -> QuerySet[Enrolment]:
    """Every application to the cohort: for its staff only (the caller checked)."""
    return cohort.enrolments.select_related("person", "on_behalf_of", "certificate").order_by(
        "status", "waitlisted_at", "created_at", "id"
    )


def dashboard_enrolments(cohort: Cohort) -> QuerySet[Enrolment]:
    """The applications as the staff's dashboard lists them, reading only the columns it
    shows (a page of fifty students with their names, organizations and certificates)."""
    return cohort_enrolments(cohort).only(
        "id",
        "uuid",
        "cohort_id",
        "status",
        "endorsement",
        "reason",
        "final_assessment_passed",
        "on_behalf_of_id",
        "person__id",
        "person__username",
        "person__display_name",
        "on_behalf_of__id",
        "on_behalf_of__name",
        "on_behalf_of__names",
        "certificate__id",
        "certificate__enrolment_id",
        "certificate__code",
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
    if enrolment.person_id == user.pk or is_cohort_staff(user, enrolment.cohort):
        return enrolment
    if is_endorser(user, enrolment) and can_view_course(user, enrolment.cohort.course):
        return enrolment
    raise Http404


def is_endorser(user: Any, enrolment: Enrolment) -> bool:
    """Whether the user coordinates (or administers) the organization the application names."""
    return enrolment.on_behalf_of_id is not None and enrolment.on_behalf_of_id in (
        organization_ids_with_role(user, DECIDING_ROLES)
    )


def endorsements_waiting(user: Any) -> QuerySet[Enrolment]:
    """Applications made on behalf of an organization the user coordinates, to courses the
    user may see, waiting for that organization's endorsement."""
    if not getattr(user, "is_authenticated", False):
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(
            endorsement=Endorsement.PENDING,
            status=EnrolmentStatus.APPLIED,
            on_behalf_of_id__in=organization_ids_with_role(user, DECIDING_ROLES),
            cohort__course__in=visible_courses(user),
        )
        .select_related("person", "on_behalf_of", "cohort", "cohort__course")
        .prefetch_related("cohort__course__translations")
        .order_by("created_at", "id")
    )


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


def _held_sessions(cohort: Cohort) -> QuerySet[Session]:
    return cohort.sessions.filter(starts_at__lte=timezone.now())


def current_marks() -> QuerySet[AttendanceRecord]:
    """The marks no later mark overrides: the current status of each (session, student),
    by the rule of ``minga.core.education.attendance.resolve`` (the latest recorded wins,
    ties broken by the larger phone-made id), decided by the database."""
    return AttendanceRecord.objects.filter(_not_overridden())


@cache
def _not_overridden() -> Any:
    # Built once and reused: a query copies the condition it is given and never changes it
    # (as ``common.visibility`` keeps its conditions), and building it was a tenth of the
    # dashboard's time.
    later = AttendanceRecord.objects.filter(
        session_id=OuterRef("session_id"), enrolment_id=OuterRef("enrolment_id")
    ).filter(
        Q(recorded_at__gt=OuterRef("recorded_at"))
        | Q(recorded_at=OuterRef("recorded_at"), client_id__gt=OuterRef("client_id"))
    )
    return ~Exists(later)


def cohort_progress(
    cohort: Cohort,
    enrolments: list[Enrolment],
    *,
    sessions: list[Session] | None = None,
    assignments: list[Assignment] | None = None,
) -> dict[int, Progress]:
    """Progress of many students of a cohort toward completion, counted by the database
    in two queries whatever the number of students and marks (the teachers' dashboard).
    The cohort's ``sessions`` and the course's ``assignments``, when the caller read them
    already, spare two more.

    A session held (started) without any mark for a student counts as missed."""
    if not enrolments:
        return {}
    held: Any
    if sessions is None:
        held = _held_sessions(cohort)
        sessions_held = held.count()
    else:
        now = timezone.now()
        held = [session.pk for session in sessions if session.starts_at <= now]
        sessions_held = len(held)
    counts = {
        row["enrolment_id"]: (row["attended"], row["excused"])
        for row in current_marks()
        .filter(session__in=held, enrolment_id__in=[e.pk for e in enrolments])
        .order_by()  # counted, not listed: no ordering to compile
        .values("enrolment_id")
        .annotate(
            attended=Count("pk", filter=Q(status__in=sorted(ATTENDED))),
            excused=Count("pk", filter=Q(status=EXCUSED)),
        )
    }
    passed = _assignments_passed(cohort, enrolments)
    # With a final assignment, the final assessment is its passed mark, nothing else.
    if assignments is None:
        final_by_assignment = cohort.course.assignments.filter(is_final=True).exists()
    else:
        final_by_assignment = any(assignment.is_final for assignment in assignments)
    rules = cohort.course.completion_rules
    result = {}
    for enrolment in enrolments:
        attended, excused = counts.get(enrolment.pk, (0, 0))
        passed_count, final_passed = passed.get(enrolment.pk, (0, 0))
        statuses = (
            ("present",) * attended
            + (EXCUSED,) * excused
            + ("absent",) * (sessions_held - attended - excused)
        )
        result[enrolment.pk] = progress(
            rules,
            StudentRecord(
                attendance=statuses,
                assignments_passed=passed_count,
                final_assessment_passed=bool(final_passed)
                if final_by_assignment
                else enrolment.final_assessment_passed,
            ),
        )
    return result


def _assignments_passed(cohort: Cohort, enrolments: list[Enrolment]) -> dict[int, tuple[int, int]]:
    """Per enrolment: how many of the course's assignments it passed, and whether one of
    them is the final assessment (one query, counted by the database)."""
    rows = (
        Submission.objects.filter(
            enrolment_id__in=[e.pk for e in enrolments],
            assignment__course_id=cohort.course_id,
            passed=True,
        )
        .order_by()
        .values("enrolment_id")
        .annotate(n=Count("pk"), final=Count("pk", filter=Q(assignment__is_final=True)))
    )
    return {row["enrolment_id"]: (row["n"], row["final"]) for row in rows}


def progress_of(enrolment: Enrolment) -> Progress:
    """Progress toward completion: attendance of the sessions held so far and results."""
    return cohort_progress(enrolment.cohort, [enrolment])[enrolment.pk]


# Assignments and submissions -------------------------------------------------------------
# An assignment is read by whoever may read its course; a submission, its mark and feedback
# by the student who sent it and the cohort's staff only.


def course_assignments(course: Course) -> QuerySet[Assignment]:
    return course.assignments.select_related("module").order_by("due_at", "id")


def get_assignment_for(user: Any, uuid: Any, *, cohort: Cohort | None = None) -> Assignment:
    """An assignment of a course the reader may read (of the cohort's course, if given)."""
    rows = Assignment.objects.select_related("course", "course__school", "module").filter(
        uuid=uuid, course__in=visible_courses(user)
    )
    if cohort is not None:
        rows = rows.filter(course_id=cohort.course_id)
    try:
        return rows.get()
    except (Assignment.DoesNotExist, ValueError) as error:
        raise Http404 from error


def assignment_work_counts(assignment: Assignment) -> dict[str, int]:
    """How many pieces of work were sent for the assignment, and how many are marked (for
    its staff, before they delete it)."""
    return assignment.submissions.aggregate(
        sent=Count("pk"), marked=Count("pk", filter=Q(marked_at__isnull=False))
    )


def due_for(assignment: Assignment, cohort: Cohort) -> Any:
    """The due date of the assignment in the cohort: its own, or the course's."""
    own = (
        CohortDueDate.objects.filter(assignment=assignment, cohort=cohort)
        .values_list("due_at", flat=True)
        .first()
    )
    return own or assignment.due_at


def cohort_assignments(cohort: Cohort) -> list[Assignment]:
    """The course's assignments with their due date in the cohort (``due``), one query."""
    own = CohortDueDate.objects.filter(assignment_id=OuterRef("pk"), cohort=cohort).values(
        "due_at"
    )[:1]
    return list(
        cohort.course.assignments.annotate(
            due=Coalesce(Subquery(own), F("due_at")),
            sent=Count("submissions", filter=Q(submissions__enrolment__cohort=cohort)),
            marked=Count(
                "submissions",
                filter=Q(
                    submissions__enrolment__cohort=cohort, submissions__marked_at__isnull=False
                ),
            ),
        ).order_by("due", "id")
    )


def mark_text(scale: marking.Scale, submission: Submission) -> str:
    """A mark as the student and teachers read it."""
    if submission.marked_at is None:
        return gettext("Not marked yet")
    verdict = gettext("passed") if submission.passed else gettext("not passed")
    if submission.points is None:
        return gettext("Passed") if submission.passed else gettext("Not passed")
    return gettext("%(points)d of %(most)d points · %(verdict)s") % {
        "points": submission.points,
        "most": scale.max_points,
        "verdict": verdict,
    }


def my_submissions(user: Any) -> QuerySet[Submission]:
    """The person's own work, marks and feedback."""
    if not getattr(user, "is_authenticated", False):
        return Submission.objects.none()
    return Submission.objects.filter(enrolment__person=user).select_related(
        "assignment", "enrolment__cohort"
    )


def submission_of(enrolment: Enrolment, assignment: Assignment) -> Submission | None:
    return Submission.objects.filter(enrolment=enrolment, assignment=assignment).first()


def cohort_submissions(cohort: Cohort, assignment: Assignment) -> QuerySet[Submission]:
    """The cohort's work for the assignment: for its staff only (the caller checked)."""
    return (
        Submission.objects.filter(enrolment__cohort=cohort, assignment=assignment)
        .select_related("enrolment__person", "assignment", "enrolment__cohort")
        .order_by("marked_at", "submitted_at", "id")
    )


def can_read_submission(user: Any, submission: Submission) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False) or submission.enrolment.person_id == user.pk:
        return True
    return is_cohort_staff(user, submission.enrolment.cohort)


def get_submission_for(user: Any, uuid: Any) -> Submission:
    """The student's own work, or any of a cohort the reader teaches or coordinates."""
    try:
        submission = Submission.objects.select_related(
            "assignment__course__school",
            "enrolment__person",
            "enrolment__cohort__course__school",
            "marked_by",
        ).get(uuid=uuid)
    except (Submission.DoesNotExist, ValueError) as error:
        raise Http404 from error
    if not can_read_submission(user, submission):
        raise Http404
    return submission


# Certificates ----------------------------------------------------------------------------


def staffed_certificates(user: Any) -> QuerySet[Certificate]:
    """Certificates of the cohorts the user teaches or coordinates."""
    return Certificate.objects.filter(enrolment__cohort__in=staffed_cohorts(user))


def cohort_certificates(cohort: Cohort) -> list[Certificate]:
    """The cohort's certificates with what their pages show (for its staff: the caller
    checked), in three queries whatever their number."""
    certificates = list(
        Certificate.objects.filter(enrolment__cohort=cohort)
        .select_related("enrolment__person")
        .order_by("enrolment__person__display_name", "id")
    )
    cohort = (
        Cohort.objects.select_related("course__school")
        .prefetch_related("teachers")
        .get(pk=cohort.pk)
    )
    for certificate in certificates:
        certificate.enrolment.cohort = cohort
    return certificates


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
    waiting = (
        Enrolment.objects.filter(cohort__in=staffed_cohorts(user), status=EnrolmentStatus.APPLIED)
        .exclude(endorsement=Endorsement.PENDING)
        .count()
    )
    endorsing = endorsements_waiting(user).count()
    shown = []
    if endorsing:
        shown.append(
            Attention(
                text=ngettext(
                    "%(count)d application to a course waits for your organization's endorsement",
                    "%(count)d applications to courses wait for your organization's endorsement",
                    endorsing,
                )
                % {"count": endorsing},
                url=reverse("education:endorsements"),
                count=endorsing,
            )
        )
    if not waiting:
        return shown
    return [
        *shown,
        Attention(
            text=ngettext(
                "%(count)d application to a course waits for your answer",
                "%(count)d applications to courses wait for your answer",
                waiting,
            )
            % {"count": waiting},
            url=reverse("education:index"),
            count=waiting,
        ),
    ]
