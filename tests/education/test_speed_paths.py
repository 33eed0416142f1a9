"""The paths made for large cohorts give the same answers as the plain ones: progress
counted by the database, certificates issued for a whole cohort at once, and their PDFs
drawn in a pool of processes."""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minga.common import signing
from minga.common.models import AuditEntry
from minga.common.permissions import PermissionDenied
from minga.core.education import certificates as signed_form
from minga.core.education.attendance import Mark, resolve
from minga.core.education.completion import StudentRecord, progress
from minga.education import documents, drawing, selectors, services
from minga.education.audit_events import EducationEvent
from minga.education.models import AttendanceRecord, Certificate, Enrolment
from tests import factories
from tests.education import factories as education

STATUSES = ("present", "late", "excused", "absent")
marks_strategy = st.lists(
    st.tuples(
        st.integers(0, 2),  # session
        st.integers(0, 2),  # student
        st.sampled_from(STATUSES),
        st.integers(0, 3),  # minutes after the session's start: ties are likely
    ),
    max_size=25,
)


@pytest.fixture(autouse=True)
def roomy(cohort: Any) -> None:
    """Room for every student these tests accept."""
    cohort.capacity = 50
    cohort.save(update_fields=["capacity"])


@pytest.fixture
def world(cohort: Any) -> dict[str, Any]:
    return {
        "sessions": [education.session(cohort, days_ago=d) for d in (3, 2, 1)],
        "students": [education.student(cohort) for _i in range(3)],
    }


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=marks_strategy)
def test_the_database_counts_progress_as_the_core_rule_decides(
    cohort: Any, world: dict[str, Any], drawn: list[tuple[int, int, str, int]]
) -> None:
    """Whatever the marks (several per student and session, equal times), the progress the
    dashboard reads from the database equals the core's: latest mark wins, ties broken by
    the larger phone-made id, unmarked sessions missed, excused ones left out."""
    AttendanceRecord.objects.filter(session__cohort=cohort).delete()
    sessions, students = world["sessions"], world["students"]
    rows = [
        AttendanceRecord(
            client_id=uuid.uuid4(),
            session=sessions[s],
            enrolment=students[e],
            status=status,
            recorded_at=sessions[s].starts_at + timedelta(minutes=minutes),
        )
        for s, e, status, minutes in drawn
    ]
    AttendanceRecord.objects.bulk_create(rows)
    database = selectors.cohort_progress(cohort, students)
    for enrolment in students:
        resolved = resolve(
            Mark(
                client_id=str(r.client_id),
                session=str(r.session_id),
                student=str(r.enrolment_id),
                status=r.status,
                recorded_at=r.recorded_at,
                recorded_by="",
            )
            for r in rows
            if r.enrolment_id == enrolment.pk
        )
        current = {int(s): r.current.status for (s, _e), r in resolved.items()}
        expected = progress(
            cohort.course.completion_rules,
            StudentRecord(attendance=tuple(current.get(s.pk, "absent") for s in sessions)),
        )
        assert database[enrolment.pk] == expected


def _attended(cohort: Any, teacher: Any, enrolments: list[Any]) -> None:
    session = education.session(cohort)
    services.attendance_sync(
        actor=teacher, cohort=cohort, marks=[education.mark(session, e) for e in enrolments]
    )


def test_a_whole_cohort_receives_its_certificates_at_once(cohort: Any, teacher: Any) -> None:
    """Only those who met the rules and have none yet get one, each signed and audited;
    a second time issues nothing more."""
    done = [education.student(cohort) for _i in range(3)]
    missing = education.student(cohort)
    _attended(cohort, teacher, done)
    already = services.certificate_issue(actor=teacher, enrolment=done[0])
    issued = services.certificates_issue_completed(actor=teacher, cohort=cohort)
    assert sorted(c.enrolment_id for c in issued) == sorted(e.pk for e in done[1:])
    assert not Certificate.objects.filter(enrolment=missing).exists()
    assert Certificate.objects.get(enrolment=done[0]).code == already.code
    for certificate in Certificate.objects.filter(pk__in=[c.pk for c in issued]):
        claims = signed_form.verify(certificate.signed, [signing.public_key_bytes()]).claims
        assert claims.code == certificate.code
        assert claims.holder == str(certificate.enrolment.person)
    audited = AuditEntry.objects.filter(action=EducationEvent.CERTIFICATE_ISSUE.value)
    assert sorted(audited.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in Certificate.objects.values_list("pk", flat=True)
    )
    assert services.certificates_issue_completed(actor=teacher, cohort=cohort) == []


def test_only_the_cohorts_staff_issue_the_certificates_of_all(cohort: Any, teacher: Any) -> None:
    enrolment = education.student(cohort)
    _attended(cohort, teacher, [enrolment])
    for stranger in (factories.person(), enrolment.person):
        with pytest.raises(PermissionDenied):
            services.certificates_issue_completed(actor=stranger, cohort=cohort)
    assert not Certificate.objects.exists()


