"""Attendance sent from teachers' phones, all of a sheet's marks in one request.

Each mark carries the id the phone made for it: a mark already received (sent twice, from
a second phone, after a crash) is recognised and not stored again. The current status of a
student in a session is decided when it is read, by the rule of
``minga.core.education.attendance`` (latest recorded wins; conflicts are kept and shown).
A request with one bad mark stores none, and the refusal names the mark and its field.
"""

from __future__ import annotations

import uuid as uuid_lib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded

from ..audit_events import EducationEvent
from ..models import AttendanceRecord, Cohort, Enrolment, Session
from ..types import AttendanceStatus, EnrolmentStatus

MAX_MARKS = 5000
CLOCK_SKEW = timedelta(days=1)


@dataclass(frozen=True)
class MarkData:
    client_id: str
    session: str
    enrolment: str
    status: str
    recorded_at: datetime


@dataclass(frozen=True)
class SyncResult:
    received: int
    stored: int
    already_known: int


def _uuid(value: str, field_name: str) -> uuid_lib.UUID:
    try:
        return uuid_lib.UUID(str(value))
    except (ValueError, AttributeError) as error:
        raise DomainError(
            _("Not a valid identifier."), field_name, code="invalid_identifier"
        ) from error


@guarded("education.cohort.teach", on="cohort")
@transaction.atomic
def attendance_sync(*, actor: Any, cohort: Cohort, marks: list[MarkData]) -> SyncResult:
    if len(marks) > MAX_MARKS:
        raise DomainError(
            _("Send at most %(limit)d marks at once.") % {"limit": MAX_MARKS},
            "marks",
            code="too_many_marks",
        )
    # Plain values: instances with deferred fields would each reload their cohort.
    sessions = dict(Session.objects.filter(cohort=cohort).values_list("uuid", "pk"))
    students = dict(
        Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ACCEPTED).values_list(
            "uuid", "pk"
        )
    )
    latest = timezone.now() + CLOCK_SKEW
    rows: dict[uuid_lib.UUID, tuple[int, int, str, datetime]] = {}
    for index, mark in enumerate(marks):
        where = f"marks[{index}]"
        client_id = _uuid(mark.client_id, f"{where}.client_id")
        session = sessions.get(_uuid(mark.session, f"{where}.session"))
        if session is None:
            raise DomainError(
                _("This session is not one of the cohort's."),
                f"{where}.session",
                code="unknown_session",
            )
        enrolment = students.get(_uuid(mark.enrolment, f"{where}.enrolment"))
        if enrolment is None:
            raise DomainError(
                _("This person is not a student of the cohort."),
                f"{where}.enrolment",
                code="not_a_student",
            )
        if mark.status not in AttendanceStatus.values:
            raise DomainError(
                _("Unknown attendance status."), f"{where}.status", code="unknown_status"
            )
        if timezone.is_naive(mark.recorded_at) or mark.recorded_at > latest:
            raise DomainError(
                _("The time of the mark is missing its zone or lies in the future."),
                f"{where}.recorded_at",
                code="bad_recorded_at",
            )
        rows.setdefault(client_id, (session, enrolment, mark.status, mark.recorded_at))
    known = set(
        AttendanceRecord.objects.filter(client_id__in=list(rows)).values_list(
            "client_id", flat=True
        )
    )
    recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    new = [
        AttendanceRecord(
            client_id=key,
            session_id=session,
            enrolment_id=enrolment,
            status=status,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
        )
        for key, (session, enrolment, status, recorded_at) in rows.items()
        if key not in known
    ]
    # A parallel request carrying the same marks may commit between the read above and this
    # write: the unique client id keeps one copy, and the other request's rows are ignored.
    AttendanceRecord.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    if new:
        audit.record(
            actor=actor,
            action=EducationEvent.ATTENDANCE_SYNC,
            target=cohort,
            changes={"marks": [None, len(new)]},
        )
    return SyncResult(received=len(marks), stored=len(new), already_known=len(marks) - len(new))


# Self check-in --------------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a room
CODE_LENGTH = 6
LATE_AFTER = timedelta(minutes=15)
OPEN_AFTER_END = timedelta(minutes=30)


@guarded("education.cohort.teach", on="session", via=lambda session: session.cohort)
@transaction.atomic
def checkin_open(*, actor: Any, session: Session) -> Session:
    """Let the students check themselves in with a short code, until half an hour after
    the session ends (a new code each time it is opened)."""
    import secrets

    session.checkin_code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    session.checkin_until = max(session.ends_at, timezone.now()) + OPEN_AFTER_END
    session.save(update_fields=["checkin_code", "checkin_until", "updated_at"])
    audit.record(actor=actor, action=EducationEvent.CHECKIN_OPEN, target=session.cohort)
    return session


@guarded("education.cohort.teach", on="session", via=lambda session: session.cohort)
@transaction.atomic
def checkin_close(*, actor: Any, session: Session) -> Session:
    session.checkin_code = ""
    session.checkin_until = None
    session.save(update_fields=["checkin_code", "checkin_until", "updated_at"])
    audit.record(actor=actor, action=EducationEvent.CHECKIN_OPEN, target=session.cohort)
    return session


@guarded("education.enrolment.check_in", on="enrolment")
@transaction.atomic
def attendance_check_in(*, actor: Any, enrolment: Enrolment, code: str) -> AttendanceRecord:
    """The student marks themself present (late after the first quarter hour) in the
    session whose open code they give. Checking in twice keeps the first check-in; a
    teacher's later mark still decides (the latest mark counts)."""
    code = "".join((code or "").split()).upper()
    now = timezone.now()
    session = (
        Session.objects.filter(
            cohort_id=enrolment.cohort_id, checkin_until__gte=now, checkin_code__gt=""
        )
        .filter(checkin_code=code)
        .first()
    )
    if not code or session is None:
        raise DomainError(
            _("This code is not open for any session of the cohort."),
            "code",
            code="unknown_checkin_code",
        )
    earlier = AttendanceRecord.objects.filter(
        session=session, enrolment=enrolment, recorded_by=actor
    ).first()
    if earlier is not None:
        return earlier
    record = AttendanceRecord.objects.create(
        client_id=uuid_lib.uuid4(),
        session=session,
        enrolment=enrolment,
        status=AttendanceStatus.LATE
        if now > session.starts_at + LATE_AFTER
        else AttendanceStatus.PRESENT,
        recorded_at=now,
        recorded_by=actor,
    )
    audit.record(actor=actor, action=EducationEvent.CHECK_IN, target=enrolment.cohort)
    return record
