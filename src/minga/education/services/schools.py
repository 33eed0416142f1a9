"""Schools, courses, cohorts and their sessions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import guarded

from .. import published_sessions
from ..audit_events import EducationEvent
from ..models import Cohort, Course, School, Session
from ..types import Admission, Level, OnBehalf


def _text(value: str, field_name: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("This field is required."), field_name, code="required")
    if len(value) > limit:
        raise DomainError(
            _("At most %(limit)d characters.") % {"limit": limit}, field_name, code="too_long"
        )
    return value


@guarded("education.school.create", on="organization")
@transaction.atomic
def school_create(
    *, actor: Any, organization: Any, name: str, description: str = "", language: str = "es"
) -> School:
    school = School.objects.create(
        organization=organization,
        name=_text(name, "name", 200),
        description=(description or "").strip(),
        language=language or "es",
    )
    audit.record(actor=actor, action=EducationEvent.SCHOOL_CREATE, target=school)
    return school


@guarded("education.school.coordinate", on="school")
@transaction.atomic
def course_create(
    *,
    actor: Any,
    school: School,
    title: str,
    description: str = "",
    language: str = "es",
    level: str = Level.INTRODUCTORY,
    hours: int = 0,
    min_attendance_percent: int = 75,
    final_assessment_required: bool = False,
    on_behalf: str = OnBehalf.FREE,
    visibility: str = Visibility.PUBLIC,
    prerequisites: list[Course] | tuple[Course, ...] = (),
    topics: list[Any] | tuple[Any, ...] = (),
) -> Course:
    if level not in Level.values:
        raise DomainError(_("Unknown level."), "level", code="unknown_level")
    if visibility not in Visibility.values:
        raise DomainError(_("Unknown visibility."), "visibility", code="unknown_visibility")
    if on_behalf not in OnBehalf.values:
        raise DomainError(
            _("Unknown rule for organizations."), "on_behalf", code="unknown_on_behalf"
        )
    if not 0 <= min_attendance_percent <= 100:
        raise DomainError(
            _("The minimum attendance is a share between 0 and 100."),
            "min_attendance_percent",
            code="share_out_of_range",
        )
    if hours < 0:
        raise DomainError(_("Hours cannot be negative."), "hours", code="negative_hours")
    course = Course.objects.create(
        school=school,
        title=_text(title, "title", 300),
        description=(description or "").strip(),
        language=language or "es",
        level=level,
        hours=hours,
        min_attendance_percent=min_attendance_percent,
        final_assessment_required=final_assessment_required,
        on_behalf=on_behalf,
        visibility=visibility,
    )
    if visibility == Visibility.ORGANIZATIONS:
        course.visible_to_organizations.set([school.organization])
    if prerequisites:
        course.prerequisites.set(prerequisites)
    if topics:
        course.topics.set(topics)
    audit.record(actor=actor, action=EducationEvent.COURSE_CREATE, target=course)
    return course


@dataclass(frozen=True)
class CohortData:
    name: str
    starts_on: date
    ends_on: date
    capacity: int
    enrolment_opens_on: date
    enrolment_closes_on: date
    waitlist_size: int = 0
    admission: str = Admission.REVIEW
    place: str = ""
    online_link: str = ""
    teachers: list[Any] = field(default_factory=list)


@guarded("education.course.change", on="course")
@transaction.atomic
def cohort_create(*, actor: Any, course: Course, data: CohortData) -> Cohort:
    if data.ends_on < data.starts_on:
        raise DomainError(
            _("The cohort ends before it starts."), "ends_on", code="ends_before_start"
        )
    if data.enrolment_closes_on < data.enrolment_opens_on:
        raise DomainError(
            _("Applications close before they open."),
            "enrolment_closes_on",
            code="window_closes_before_opening",
        )
    if data.capacity < 1:
        raise DomainError(_("A cohort needs at least one place."), "capacity", code="no_places")
    if data.waitlist_size < 0:
        raise DomainError(_("Give a number of places."), "waitlist_size", code="negative_places")
    if data.admission not in Admission.values:
        raise DomainError(_("Unknown admission."), "admission", code="unknown_admission")
    cohort = Cohort.objects.create(
        course=course,
        name=_text(data.name, "name", 200),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        capacity=data.capacity,
        waitlist_size=data.waitlist_size,
        admission=data.admission,
        place=(data.place or "").strip(),
        online_link=(data.online_link or "").strip(),
        enrolment_opens_on=data.enrolment_opens_on,
        enrolment_closes_on=data.enrolment_closes_on,
    )
    cohort.teachers.set(data.teachers)
    audit.record(actor=actor, action=EducationEvent.COHORT_CREATE, target=cohort)
    return cohort


def _session_times(
    starts_at: datetime, ends_at: datetime, time_zone: str
) -> tuple[datetime, datetime]:
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise DomainError(_("Unknown time zone."), "time_zone", code="unknown_time_zone") from error
    # Times without a zone (from the API) are read in the session's own zone.
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at, zone)
    if timezone.is_naive(ends_at):
        ends_at = timezone.make_aware(ends_at, zone)
    if ends_at <= starts_at:
        raise DomainError(
            _("The session ends before it starts."), "ends_at", code="ends_before_start"
        )
    return starts_at, ends_at


def _session_texts(cohort: Cohort, place: str, title: str) -> tuple[str, str]:
    """A session's place (the cohort's when none is given) and title, as stored."""
    return (place or cohort.place).strip(), (title or "").strip()[:200]


@guarded("education.cohort.teach", on="cohort")
@transaction.atomic
def session_create(
    *,
    actor: Any,
    cohort: Cohort,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str = "UTC",
    place: str = "",
    title: str = "",
) -> Session:
    """Schedule a session; it appears on the platform's calendar too."""
    starts_at, ends_at = _session_times(starts_at, ends_at, time_zone)
    place, title = _session_texts(cohort, place, title)
    session = Session.objects.create(
        cohort=cohort,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        place=place,
        title=title,
    )
    audit.record(actor=actor, action=EducationEvent.SESSION_CREATE, target=cohort)
    published_sessions.publish_sessions(cohort, [session])
    return session


