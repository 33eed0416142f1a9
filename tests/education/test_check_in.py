"""Students check themselves in with a short code, where the teacher opened it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM
from minga.education import selectors, services
from minga.education.models import AttendanceRecord
from tests import factories
from tests.education import factories as education


def test_a_student_checks_in_once_with_the_open_code(cohort: Any, teacher: Any) -> None:
    """Late after the first quarter hour; a second check-in keeps the first; the teacher's
    later mark decides."""
    session = education.session(cohort, days_ago=0)
    enrolment = education.student(cohort)
    services.checkin_open(actor=teacher, session=session)
    assert len(session.checkin_code) == 6
    first = services.attendance_check_in(
        actor=enrolment.person, enrolment=enrolment, code=session.checkin_code.lower()
    )
    again = services.attendance_check_in(
        actor=enrolment.person, enrolment=enrolment, code=session.checkin_code
    )
    assert first == again and AttendanceRecord.objects.count() == 1
    expected = "late" if timezone.now() > session.starts_at + timedelta(minutes=15) else "present"
    assert first.status == expected
    services.attendance_sync(
        actor=teacher,
        cohort=cohort,
        marks=[education.mark(session, enrolment, "excused", recorded_at=timezone.now())],
    )
    assert selectors.attendance_of_session(session)[enrolment.pk].current.status == "excused"


def test_wrong_closed_or_foreign_codes_are_refused_and_write_nothing(
    cohort: Any, teacher: Any
) -> None:
    session = education.session(cohort, days_ago=0)
    enrolment = education.student(cohort)
    with pytest.raises(DomainError) as refused:
        services.attendance_check_in(actor=enrolment.person, enrolment=enrolment, code="ABC234")
    assert (refused.value.field, refused.value.code) == ("code", "unknown_checkin_code")
    services.checkin_open(actor=teacher, session=session)
    code = session.checkin_code
    services.checkin_close(actor=teacher, session=session)
    with pytest.raises(DomainError):
        services.attendance_check_in(actor=enrolment.person, enrolment=enrolment, code=code)
    other = education.cohort(cohort.course, name="Otra")
    other_session = education.session(other, days_ago=0)
    services.checkin_open(actor=SYSTEM, session=other_session)
    with pytest.raises(DomainError):
        services.attendance_check_in(
            actor=enrolment.person, enrolment=enrolment, code=other_session.checkin_code
        )
    with pytest.raises(PermissionDenied):
        services.attendance_check_in(actor=factories.person("otra"), enrolment=enrolment, code=code)
    applicant = services.enrolment_apply(actor=factories.person("aspirante"), cohort=cohort)
    with pytest.raises(PermissionDenied):
        services.attendance_check_in(actor=applicant.person, enrolment=applicant, code=code)
    assert not AttendanceRecord.objects.exists()


def test_check_in_through_the_pages_and_the_api(cohort: Any, teacher: Any) -> None:
    session = education.session(cohort, days_ago=0)
    enrolment = education.student(cohort)
    teaching = Client()
    teaching.force_login(teacher)
    response = teaching.post(
        f"/education/sessions/{session.uuid}/check-in/", {"action": "open"}, follow=True
    )
    session.refresh_from_db()
    assert "Students can now check in with the code." in response.content.decode()
    assert session.checkin_code in response.content.decode()
    student = Client()
    student.force_login(enrolment.person)
    response = student.post(
        f"/education/cohorts/{cohort.uuid}/check-in/", {"code": "WRONG1"}, follow=True
    )
    assert "This code is not open for any session of the cohort." in response.content.decode()
    api = student.post(
        f"/api/v1/education/cohorts/{cohort.uuid}/check-in",
        {"code": session.checkin_code},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["session"] == str(session.uuid)
    response = student.post(
        f"/education/cohorts/{cohort.uuid}/check-in/", {"code": session.checkin_code}, follow=True
    )
    assert "You are checked in as" in response.content.decode()
    assert AttendanceRecord.objects.count() == 1
