"""The workflow through pages and the API: apply, answer, attend, certify, verify, revoke."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from django.test import Client
from django.utils import timezone

from minga.education.models import AttendanceRecord, Certificate, Enrolment
from tests import factories
from tests.education import factories as education


def test_the_whole_course_through_pages(cohort: Any, teacher: Any, coordinator: Any) -> None:
    """A student applies, the teacher accepts and takes attendance, issues the certificate,
    a stranger verifies it, the coordinator revokes it and the page says so."""
    session = education.session(cohort)
    student = factories.person("estudiante")
    student_client = Client()
    student_client.force_login(student)
    response = student_client.post(f"/education/cohorts/{cohort.uuid}/apply/", follow=True)
    assert "Your application was sent to the teachers." in response.content.decode()
    enrolment = Enrolment.objects.get(person=student)

    teacher_client = Client()
    teacher_client.force_login(teacher)
    teacher_client.post(f"/education/enrolments/{enrolment.uuid}/decide/", {"decision": "accept"})
    enrolment.refresh_from_db()
    assert enrolment.status == "accepted"
    sheet = teacher_client.get(f"/education/sessions/{session.uuid}/attendance/")
    assert sheet.status_code == 200
    teacher_client.post(
        f"/education/sessions/{session.uuid}/attendance/", {f"student_{enrolment.pk}": "present"}
    )
    assert AttendanceRecord.objects.get().status == "present"
    response = teacher_client.post(
        f"/education/enrolments/{enrolment.uuid}/certificate/", follow=True
    )
    assert "The certificate was issued." in response.content.decode()
    certificate = Certificate.objects.get()

    verification = Client().get(f"/education/certificates/{certificate.code}/")
    assert verification.status_code == 200
    assert "Valid." in verification.content.decode()
    assert (
        Client().get(f"/education/certificates/{certificate.code}/certificate.pdf").status_code
        == 404
    )
    pdf = student_client.get(f"/education/certificates/{certificate.code}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf"

    coordinator_client = factories.verified_client(coordinator)
    coordinator_client.post(
        f"/education/certificates/{certificate.code}/revoke/", {"reason": "Error de registro."}
    )
    page = Client().get(f"/education/certificates/{certificate.code}/").content.decode()
    assert "Revoked on" in page
    assert "Error de registro." in page


def test_a_stranger_cannot_answer_applications_nor_revoke(cohort: Any, coordinator: Any) -> None:
    enrolment = education.student(cohort)
    stranger = Client()
    stranger.force_login(factories.person())
    response = stranger.post(
        f"/education/enrolments/{enrolment.uuid}/decide/", {"decision": "refuse", "reason": "x"}
    )
    assert response.status_code == 404
    from minga.common.permissions import SYSTEM
    from minga.education import services

    certificate = services.certificate_grant(actor=SYSTEM, enrolment=enrolment, reason="R")
    response = stranger.post(
        f"/education/certificates/{certificate.code}/revoke/", {"reason": "Porque sí."}
    )
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_an_unknown_or_altered_code_is_refused_clearly(db: None) -> None:
    response = Client().get("/education/certificates/NOTACODE00/")
    assert response.status_code == 404
    assert "No certificate has the code NOTACODE00." in response.content.decode()
    assert Client().get("/api/v1/education/certificates/NOTACODE00").json()["code"] == "not_found"


def test_attendance_sync_through_the_api_is_idempotent(cohort: Any, teacher: Any) -> None:
    session = education.session(cohort)
    students = [education.student(cohort) for _i in range(3)]
    token = factories.api_token(teacher)
    marks = [
        {
            "client_id": str(uuid.uuid4()),
            "session": str(session.uuid),
            "enrolment": str(s.uuid),
            "status": "late",
            "recorded_at": timezone.now().isoformat(),
        }
        for s in students
    ]
    client = Client(headers={"Authorization": f"Bearer {token}"})
    url = f"/api/v1/education/cohorts/{cohort.uuid}/attendance"
    first = client.post(url, {"marks": marks}, content_type="application/json")
    second = client.post(url, {"marks": marks}, content_type="application/json")
    assert first.json() == {"received": 3, "stored": 3, "already_known": 0}
    assert second.json() == {"received": 3, "stored": 0, "already_known": 3}
    marks[0]["status"] = "asleep"
    bad = client.post(url, {"marks": marks}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["field"] == "marks[0].status"


def test_applying_through_the_api_and_a_full_cohort(course: Any) -> None:
    cohort = education.cohort(course, capacity=1, waitlist_size=0, admission="first_come")
    first = Client(headers={"Authorization": f"Bearer {factories.api_token(factories.person())}"})
    second = Client(headers={"Authorization": f"Bearer {factories.api_token(factories.person())}"})
    url = f"/api/v1/education/cohorts/{cohort.uuid}/apply"
    accepted = first.post(url, {}, content_type="application/json")
    assert accepted.status_code == 201
    assert accepted.json()["status"] == "accepted"
    full = second.post(url, {}, content_type="application/json")
    assert full.status_code == 409
    assert full.json()["code"] == "cohort_full"
    assert Enrolment.objects.filter(cohort=cohort).count() == 1


def test_a_coordinator_creates_a_course_and_a_cohort_through_the_api(
    school: Any, coordinator: Any, teacher: Any
) -> None:
    client = Client(headers={"Authorization": f"Bearer {factories.api_token(coordinator)}"})
    course = client.post(
        f"/api/v1/education/schools/{school.uuid}/courses",
        {"title": "Semillas", "language": "pt", "hours": 12},
        content_type="application/json",
    )
    assert course.status_code == 201, course.content
    today = timezone.localdate().isoformat()
    cohort = client.post(
        f"/api/v1/education/courses/{course.json()['uuid']}/cohorts",
        {
            "name": "2027-I",
            "starts_on": today,
            "ends_on": today,
            "capacity": 20,
            "enrolment_opens_on": today,
            "enrolment_closes_on": today,
            "teachers": [teacher.username],
        },
        content_type="application/json",
    )
    assert cohort.status_code == 201, cohort.content
    stranger = Client(
        headers={"Authorization": f"Bearer {factories.api_token(factories.person())}"}
    )
    refused = stranger.post(
        f"/api/v1/education/schools/{school.uuid}/courses",
        {"title": "Otra"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_the_calendars_list_the_sessions(cohort: Any, teacher: Any) -> None:
    session = education.session(cohort, days_ago=-2)
    enrolment = education.student(cohort)
    client = Client()
    client.force_login(enrolment.person)
    feed = client.get(f"/education/cohorts/{cohort.uuid}/calendar.ics").content.decode()
    mine = client.get("/education/calendar.ics").content.decode()
    assert f"{session.uuid}@minga-education" in feed
    assert f"{session.uuid}@minga-education" in mine


def test_pages_of_creation_open_a_school_course_cohort_and_session(
    commune: Any, coordinator: Any, teacher: Any
) -> None:
    client = factories.verified_client(coordinator)
    response = client.post(
        "/education/schools/new/",
        {"name": "Escuela Nueva", "language": "es", "organization": commune.name},
        follow=True,
    )
    assert "The school was opened." in response.content.decode()
    school = commune.schools.get()
    response = client.post(
        f"/education/schools/{school.uuid}/courses/new/",
        {
            "title": "Radio comunitaria",
            "language": "es",
            "level": "introductory",
            "hours": 8,
            "min_attendance_percent": 80,
            "visibility": "public",
        },
        follow=True,
    )
    assert "The course was created." in response.content.decode()
    course = school.courses.get()
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/education/courses/{course.uuid}/cohorts/new/",
        {
            "name": "Primera",
            "starts_on": today,
            "ends_on": today,
            "enrolment_opens_on": today,
            "enrolment_closes_on": today,
            "capacity": 10,
            "waitlist_size": 0,
            "admission": "review",
            "teachers": teacher.username,
        },
        follow=True,
    )
    assert "The cohort was opened." in response.content.decode()
    cohort = course.cohorts.get()
    assert list(cohort.teachers.all()) == [teacher]
    response = client.post(
        f"/education/cohorts/{cohort.uuid}/sessions/new/",
        {"starts_at": f"{today}T17:00", "ends_at": f"{today}T19:00"},
        follow=True,
    )
    assert "The session was scheduled." in response.content.decode()


def test_anonymous_readers_see_public_pages_and_are_asked_to_sign_in(cohort: Any) -> None:
    """Every public page of the module answers an anonymous reader."""
    education.session(cohort)
    client = Client()
    for path in (
        "/education/",
        f"/education/schools/{cohort.course.school.uuid}/",
        f"/education/courses/{cohort.course.uuid}/",
        "/education/verify/",
    ):
        assert client.get(path).status_code == 200, path
    page = client.get(f"/education/cohorts/{cohort.uuid}/")
    assert page.status_code == 200
    assert "Sign in to apply." in page.content.decode()


def test_a_code_no_certificate_could_have_is_refused_on_the_verification_form() -> None:
    """A typed code with a slash or markup gets the form again with "no certificate has
    the code", escaped, instead of an address that cannot be made."""
    response = Client().get("/education/verify/", {"code": "<script>alert(1)</script>"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "No certificate has the code" in html
    assert "&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;" in html
    assert "<SCRIPT>" not in html
    assert Client().get("/education/verify/", {"code": "abc-123"})["Location"] == (
        "/education/certificates/ABC-123/"
    )


def test_a_session_through_the_api_reads_times_in_its_zone_and_refuses_unknown_zones(
    cohort: Any, teacher: Any
) -> None:
    client = Client(headers={"Authorization": f"Bearer {factories.api_token(teacher)}"})
    url = f"/api/v1/education/cohorts/{cohort.uuid}/sessions"
    made = client.post(
        url,
        {
            "starts_at": "2026-12-05T17:00:00",
            "ends_at": "2026-12-05T19:00:00",
            "time_zone": "America/Port-au-Prince",
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    starts = datetime.fromisoformat(made.json()["starts_at"].replace("Z", "+00:00"))
    assert starts == datetime(2026, 12, 5, 22, tzinfo=UTC)
    for zone in ("Mars/Olympus", "a" * 60):
        refused = client.post(
            url,
            {
                "starts_at": "2026-12-05T17:00:00",
                "ends_at": "2026-12-05T19:00:00",
                "time_zone": zone,
            },
            content_type="application/json",
        )
        assert refused.status_code == 422
        assert refused.json()["field"] == "time_zone"
