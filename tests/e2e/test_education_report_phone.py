"""A school's report on a 360 px phone in Haitian Creole: the coordinator opens it from the
school's page, reads its charts and figures, groups it by organization over a period, is
told when the period is backwards, and downloads the CSV, where a formula-like
organization name stays text. The page fits the screen and works without JavaScript."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import totp

from minga.common.permissions import SYSTEM
from minga.education import services
from tests import factories
from tests.education import factories as education

from .phone import creole, fits
from .test_assembly_flow import _sign_in, _submit

FORMULA = '=HYPERLINK("http://evil.example/","Komin")'


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_a_coordinator_reads_the_report_on_a_phone(
    live_server: Any, phone_for: Any, tmp_path: Path
) -> None:
    commune = factories.organization(name="Komin Lakay", slug="lakay", country="HT")
    coordinator = factories.person("kowodonatris")
    factories.role(coordinator, commune, "coordinator")
    school = education.school(commune, name="Lekòl Agwoekoloji")
    cohort = education.cohort(education.course(school, title="Agroecología campesina"))
    movement = factories.organization(name=FORMULA, region="caribbean", country="HT")
    member = factories.person("manm")
    factories.role(member, movement, "member")
    services.enrolment_decide(
        actor=SYSTEM,
        enrolment=services.enrolment_apply(actor=member, cohort=cohort, on_behalf_of=movement),
        decision="accept",
    )
    education.student(cohort, "etidyan")
    session = education.session(cohort, days_ago=2)
    services.attendance_sync(
        actor=SYSTEM,
        cohort=cohort,
        marks=[education.mark(session, enrolment) for enrolment in cohort.enrolments.all()],
    )
    base = live_server.url
    device = factories.second_factor(coordinator)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"

    phone = phone_for()
    _sign_in(phone, base, "kowodonatris", code)
    phone.goto(f"{base}/education/schools/{school.uuid}/")
    _submit(phone, f"main a[href='/education/schools/{school.uuid}/report/']")
    assert phone.inner_text("main h1") == creole("Report")
    assert phone.input_value("#id_group") == "course"  # preselected
    assert phone.locator("main svg.chart").count() == 3
    assert "100 %" in phone.inner_text("main")  # both students attended the one session
    assert fits(phone)
    phone.screenshot(path=str(tmp_path / "report.png"), full_page=True)

    today = timezone.localdate()
    phone.select_option("#id_group", "organization")
    phone.fill("#id_start", today.replace(day=1).isoformat())
    phone.fill("#id_end", (today.replace(day=1)).replace(year=today.year - 1).isoformat())
    _submit(phone, "main form button[type=submit]")
    assert creole("The end of the period comes before its start.") in phone.inner_text("main")
    assert fits(phone)

    phone.fill("#id_start", "")
    phone.fill("#id_end", "")
    _submit(phone, "main form button[type=submit]")
    main = phone.inner_text("main")
    assert FORMULA in main
    assert creole("No organization named") in main
    assert fits(phone)
    phone.screenshot(path=str(tmp_path / "report-by-organization.png"), full_page=True)

    with phone.expect_download() as download:
        phone.click("main a[download]")
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    names = [row[2] for row in rows[1:]]
    assert "'" + FORMULA in names  # shown as text by spreadsheets
    assert FORMULA not in names
