"""Course sessions on the platform's shared calendar (``common.calendar_publishing``).

A step of the services, not an entry point: the services that create, change or delete a
session, or change who is in a cohort, call these in their own transaction. A session of a
public course is a public event; any other (a hidden course, or one read by members only)
is read only by its cohort's audience: its teachers, its accepted students, the school's
coordinators and the course's custodians, the same people education lets in. Comms keeps
the events and that audience; education never reads comms' tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from minga.common import calendar_publishing
from minga.common.models import Visibility
from minga.registry.selectors import DECIDING_ROLES, people_with_role

from .models import Cohort, Enrolment, Session
from .types import EnrolmentStatus


def session_key(session: Session) -> str:
    return f"education.session:{session.uuid}"


def audience_key(cohort: Cohort) -> str:
    return f"education.cohort:{cohort.uuid}"


def _is_public(cohort: Cohort) -> bool:
    return bool(cohort.course.visibility == Visibility.PUBLIC)


def _entry(session: Session, cohort: Cohort) -> calendar_publishing.PublishedOccurrence:
    course = cohort.course
    name = session.title or cohort.name
    return calendar_publishing.PublishedOccurrence(
        source_key=session_key(session),
        source_url=cohort.get_absolute_url(),
        organization_id=course.school.organization_id,
        title=f"{course.title}: {name}",
        description=course.description,
        language=course.language,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        time_zone=session.time_zone,
        place=session.place,
        online_url=cohort.online_link,
        audience_key=None if _is_public(cohort) else audience_key(cohort),
    )


def audience_of(cohort: Cohort) -> set[int]:
    """Who reads a closed cohort's sessions on the calendar."""
    course = cohort.course
    people = set(cohort.teachers.values_list("pk", flat=True))
    people |= set(
        Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ACCEPTED).values_list(
            "person_id", flat=True
        )
    )
    people |= {person.pk for person in people_with_role(course.school.organization, DECIDING_ROLES)}
    people |= set(course.custodians.values_list("pk", flat=True))
    return people


def publish_sessions(cohort: Cohort, sessions: Iterable[Session] | None = None) -> None:
    """Put these sessions of the cohort (all of them when None) on the calendar, with the
    cohort's audience brought up to date first when it is a closed one."""
    cohort = Cohort.objects.select_related("course__school").get(pk=cohort.pk)
    if not _is_public(cohort):
        calendar_publishing.set_audience(audience_key(cohort), audience_of(cohort))
    chosen = cohort.sessions.all() if sessions is None else sessions
    calendar_publishing.publish(_entry(session, cohort) for session in chosen)


def refresh_audience(cohort: Any) -> None:
    """After a change to who is in the cohort (an acceptance, a withdrawal)."""
    cohort = Cohort.objects.select_related("course__school").get(pk=cohort.pk)
    if not _is_public(cohort):
        calendar_publishing.set_audience(audience_key(cohort), audience_of(cohort))


def withdraw_sessions(sessions: Iterable[Session]) -> None:
    calendar_publishing.withdraw(session_key(session) for session in sessions)


def upcoming_audiences_refresh() -> int:
    """Bring the calendar audiences of closed cohorts with sessions still to come up to date.

    Enrolments change an audience as they happen; a coordinator's role is given or ended in
    the registry, which education is not told of, so ``minga stator`` runs this every few
    minutes. An unchanged audience writes nothing. Returns how many cohorts were looked at.
    """
    cohorts = (
        Cohort.objects.filter(sessions__ends_at__gt=timezone.now())
        .exclude(course__visibility=Visibility.PUBLIC)
        .distinct()
    )
    count = 0
    for cohort in cohorts.iterator():
        with transaction.atomic():
            refresh_audience(cohort)
        count += 1
    return count
