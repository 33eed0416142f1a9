"""Assignments on a 360 px phone in Haitian Creole: a coordinator writes the course's rubric
(a wrong line is refused, naming it), a student sends a file, the teacher marks it on the
rubric from the cohort's list, and the student reads the points and feedback. Every page
fits the screen and confirms each action."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.education.models import Course, Submission
from tests import factories
from tests.education import factories as education

from .phone import creole, fits
from .test_assembly_flow import _sign_in, _submit


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_a_rubric_is_written_and_work_marked_on_it_on_a_phone_in_creole(
    live_server: Any, phone_for: Any, tmp_path: Any
) -> None:
    commune = factories.organization(name="Komin Lakay", slug="lakay", country="HT")
    coordinator = factories.person("kowodonatris")
    factories.role(coordinator, commune, "coordinator")
    device = TOTPDevice.objects.create(user=coordinator, name="telefòn", confirmed=True)
    teacher = factories.person("pwofese")
    school = education.school(commune, name="Lekòl Semans", language="ht")
    course = education.course(school, title="Kenbe semans peyizan", language="ht")
    cohort = education.cohort(course, name="Gwoup 2026", teachers=[teacher])
    task = education.assignment(course, title="Rapò sou semans yo")
    enrolment = education.student(cohort, "etidyan")
    base = live_server.url

    coordinating = phone_for()
    one_time = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    _sign_in(coordinating, base, "kowodonatris", f"{one_time:06d}")
    coordinating.goto(f"{base}/education/courses/{course.uuid}/marking/")
    coordinating.check("input[name=kind][value=rubric]")
    coordinating.fill("#id_rubric", "Klète | Pa klè 0 | Klè 2\nSous | 3")
    _submit(coordinating, "main form button[type=submit]")
    assert creole("Line %(line)d: a criterion has between 2 and 10 levels.") % {"line": 2} in (
        coordinating.inner_text("body")
    )
    coordinating.fill("#id_rubric", "Klète | Pa klè 0 | Klè 2 | Trè klè 4\nSous | Okenn 0 | Kèk 2")
    coordinating.fill("#id_pass_points", "3")
    coordinating.fill("#id_assignments_to_pass", "1")
    coordinating.screenshot(path=tmp_path / "marking-ht.png", full_page=True)
    assert fits(coordinating)
    _submit(coordinating, "main form button[type=submit]")
    assert creole("The marking scale and rules were saved.") in coordinating.inner_text("body")
    assert Course.objects.get(pk=course.pk).scale.max_points == 6

    student = phone_for()
    _sign_in(student, base, "etidyan")
    student.goto(f"{base}{task.url_in(cohort)}")
    pdf = tmp_path / "rapo.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 300)
    student.set_input_files("#id_file", str(pdf))
    _submit(student, "main form[enctype='multipart/form-data'] button[type=submit]")
    assert creole("Your work was sent.") in student.inner_text("body")
    submission = Submission.objects.get(enrolment=enrolment)

    teaching = phone_for()
    _sign_in(teaching, base, "pwofese")
    teaching.goto(f"{base}{task.url_in(cohort)}")
    teaching.screenshot(path=tmp_path / "cohort-work-ht.png", full_page=True)
    assert fits(teaching)
    with teaching.expect_navigation():
        teaching.click(f"main a[href$='/submissions/{submission.uuid}/']")
    teaching.check("input[name=level_0][value='2']")
    teaching.check("input[name=level_1][value='1']")
    teaching.fill("#id_feedback", "Rapò a klè; mete plis sous.")
    teaching.screenshot(path=tmp_path / "rubric-ht.png", full_page=True)
    assert fits(teaching)
    _submit(teaching, "main form button[type=submit]")
    assert creole("The mark and feedback were saved.") in teaching.inner_text("body")

    student.reload()
    text = student.inner_text("body")
    assert (
        creole("%(points)d of %(most)d points · %(verdict)s")
        % {
            "points": 6,
            "most": 6,
            "verdict": creole("passed"),
        }
        in text
    )
    assert "Rapò a klè; mete plis sous." in text
    student.goto(f"{base}{cohort.get_absolute_url()}")
    assert creole("Assignments passed: %(passed)s of %(needed)s") % {
        "passed": 1,
        "needed": 1,
    } in student.inner_text("body")
    assert fits(student)