def test_the_pool_draws_every_page_in_order(cohort: Any, teacher: Any) -> None:
    """More pages than the pool threshold: drawn by the workers, returned in order, each a
    PDF carrying its own code."""
    students = [education.student(cohort) for _i in range(drawing.POOL_FROM + 2)]
    _attended(cohort, teacher, students)
    services.certificates_issue_completed(actor=teacher, cohort=cohort)
    certificates = selectors.cohort_certificates(cohort)
    pdfs = documents.render_certificate_pdfs(certificates)
    assert len(pdfs) == len(students)
    for certificate, pdf in zip(certificates, pdfs, strict=True):
        assert pdf.startswith(b"%PDF-")
        assert certificate.code.encode() in pdf


def test_the_certificate_page_speaks_the_course_language(cohort: Any, teacher: Any) -> None:
    enrolment = education.student(cohort)
    _attended(cohort, teacher, [enrolment])
    certificate = services.certificate_issue(actor=teacher, enrolment=enrolment)
    cohort.course.language = "fr"
    cohort.course.save()
    page = documents.certificate_page(selectors.certificate_by_code(certificate.code))
    assert page.title == "Certificat"
    assert page.holder == str(enrolment.person)
    assert page.course == cohort.course.title
    assert certificate.code in " ".join(page.verification)
    assert page.url.endswith(certificate.get_absolute_url())
    assert page.revoked == ""


def test_the_staff_download_every_certificate_in_one_zip(cohort: Any, teacher: Any) -> None:
    """The cohort page's two actions: issue for all who completed (with a confirmation),
    then one ZIP of their PDFs; students and strangers get nothing."""
    students = [education.student(cohort) for _i in range(2)]
    _attended(cohort, teacher, students)
    client = Client()
    client.force_login(teacher)
    page = cohort.get_absolute_url()
    answer = client.get(f"/education/cohorts/{cohort.uuid}/certificates.zip", follow=True)
    assert "No certificate has been issued" in answer.content.decode()
    answer = client.post(f"/education/cohorts/{cohort.uuid}/certificates/issue/", follow=True)
    assert "2 certificates were issued." in answer.content.decode()
    answer = client.post(f"/education/cohorts/{cohort.uuid}/certificates/issue/", follow=True)
    assert "Nobody else has met the completion rules yet." in answer.content.decode()
    answer = client.get(f"/education/cohorts/{cohort.uuid}/certificates.zip")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        codes = {
            name.removeprefix("certificate-").removesuffix(".pdf") for name in archive.namelist()
        }
        assert all(archive.read(name).startswith(b"%PDF-") for name in archive.namelist())
    assert codes == set(Certificate.objects.values_list("code", flat=True))
    student = Client()
    student.force_login(students[0].person)
    assert student.get(f"/education/cohorts/{cohort.uuid}/certificates.zip").status_code == 403
    student.post(f"/education/cohorts/{cohort.uuid}/certificates/issue/")
    assert Certificate.objects.count() == 2
    assert "Download every certificate" not in student.get(page).content.decode()


def test_the_dashboard_shows_each_students_attendance(cohort: Any, teacher: Any) -> None:
    present, absent = education.student(cohort), education.student(cohort)
    session = education.session(cohort)
    services.attendance_sync(
        actor=teacher,
        cohort=cohort,
        marks=[education.mark(session, present), education.mark(session, absent, "absent")],
    )
    client = Client()
    client.force_login(teacher)
    text = client.get(cohort.get_absolute_url()).content.decode()
    assert "Attendance: 100% (1 of 1 sessions)" in text
    assert "Attendance: 0% (0 of 1 sessions)" in text


@pytest.mark.parametrize("students", [5, 50])
def test_the_dashboard_and_the_course_page_cost_the_same_queries_for_5_or_50_students(
    cohort: Any, teacher: Any, students: int, django_assert_max_num_queries: Any
) -> None:
    """One query per table on the staff's dashboard (a page of fifty: names, organizations,
    certificates, attendance and marks read together), and the course page counts its
    cohorts' places in the database: neither grows with the cohort."""
    session = education.session(cohort)
    work = education.assignment(cohort.course)
    enrolments = [education.student(cohort) for _i in range(students)]
    services.attendance_sync(
        actor=teacher, cohort=cohort, marks=[education.mark(session, e) for e in enrolments]
    )
    organization = factories.organization()
    Enrolment.objects.filter(pk=enrolments[0].pk).update(on_behalf_of=organization)
    for enrolment in enrolments[:2]:
        submission = services.submission_send(
            actor=enrolment.person, enrolment=enrolment, assignment=work, text="Mi trabajo"
        )
        services.submission_mark(
            actor=teacher, submission=submission, data=services.SubmissionMark(passed=True)
        )
    services.certificate_issue(actor=teacher, enrolment=enrolments[1])
    client = Client()
    client.force_login(teacher)
    with django_assert_max_num_queries(15):
        text = client.get(cohort.get_absolute_url()).content.decode()
    assert text.count("Attendance: 100% (1 of 1 sessions)") == students
    assert organization.name in text
    assert Certificate.objects.get().code in text
    with django_assert_max_num_queries(8):
        course_page = Client().get(cohort.course.get_absolute_url())
    assert cohort.name in course_page.content.decode()
