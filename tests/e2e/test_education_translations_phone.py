"""Course translations and endorsed applications on a 360 px phone in Haitian Creole: a
coordinator writes the course in Creole and marks it reviewed, a reader sees it in Creole
with its status and the original one click away; a member applies on behalf of their only
organization (preselected) and its coordinator endorses the application. Every action is
confirmed and every page fits the screen."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp

from minga.education.models import Enrolment
from tests import factories
from tests.education import factories as education

from .phone import creole, fits
from .test_assembly_flow import _sign_in, _submit


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_a_course_in_creole_and_an_endorsed_application(
    live_server: Any, phone_for: Any, tmp_path: Any
) -> None:
    commune = factories.organization(name="Komin Lakay", slug="lakay", country="HT")
    coordinator = factories.person("kowodonatris")
    factories.role(coordinator, commune, "coordinator")
    movement = factories.organization(name="Mouvman Peyizan", slug="mouvman", country="HT")
    endorser = factories.person("responsab")
    factories.role(endorser, movement, "coordinator")
    member = factories.person("manm")
    factories.role(member, movement, "member")
    course = education.course(
        education.school(commune), title="Agroecología campesina", on_behalf="endorsed"
    )
    cohort = education.cohort(course)
    base = live_server.url

    def one_time(person: Any) -> str:
        device = factories.second_factor(person)
        return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"

    phone = phone_for()
    _sign_in(phone, base, "kowodonatris", one_time(coordinator))
    phone.goto(f"{base}/education/courses/{course.uuid}/translations/")
    assert fits(phone)
    phone.select_option("#id_language", "ht")
    phone.fill("#id_title", "Agwoekoloji peyizan")
    phone.fill("#id_description", "Tè vivan ak jaden ki byen òganize.")
    _submit(phone, "main form button[type=submit]")
    assert creole("The translation was saved; readers see it now.") in phone.inner_text("body")
    assert fits(phone)
    _submit(phone, "main button[value=review]")
    assert creole("The translation is marked as reviewed.") in phone.inner_text("body")
    assert creole("Reviewed translation") in phone.inner_text("main")
    phone.screenshot(path=str(tmp_path / "translation.png"), full_page=True)

    reader = phone_for()
    _sign_in(reader, base, "manm")
    reader.goto(f"{base}/education/courses/{course.uuid}/")
    assert reader.inner_text("main h1") == "Agwoekoloji peyizan"
    assert creole("Reviewed translation") in reader.inner_text("main")
    assert fits(reader)
    _submit(reader, "main a[href='?original=1']")
    assert reader.inner_text("main h1") == "Agroecología campesina"

    reader.goto(f"{base}/education/cohorts/{cohort.uuid}/")
    assert reader.input_value("#id_on_behalf_of").startswith("Mouvman Peyizan")  # the only one
    assert fits(reader)
    reader.screenshot(path=str(tmp_path / "apply.png"), full_page=True)
    _submit(reader, "main form[action$='/apply/'] button")
    assert creole(
        "Your application was sent to your organization for its endorsement."
    ) in reader.inner_text("body")
    assert fits(reader)

    responsible = phone_for()
    _sign_in(responsible, base, "responsab", one_time(endorser))
    responsible.goto(f"{base}/education/endorsements/")
    assert fits(responsible)
    responsible.screenshot(path=str(tmp_path / "endorsements.png"), full_page=True)
    _submit(responsible, "main button[value=endorse]")
    assert creole("The application is endorsed: the teachers may now answer it.") in (
        responsible.inner_text("body")
    )
    assert fits(responsible)
    assert Enrolment.objects.get(person=member).endorsement == "endorsed"