@guarded("education.cohort.teach", on="session", via=lambda session: session.cohort)
@transaction.atomic
def session_update(
    *,
    actor: Any,
    session: Session,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str = "UTC",
    place: str = "",
    title: str = "",
) -> Session:
    """Change or move a session; its event on the calendar changes with it."""
    starts_at, ends_at = _session_times(starts_at, ends_at, time_zone)
    session = Session.objects.select_for_update().select_related("cohort").get(pk=session.pk)
    session.starts_at = starts_at
    session.ends_at = ends_at
    session.time_zone = time_zone
    session.place, session.title = _session_texts(session.cohort, place, title)
    session.save(
        update_fields=["starts_at", "ends_at", "time_zone", "place", "title", "updated_at"]
    )
    audit.record(actor=actor, action=EducationEvent.SESSION_UPDATE, target=session.cohort)
    published_sessions.publish_sessions(session.cohort, [session])
    return session


@guarded("education.cohort.teach", on="session", via=lambda session: session.cohort)
@transaction.atomic
def session_delete(*, actor: Any, session: Session) -> None:
    """Remove a session no one has been marked in (marks are kept forever); its event
    leaves the calendar."""
    session = Session.objects.select_for_update().select_related("cohort").get(pk=session.pk)
    if session.attendance.exists():
        raise DomainError(
            _("Attendance was recorded in this session; it cannot be removed."),
            "session",
            code="session_has_attendance",
            status=409,
        )
    cohort = session.cohort
    published_sessions.withdraw_sessions([session])
    session.delete()
    audit.record(actor=actor, action=EducationEvent.SESSION_DELETE, target=cohort)
