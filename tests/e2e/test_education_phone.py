"""A course on a 360 px phone in Haitian Creole: a student applies, is accepted, attends,
sends the course's assignment, which the teacher marks, and receives a certificate; a
stranger verifies it by its code; a coordinator revokes it and the verification page says so.
Every page fits the screen without sideways scrolling.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.common.permissions import SYSTEM
from minga.education import services
from minga.education.models import Certificate, Enrolment, Submission
from tests import factories
from tests.education import factories as education

from .phone import creole, fits
from .test_assembly_flow import _sign_in, _submit


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_a_student_is_certified_and_the_certificate_revoked_on_a_phone_in_creole(
    live_server: Any, phone_for: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("MINGA_SIGNING_KEY_FILE", str(tmp_path / "ed25519.pem"))
    from minga.common import signing

    signing._load.cache_clear()
    commune = factories.organization(name="Komin Lakay", slug="lakay", country="HT")
    coordinator = factories.person("kowodonatris")
    factories.role(coordinator, commune, "coordinator")
    device = TOTPDevice.objects.create(user=coordinator, name="telefòn", confirmed=True)
    teacher = factories.person("pwofese")
    school = education.school(commune, name="Lekòl Semans", language="ht")
    course = education.course(school, title="Kenbe semans peyizan", language="ht", hours=12)
    cohort = education.cohort(course, name="Gwoup 2026", teachers=[teacher])
    session = education.session(cohort)
    task = education.assignment(course, title="Rapò sou semans yo")
    services.marking_set(
        actor=SYSTEM, course=course, data=services.MarkingData(assignments_to_pass=1)
    )
    factories.person("etidyan", display_name="Rozelò Etyèn")
    base = live_server.url

    student = phone_for()
    _sign_in(student, base, "etidyan")
    student.goto(f"{base}/education/cohorts/{cohort.uuid}/")
    assert fits(student)
    _submit(student, "main form[action$='/apply/'] button")
    assert "Demann ou an ale bay pwofesè yo." in student.inner_text("body")
    enrolment = Enrolment.objects.get(person__username="etidyan")

    teaching = phone_for()
    _sign_in(teaching, base, "pwofese")
    teaching.goto(f"{base}/education/cohorts/{cohort.uuid}/")
    _submit(teaching, f"main form[action$='/{enrolment.uuid}/decide/'] button[value=accept]")
    assert "Repons lan anrejistre." in teaching.inner_text("body")
    assert fits(teaching)
    teaching.goto(f"{base}/education/sessions/{session.uuid}/attendance/")
    teaching.check(f"input[name=student_{enrolment.pk}][value=present]")
    teaching.screenshot(path=tmp_path / "attendance-ht.png", full_page=True)
    assert fits(teaching)
    # The sheet keeps the marks on the phone and sends them itself (it works offline).
    teaching.click("#attendance-sheet button[type=submit]")
    sent = creole("Sent: %%(stored)s new marks recorded, %%(known)s already known.")
    teaching.wait_for_function(
        "text => document.getElementById('sheet-status').textContent === text",
        arg=sent.replace("%%", "%") % {"stored": 1, "known": 0},
    )
    # Attendance alone does not complete the course: the assignment is still to pass.
    teaching.goto(f"{base}/education/cohorts/{cohort.uuid}/")
    issue = f"main form[action$='/{enrolment.uuid}/certificate/'] button"
    assert teaching.locator(issue).count() == 0

    student.goto(f"{base}{task.url_in(cohort)}")
    student.fill("#id_text", "Mwen sere semans mayi yo nan kalbas ki byen sèk.")
    _submit(student, "main form[enctype='multipart/form-data'] button[type=submit]")
    assert creole("Your work was sent.") in student.inner_text("body")
    student.screenshot(path=tmp_path / "assignment-ht.png", full_page=True)
    assert fits(student)
    submission = Submission.objects.get()

    teaching.goto(f"{base}{task.url_in(cohort)}")
    assert fits(teaching)
    with teaching.expect_navigation():
        teaching.click(f"main a[href$='/submissions/{submission.uuid}/']")
    teaching.check("input[name=passed][value=yes]")
    teaching.fill("#id_feedback", "Bon travay: kalbas la se yon bon lide.")
    teaching.screenshot(path=tmp_path / "mark-ht.png", full_page=True)
    assert fits(teaching)
    _submit(teaching, "main form button[type=submit]")
    assert creole("The mark and feedback were saved.") in teaching.inner_text("body")

    student.reload()
    assert "Bon travay: kalbas la se yon bon lide." in student.inner_text("body")
    teaching.goto(f"{base}/education/cohorts/{cohort.uuid}/")
    _submit(teaching, issue)
    assert "Sètifika a bay." in teaching.inner_text("body")
    code = Certificate.objects.get().code

    student.goto(f"{base}/education/cohorts/{cohort.uuid}/")
    assert "Ou respekte règ pou fini kou a." in student.inner_text("body")
    with student.expect_navigation():
        student.click("main a[href*='/education/certificates/']")
    assert "Valab." in student.inner_text("body")

    stranger = phone_for()
    stranger.goto(f"{base}/education/verify/")
    stranger.fill("#code", code.lower())
    _submit(stranger, "main form button")
    assert "Valab." in stranger.inner_text("body")
    assert "Rozelò Etyèn" in stranger.inner_text("body")
    assert fits(stranger)

    coordinating = phone_for()
    one_time = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    _sign_in(coordinating, base, "kowodonatris", f"{one_time:06d}")
    coordinating.goto(f"{base}/education/certificates/{code}/")
    coordinating.fill("#id_reason", "Nou te bay li pa erè.")
    _submit(coordinating, "main form[action$='/revoke/'] button")
    assert "Sètifika a anile." in coordinating.inner_text("body")

    stranger.reload()
    text = stranger.inner_text("body")
    assert "Anile" in text
    assert "Nou te bay li pa erè." in text
    assert "Valab." not in text
    stranger.screenshot(path=tmp_path / "revoked-ht.png", full_page=True)
    assert fits(stranger)
    assert timezone.now() - Certificate.objects.get().revoked_at < timedelta(minutes=5)
