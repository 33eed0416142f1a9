"""Lessons on a 360 px phone in Haitian Creole: a teacher adds a module, a lesson and a
video link, each confirmed; a student reads the lesson and downloads its module to read
offline. Every page fits the screen."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from tests.education import factories as education

from .phone import creole, fits
from .test_assembly_flow import _sign_in, _submit


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_a_teacher_writes_a_lesson_and_a_student_reads_it_offline(
    live_server: Any, phone_for: Any, tmp_path: Any
) -> None:
    commune = factories.organization(name="Komin Lakay", slug="lakay", country="HT")
    teacher = factories.person("pwofese")
    course = education.course(
        education.school(commune, language="ht"), title="Kenbe semans", language="ht"
    )
    cohort = education.cohort(course, teachers=[teacher])
    education.student(cohort, "etidyan")
    base = live_server.url

    phone = phone_for()
    _sign_in(phone, base, "pwofese")
    phone.goto(f"{base}/education/courses/{course.uuid}/")
    assert fits(phone)
    _submit(phone, f"main a[href$='/courses/{course.uuid}/modules/new/']")
    phone.fill("#id_title", "Seche semans")
    _submit(phone, "main form button[type=submit]")
    assert creole("The module was added.") in phone.inner_text("body")
    assert fits(phone)
    _submit(phone, "main a[href$='/lessons/new/']")
    phone.fill("#id_title", "Kilè pou rekòlte")
    phone.fill("#id_body", "Rekòlte lè grenn yo **sèk**.\n\n<script>alert(1)</script>")
    _submit(phone, "main form button[type=submit]")
    assert creole("The lesson was added.") in phone.inner_text("body")
    assert fits(phone)
    _submit(phone, "main a[href$='/materials/new/']")
    phone.check("input[name=kind][value=video]")
    phone.fill("#id_title", "Videyo rekòt")
    phone.fill("#id_url", "https://video.example.org/rekot")
    _submit(phone, "main form button[type=submit]")
    assert creole("The material was added.") in phone.inner_text("body")
    assert fits(phone)

    reader = phone_for()
    _sign_in(reader, base, "etidyan")
    reader.goto(f"{base}/education/courses/{course.uuid}/")
    _submit(reader, "main a:text('Kilè pou rekòlte')")
    body = reader.inner_text("main")
    assert "sèk" in body and "Videyo rekòt" in body and "alert(1)" not in body
    assert fits(reader)
    reader.screenshot(path=str(tmp_path / "lesson.png"))
    with reader.expect_download() as download:
        reader.goto(f"{base}/education/courses/{course.uuid}/")
        reader.click("main a[href$='/offline.html']")
    saved = tmp_path / "module.html"
    download.value.save_as(saved)
    text = saved.read_text()
    assert "Kilè pou rekòlte" in text and "<strong>sèk</strong>" in text and "<script" not in text
